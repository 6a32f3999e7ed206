"""Issue 16 end to end: the client generated from tests/golden/paging, against a real
HTTP server on 127.0.0.1: list methods page through several pages (every scheme, sync
and async), a `stream` flag switches to a stream that can be left early, binary
downloads go to a file, and nested multipart fields go in bracket style."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from runtime.conftest import Recorded, Reply, Server, multipart_parts

from sdkforge.config import load_config
from sdkforge.pipeline import Options, generate
from sdkforge.write import write

CASE = ROOT / "tests" / "golden" / "paging"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    out = tmp_path_factory.mktemp("paging")
    result = generate(CASE / "spec.yaml", load_config(CASE / "sdkforge.yaml"), Options(use_cache=False))
    write(result.plan, out)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("paging_demo")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "paging_demo"]:
            del sys.modules[name]


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    try:
        yield srv
    finally:
        srv.close()


def _query(req: Recorded) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(req.path).query))


def test_cursor_by_last_id_pages_until_has_more_is_false(sdk: Any, server: Server) -> None:
    server.reply(
        Reply(body={"object": "list", "data": [{"id": "a", "filename": "1"}, {"id": "b", "filename": "2"}], "has_more": True}),
        Reply(body={"object": "list", "data": [{"id": "c", "filename": "3"}], "has_more": False}),
    )
    client = sdk.Client(base_url=server.url)
    page = client.files.list(limit=2)
    assert len(page) == 2 and page[0].id == "a" and page.has_next_page()
    assert [f.id for f in page] == ["a", "b", "c"]
    assert [_query(r).get("after") for r in server.requests] == [None, "b"]
    assert all(_query(r).get("limit") == "2" for r in server.requests)


def test_cursor_from_the_response_and_a_retry_between_pages(sdk: Any, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sdk._base_client, "_sleep", lambda seconds: None)
    server.reply(
        Reply(body={"events": [{"id": "1"}], "next_cursor": "c2"}),
        Reply(status=500, body={"error": "busy"}),
        Reply(body={"events": [{"id": "2"}], "next_cursor": None}),
    )
    client = sdk.Client(base_url=server.url)
    assert [e.id for e in client.events.list()] == ["1", "2"]
    assert [_query(r).get("cursor") for r in server.requests] == [None, "c2", "c2"]


def test_offset_page_number_next_url_and_link_header(sdk: Any, server: Server) -> None:
    client = sdk.Client(base_url=server.url)
    server.reply(
        Reply(body={"results": [{"id": "1"}, {"id": "2"}], "total": 3}),
        Reply(body={"results": [{"id": "3"}], "total": 3}),
    )
    assert [e.id for e in client.logs.list()] == ["1", "2", "3"]
    assert _query(server.requests[-1])["offset"] == "2"
    server.requests.clear()
    server.reply(
        Reply(body={"items": [{"login": "a"}], "total_pages": 2}),
        Reply(body={"items": [{"login": "b"}], "total_pages": 2}),
    )
    assert [u.login for u in client.users.list(per_page=1)] == ["a", "b"]
    assert [_query(r).get("page") for r in server.requests] == [None, "2"]
    server.requests.clear()
    server.reply(
        Reply(body={"data": [{"id": "1"}], "next": f"{server.url}/v1/orders?after=x"}),
        Reply(body={"data": [{"id": "2"}], "next": None}),
    )
    assert [o.id for o in client.orders.list()] == ["1", "2"]
    assert server.requests[-1].path == "/v1/orders?after=x"
    server.requests.clear()
    server.reply(
        Reply(body=[{"login": "a"}], headers={"Link": f'<{server.url}/repos?page=2>; rel="next"'}),
        Reply(body=[{"login": "b"}]),
    )
    assert [r.login for r in client.repos.list()] == ["a", "b"]
    assert "page=2" in server.requests[-1].path


def test_a_declared_scheme_pages_with_the_names_the_config_gives(sdk: Any, server: Server) -> None:
    server.reply(
        Reply(body={"hits": [{"login": "a"}, {"login": "b"}], "found": 3}),
        Reply(body={"hits": [{"login": "c"}], "found": 3}),
    )
    client = sdk.Client(base_url=server.url)
    assert [u.login for u in client.search.list()] == ["a", "b", "c"]
    assert _query(server.requests[-1])["from"] == "2"


async def test_async_lists_await_one_page_or_iterate_them_all(sdk: Any, server: Server) -> None:
    server.reply(
        Reply(body={"object": "list", "data": [{"id": "a", "filename": "1"}], "has_more": True}),
        Reply(body={"object": "list", "data": [{"id": "b", "filename": "2"}], "has_more": False}),
        Reply(body={"object": "list", "data": [{"id": "a", "filename": "1"}], "has_more": False}),
    )
    async with sdk.AsyncClient(base_url=server.url) as client:
        assert [f.id async for f in client.files.list()] == ["a", "b"]
        first = await client.files.list()
        assert [f.id for f in first.data] == ["a"] and not first.has_next_page()


def test_the_stream_flag_chooses_json_or_a_stream_that_can_be_left_early(sdk: Any, server: Server) -> None:
    client = sdk.Client(base_url=server.url)
    server.reply(Reply(body={"id": "c1", "text": "hello"}))
    completion = client.completions.create(prompt="hi")
    assert completion.text == "hello" and json.loads(server.requests[-1].body) == {"prompt": "hi"}
    events = [b'data: {"delta": "a"}\n\n', b'data: {"delta": "b"}\n\n']
    server.reply(Reply(chunks=events, headers={"Content-Type": "text/event-stream"}, hold=True))
    stream = client.completions.create(prompt="hi", stream=True)
    assert json.loads(server.requests[-1].body) == {"prompt": "hi", "stream": True}
    assert server.requests[-1].header("Accept") == "application/json, text/event-stream"
    for chunk in stream:
        assert chunk.delta == "a"
        break
    stream.close()
    assert server.client_closed.wait(10), "leaving the stream early closes the connection"
    server.reply(Reply(chunks=[b'data: {"delta": "x"}\n\n', b"data: [DONE]\n\n"], headers={"Content-Type": "text/event-stream"}))
    with client.completions.with_streaming_response.create(prompt="hi", stream=True) as response:
        assert [c.delta for c in response.parse()] == ["x"]


def test_binary_download_and_bracket_style_multipart(sdk: Any, server: Server, tmp_path: Path) -> None:
    client = sdk.Client(base_url=server.url)
    server.reply(Reply(body=b"\x00\x01bytes", headers={"Content-Type": "application/octet-stream"}))
    download = client.files.content("file-1")
    download.write_to_file(tmp_path / "out.bin")
    assert (tmp_path / "out.bin").read_bytes() == b"\x00\x01bytes" and download.content == b"\x00\x01bytes"
    with pytest.raises(ValueError, match="file_id"):
        client.files.content("")
    server.reply(Reply(body={"id": "f", "filename": "a.txt"}))
    client.files.create(
        file=("a.txt", b"hello", "text/plain"),
        purpose="assistants",
        expires_after={"anchor": "created_at", "seconds": 3600},
        tags=["x", "y"],
    )
    parts = {(p["name"], p.get("filename")): p for p in multipart_parts(server.requests[-1])}
    assert parts[("file", "a.txt")]["data"] == b"hello"
    assert parts[("expires_after[anchor]", None)]["data"] == b"created_at"
    assert parts[("expires_after[seconds]", None)]["data"] == b"3600"
    assert [p["data"] for p in multipart_parts(server.requests[-1]) if p["name"] == "tags[]"] == [b"x", b"y"]


def test_the_response_format_argument_picks_the_form_the_answer_is_read_as(sdk: Any, server: Server) -> None:
    """A sparse answer fits every form; the call's `response_format` says which it is, so
    the verbose form's fields read (None when absent) instead of raising AttributeError."""
    client = sdk.Client(base_url=server.url)
    server.reply(Reply(body={"text": "hi"}), Reply(body={"text": "hi"}), Reply(body={"text": "hi"}))
    verbose = client.transcriptions.create(audio="a", response_format="verbose_json")
    assert type(verbose).__name__ == "TranscriptVerboseJson" and verbose.words is None
    diarized = client.transcriptions.create(audio="a", response_format="diarized_json")
    assert type(diarized).__name__ == "TranscriptDiarizedJson" and diarized.segments is None
    assert type(client.transcriptions.create(audio="a")).__name__ == "TranscriptJson"
    server.reply(Reply(chunks=[b'data: {"delta": "x"}\n\n', b"data: [DONE]\n\n"], headers={"Content-Type": "text/event-stream"}))
    stream = client.transcriptions.create(audio="a", response_format="verbose_json", stream=True)
    assert [c.delta for c in stream] == ["x"]


def test_lists_behind_envelopes_page_with_what_sits_beside_them(sdk: Any, server: Server) -> None:
    """Issue 23: Cloudflare's allOf envelope (`result` + `result_info.total_pages`) and
    Azure's (`value` + `nextLink`) are lists that page."""
    client = sdk.Client(base_url=server.url)
    envelope = {"success": True, "errors": [], "messages": []}
    server.reply(
        Reply(body={**envelope, "result": [{"id": "1"}], "result_info": {"page": 1, "total_pages": 2}}),
        Reply(body={**envelope, "result": [{"id": "2"}], "result_info": {"page": 2, "total_pages": 2}}),
    )
    assert [z.id for z in client.zones.list()] == ["1", "2"]
    assert [_query(r).get("page") for r in server.requests] == [None, "2"]
    server.requests.clear()
    server.reply(
        Reply(body={"value": [{"id": "a"}], "nextLink": f"{server.url}/v1/vaults?$skiptoken=x"}),
        Reply(body={"value": [{"id": "b"}]}),
    )
    assert [v.id for v in client.vaults.list()] == ["a", "b"]
    assert server.requests[-1].path == "/v1/vaults?$skiptoken=x"
