"""A request argument that picks the form of a union answer (`response_format`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sdkforge.codegen.signatures import method_view
from sdkforge.config import Config
from sdkforge.pipeline import load_api


def _spec(tmp_path: Path, values: list[str], arms: list[str]) -> Path:
    obj = {"type": "object", "properties": {"text": {"type": "string"}}}
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/transcriptions": {
                "post": {
                    "operationId": "transcribe",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "response_format": {"$ref": "#/components/schemas/Fmt"}
                                    },
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "oneOf": [
                                            {"$ref": f"#/components/schemas/{a}"} for a in arms
                                        ]
                                    }
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {"Fmt": {"type": "string", "enum": values}, **{a: obj for a in arms}}
        },
    }
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(doc))
    return path


def _op(spec: Path) -> Any:
    api, _, _ = load_api(spec, Config())
    return api.all_operations()[0][1]


def test_values_that_spell_the_arms_pick_them(tmp_path: Path) -> None:
    arms = ["TranscriptionJson", "TranscriptionVerboseJson", "TranscriptionDiarizedJson"]
    op = _op(_spec(tmp_path, ["json", "text", "verbose_json", "diarized_json"], arms))
    assert op.response_choice is not None and op.response_choice.param == "response_format"
    picked = [(v, t.name) for v, t in op.response_choice.arms]
    assert picked == [
        ("json", "TranscriptionJson"),
        ("verbose_json", "TranscriptionVerboseJson"),
        ("diarized_json", "TranscriptionDiarizedJson"),
    ]
    union = (
        "Union[models.TranscriptionJson, models.TranscriptionVerboseJson, "
        "models.TranscriptionDiarizedJson]"
    )
    view = method_view(op)
    assert view.returns == union  # what users see stays the union
    assert view.cast_to == (
        'models.TranscriptionJson if response_format == "json" else '
        '(models.TranscriptionVerboseJson if response_format == "verbose_json" else '
        f'(models.TranscriptionDiarizedJson if response_format == "diarized_json" else {union}))'
    )


def test_one_coincidence_is_not_a_choice(tmp_path: Path) -> None:
    """Only `verbose` names an arm: not enough to read the argument as the choice."""
    op = _op(_spec(tmp_path, ["verbose", "short"], ["ResultVerbose", "ResultPlain"]))
    assert op.response_choice is None
    assert "==" not in method_view(op).cast_to


def _download_spec(tmp_path: Path, json_schema: dict[str, Any]) -> Path:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/videos/{id}/content": {
                "get": {
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "the bytes",
                            "content": {
                                "video/mp4": {"schema": {"type": "string", "format": "binary"}},
                                "application/json": {"schema": json_schema},
                            },
                        }
                    },
                }
            }
        },
    }
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(doc))
    return path


def test_a_download_offered_as_bytes_or_a_bare_json_string_is_binary(tmp_path: Path) -> None:
    """OpenAI's video content: video/mp4, image/webp, or JSON that is only a string. The
    bytes are the answer (`BinaryResponse`); a JSON form with any structure still wins."""
    op = _op(_download_spec(tmp_path, {"type": "string"}))
    assert (op.response.kind, op.response.content_type) == ("binary", "video/mp4")
    assert method_view(op).returns == "BinaryResponse"
    for structured in ({"type": "object", "properties": {"url": {"type": "string"}}}, {"type": "string", "enum": ["x"]}):
        assert _op(_download_spec(tmp_path, structured)).response.kind == "json"
