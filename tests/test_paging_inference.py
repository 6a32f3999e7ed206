"""Issue 16: which list operations page and how (sdkforge.apimodel.pagination), and the
config's `pagination:` section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sdkforge.apimodel.ir import Parameter, TypeRef
from sdkforge.apimodel.pagination import infer
from sdkforge.config import Config, load_config, parse_config
from sdkforge.diagnostics import SpecError
from sdkforge.pipeline import load_api

STR, INT, BOOL = TypeRef("str"), TypeRef("int"), TypeRef("bool")
ITEM = TypeRef("model", name="Item")
ITEMS = TypeRef("list", items=(ITEM,))


def _q(name: str, t: TypeRef = STR) -> Parameter:
    return Parameter(name, name, "query", t, False)


def test_cursor_by_last_id_needs_the_flag_and_the_parameter() -> None:
    fields = {"data": ITEMS, "has_more": BOOL}
    found = infer([_q("after"), _q("limit", INT)], fields, None)
    assert found is not None and (found.scheme, found.items, found.cursor_param) == ("cursor_id", "data", "after")
    assert infer([_q("limit", INT)], fields, None) is None  # no way to ask for the next page
    assert infer([_q("after")], {"data": ITEMS}, None) is None  # nothing says when to stop


def test_a_cursor_the_response_hands_back_wins_over_guessing_it() -> None:
    fields = {"data": ITEMS, "has_more": BOOL, "next": TypeRef("union", items=(STR, TypeRef("none")))}
    found = infer([_q("after")], fields, None)
    assert found is not None and (found.scheme, found.next_cursor) == ("cursor", "next")
    token = infer([_q("page_token")], {"items": ITEMS, "next_page_token": STR}, None)
    assert token is not None and (token.scheme, token.cursor_param) == ("cursor", "page_token")


def test_next_is_a_url_only_when_typed_as_one() -> None:
    uri = {"data": ITEMS, "next": TypeRef("str", fmt="uri")}
    found = infer([], uri, None)
    assert found is not None and (found.scheme, found.next_url) == ("next_url", "next")
    assert infer([], {"data": ITEMS, "next": STR}, None) is None


def test_page_numbers_are_integers_and_a_string_page_is_a_cursor() -> None:
    numbered = infer([_q("page", INT), _q("per_page", INT)], {"items": ITEMS, "total_pages": INT}, None)
    assert numbered is not None and (numbered.scheme, numbered.total_pages) == ("page", "total_pages")
    token = infer([_q("page")], {"data": ITEMS, "next_page": STR}, None)
    assert token is not None and (token.scheme, token.cursor_param) == ("cursor", "page")
    assert infer([_q("page")], {"data": ITEMS}, None) is None


def test_offsets_link_headers_and_ambiguity() -> None:
    offset = infer([_q("offset", INT), _q("limit", INT)], {"results": ITEMS, "total": INT}, None)
    assert offset is not None and (offset.scheme, offset.total) == ("offset", "total")
    link = infer([_q("per_page", INT)], {}, ITEM, link_header=True)
    assert link is not None and (link.scheme, link.items) == ("link", "")
    # Both an offset and a page number: nothing says which one the API means.
    assert infer([_q("offset", INT), _q("page", INT)], {"data": ITEMS}, None) is None


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "listThings",
                "parameters": [{"name": "from", "in": "query", "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"hits": {"type": "array", "items": {"type": "string"}}},
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}


def _load(tmp_path: Path, config: Config) -> Any:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    api, _, _ = load_api(spec, config)
    return api


def test_the_config_declares_what_inference_cannot_tell(tmp_path: Path) -> None:
    assert _load(tmp_path, Config()).all_operations()[0][1].pagination is None
    config = parse_config({"pagination": {"listThings": {"scheme": "offset", "offset_param": "from"}}}, "c.yaml")
    op = _load(tmp_path, config).all_operations()[0][1]
    assert op.pagination is not None and (op.pagination.scheme, op.pagination.items) == ("offset", "hits")


def test_config_mistakes_are_errors_with_their_line(tmp_path: Path) -> None:
    bad = tmp_path / "sdkforge.yaml"
    bad.write_text("pagination:\n  listThings: {scheme: offset, ofset_param: from}\n", encoding="utf-8")
    with pytest.raises(SpecError, match="did you mean 'offset_param'"):
        load_config(bad)
    bad.write_text("pagination:\n  listThings: {scheme: pages}\n", encoding="utf-8")
    with pytest.raises(SpecError, match="needs a scheme"):
        load_config(bad)
    unknown = parse_config({"pagination": {"GET /nothing": {"scheme": "page"}}}, "c.yaml", "pagination:\n  GET /nothing: x\n")
    with pytest.raises(SpecError) as exc:
        _load(tmp_path, unknown)
    message = exc.value.diagnostics[0].format()
    assert "'GET /nothing' matches no operation" in message and "c.yaml:2" in message
    typo = parse_config({"pagination": {"listThing": {"scheme": "page"}}}, "c.yaml")
    with pytest.raises(SpecError, match="did you mean 'listThings'"):
        _load(tmp_path, typo)


def test_a_stream_flag_that_says_it_sends_events_streams_even_without_their_schema() -> None:
    from sdkforge.apimodel.build import build_api

    def spec(description: str) -> dict[str, Any]:
        body = {
            "type": "object",
            "properties": {"prompt": {"type": "string"}, "stream": {"type": "boolean", "description": description}},
        }
        answer = {"type": "object", "properties": {"text": {"type": "string"}}}
        return {
            "openapi": "3.1.0",
            "info": {"title": "T", "version": "1"},
            "paths": {
                "/completions": {
                    "post": {
                        "requestBody": {"content": {"application/json": {"schema": body}}},
                        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": answer}}}},
                    }
                }
            },
        }

    api, diagnostics = build_api(spec("Tokens are sent as data-only server-sent events."), Config())
    op = api.all_operations()[0][1]
    assert op.stream_chunk == op.response.type and any("server-sent" in d.message for d in diagnostics)
    api, _ = build_api(spec("Whether to stream the video to the device."), Config())
    assert api.all_operations()[0][1].stream_chunk is None
