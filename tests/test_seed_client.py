"""The committed client in output/ against a real HTTP server on 127.0.0.1.

This is what a user of the generated `openai_videos` package meets: `videos.edit` with a
file (multipart) and with a reference (JSON), sync and async, raw responses, lenient
parsing of what the server sends back.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from runtime.conftest import Recorded, Reply, Server

SEED_RESPONSE: dict[str, Any] = {
    "id": "id",
    "completed_at": 0,
    "created_at": 0,
    "error": {"code": "code", "message": "message"},
    "expires_at": 0,
    "model": "sora-2",
    "object": "video",
    "progress": 0,
    "prompt": "prompt",
    "remixed_from_video_id": "remixed_from_video_id",
    "seconds": "4",
    "size": "720x1280",
    "status": "queued",
}


@pytest.fixture(scope="module")
def ov() -> Iterator[Any]:
    """The generated package, imported from output/."""
    sys.path.insert(0, str(ROOT / "output"))
    try:
        import openai_videos

        yield openai_videos
    finally:
        sys.path.remove(str(ROOT / "output"))


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    try:
        yield srv
    finally:
        srv.close()


def _multipart(rec: Recorded) -> dict[str, Message]:
    content_type = rec.header("content-type") or ""
    assert content_type.startswith("multipart/form-data; boundary=")
    msg = message_from_bytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + rec.body)
    parts: dict[str, Message] = {}
    for part in msg.get_payload():  # type: ignore[union-attr]
        assert isinstance(part, Message)
        name = part.get_param("name", header="content-disposition")
        parts[str(name)] = part
    return parts


def test_edit_with_a_file_sends_multipart(ov: Any, server: Server) -> None:
    server.reply(Reply(body=SEED_RESPONSE))
    client = ov.Client(api_key="sk-test", base_url=server.url)
    video = client.videos.edit(prompt="x", video=io.BytesIO(b"Example data"))
    rec = server.requests[0]
    assert (rec.method, rec.path) == ("POST", "/videos/edits")
    assert rec.header("authorization") == "Bearer sk-test"
    parts = _multipart(rec)
    assert parts["prompt"].get_payload(decode=True) == b"x"
    assert parts["video"].get_payload(decode=True) == b"Example data"
    assert parts["video"].get_filename() is not None
    assert isinstance(video, ov.models.Video)
    assert video.model_dump(mode="json") == SEED_RESPONSE
    assert video.error is not None and video.error.code == "code"


@pytest.mark.parametrize("form", ["bytes", "path", "tuple"])
def test_edit_accepts_every_file_form(ov: Any, server: Server, tmp_path: Path, form: str) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"\x00video-bytes\xff")
    value: object = {
        "bytes": path.read_bytes(),
        "path": path,
        "tuple": ("clip.mp4", path.read_bytes(), "video/mp4"),
    }[form]
    server.reply(Reply(body=SEED_RESPONSE))
    ov.Client(api_key="k", base_url=server.url).videos.edit(prompt="x", video=value)
    part = _multipart(server.requests[0])["video"]
    assert part.get_payload(decode=True) == b"\x00video-bytes\xff"
    if form != "bytes":
        assert part.get_filename() == "clip.mp4"
    if form == "tuple":
        assert part.get_content_type() == "video/mp4"


def test_edit_with_a_reference_sends_json(ov: Any, server: Server) -> None:
    server.reply(Reply(body=SEED_RESPONSE))
    client = ov.Client(api_key="sk-test", base_url=server.url)
    video = client.videos.edit(prompt="make it blue", video={"id": "video_123"})
    rec = server.requests[0]
    assert (rec.header("content-type") or "").startswith("application/json")
    assert rec.json() == {"prompt": "make it blue", "video": {"id": "video_123"}}
    assert video.id == "id"


def test_edit_with_a_model_reference(ov: Any, server: Server) -> None:
    server.reply(Reply(body=SEED_RESPONSE))
    ref = ov.models.VideoReferenceInputParam(id="video_9")
    ov.Client(api_key="k", base_url=server.url).videos.edit(prompt="x", video=ref)
    assert server.requests[0].json() == {"prompt": "x", "video": {"id": "video_9"}}


async def test_async_edit_with_file_and_reference(ov: Any, server: Server) -> None:
    server.reply(Reply(body=SEED_RESPONSE), Reply(body=SEED_RESPONSE))
    async with ov.AsyncClient(api_key="k", base_url=server.url) as client:
        first = await client.videos.edit(prompt="x", video=b"data")
        second = await client.videos.edit(prompt="x", video={"id": "v"})
    assert _multipart(server.requests[0])["video"].get_payload(decode=True) == b"data"
    assert server.requests[1].json()["video"] == {"id": "v"}
    assert first.status == second.status == "queued"


def test_unknown_enum_values_and_extra_fields_are_kept(ov: Any, server: Server) -> None:
    body = {**SEED_RESPONSE, "status": "paused", "size": "8k", "brand_new": [1, 2]}
    del body["prompt"]
    server.reply(Reply(body=body))
    video = ov.Client(api_key="k", base_url=server.url).videos.edit(prompt="x", video={"id": "v"})
    assert video.status == "paused"
    assert video.size == "8k"
    assert video.model_extra is not None and video.model_extra["brand_new"] == [1, 2]


def test_raw_response(ov: Any, server: Server) -> None:
    server.reply(Reply(body=SEED_RESPONSE, headers={"x-request-id": "req_1"}))
    client = ov.Client(api_key="k", base_url=server.url)
    raw = client.videos.with_raw_response.edit(prompt="x", video={"id": "v"})
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "req_1"
    assert raw.parse().id == "id"


def test_errors_map_to_classes(ov: Any, server: Server) -> None:
    server.reply(Reply(status=404, body={"error": {"message": "no such video"}}))
    client = ov.Client(api_key="k", base_url=server.url, max_retries=0)
    with pytest.raises(ov.NotFoundError) as info:
        client.videos.edit(prompt="x", video={"id": "missing"})
    assert info.value.status_code == 404
    assert "no such video" in str(info.value)


def test_env_vars_configure_the_client(
    ov: Any, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    server.reply(Reply(body=SEED_RESPONSE))
    ov.Client().videos.edit(prompt="x", video={"id": "v"})
    assert server.requests[0].header("authorization") == "Bearer sk-env"
    assert json.loads(server.requests[0].body)["prompt"] == "x"


@pytest.mark.parametrize("asynchronous", [False, True])
def test_documented_example_runs_against_the_server(
    ov: Any, server: Server, asynchronous: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example printed in api.md, run as written (only the client's address changes)."""
    from sdkforge.codegen.examples import example_snippet
    from sdkforge.config import load_config
    from sdkforge.pipeline import load_api

    api, _, _ = load_api(
        ROOT / "spec" / "openapi.yaml", load_config(ROOT / "spec" / "sdkforge.yaml")
    )
    ((_, op),) = api.all_operations()
    code = example_snippet(
        op, api, client_args=f'base_url="{server.url}", api_key="k"', asynchronous=asynchronous
    )
    assert 'video=io.BytesIO(b"Example data")' in code
    server.reply(Reply(body=SEED_RESPONSE))
    exec(compile(code, "api.md example", "exec"), {"__name__": "__main__"})
    assert "remixed_from_video_id" in capsys.readouterr().out
    assert _multipart(server.requests[0])["video"].get_payload(decode=True) == b"Example data"
