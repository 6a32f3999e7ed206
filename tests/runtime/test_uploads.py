"""Request-body encoding: JSON vs multipart selection, file inputs, raw bodies."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import Reply, Server
from .conftest import multipart_parts as parts

VIDEO = {"id": "v1", "completed_at": None}


def test_json_when_no_file(client: Any, server: Server) -> None:
    client.videos.edit(prompt="make it blue", video={"id": "video_123"})
    req = server.requests[0]
    assert req.header("Content-Type") == "application/json"
    assert json.loads(req.body) == {"prompt": "make it blue", "video": {"id": "video_123"}}


def test_multipart_with_bytes(client: Any, server: Server) -> None:
    client.videos.edit(prompt="p", video=b"\x00RAW")
    got = parts(server.requests[0])
    assert got[0] == {"name": "prompt", "filename": None, "content_type": None, "data": b"p"}
    assert got[1]["name"] == "video" and got[1]["data"] == b"\x00RAW"
    assert got[1]["filename"] == "upload"
    assert got[1]["content_type"] == "application/octet-stream"


def test_multipart_file_object_keeps_name(client: Any, server: Server, tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"MP4DATA")
    with open(path, "rb") as fh:
        client.videos.edit(prompt="p", video=fh)
        assert fh.tell() == 0  # a seekable stream is put back
    video = parts(server.requests[0])[1]
    assert (video["filename"], video["content_type"], video["data"]) == (
        "clip.mp4",
        "video/mp4",
        b"MP4DATA",
    )


def test_multipart_pathlike_and_tuple(client: Any, server: Server, tmp_path: Path) -> None:
    path = tmp_path / "edit.webm"
    path.write_bytes(b"WEBM")
    client.videos.edit(prompt="p", video=path)
    client.videos.edit(prompt="p", video=("custom.bin", io.BytesIO(b"X"), "video/x-custom"))
    client.videos.edit(prompt="p", video=(None, b"Y"))
    first, second, third = (parts(r)[1] for r in server.requests)
    assert (first["filename"], first["data"]) == ("edit.webm", b"WEBM")
    assert (second["filename"], second["content_type"], second["data"]) == (
        "custom.bin",
        "video/x-custom",
        b"X",
    )
    assert third["filename"] == "upload" and third["data"] == b"Y"


def test_multipart_structured_fields(rt: Any, client: Any, server: Server) -> None:
    client.request(
        None,
        method="post",
        path="/up",
        body={
            "file": b"F",
            "meta": {"a": 1},
            "tags": ["x", "y"],
            "flag": True,
            "n": 3,
            "skip": None,
            "absent": rt._types.NOT_GIVEN,
            "csv": ["a", "b"],
        },
        content_types=("multipart/form-data",),
        file_fields=("file",),
        multipart_encoding={"csv": "text/plain"},
        response_kind="empty",
    )
    got = {p["name"]: p for p in parts(server.requests[0])}
    assert set(got) == {"file", "meta", "tags", "flag", "n", "csv"}
    assert got["meta"]["content_type"] == "application/json"
    assert json.loads(got["meta"]["data"]) == {"a": 1}
    assert json.loads(got["tags"]["data"]) == ["x", "y"]
    assert got["flag"]["data"] == b"true" and got["n"]["data"] == b"3"
    csv = [p for p in parts(server.requests[0]) if p["name"] == "csv"]
    assert [p["data"] for p in csv] == [b"a", b"b"]


def test_multipart_encoding_for_json_reference(client: Any, server: Server) -> None:
    """With a file elsewhere, the `video` reference object is a JSON part."""
    client.request(
        None,
        method="post",
        path="/videos/edits",
        body={"prompt": "p", "video": {"id": "v0"}, "extra": b"E"},
        content_types=("multipart/form-data", "application/json"),
        file_fields=("video",),
        multipart_encoding={"video": "application/octet-stream, application/json"},
        response_kind="empty",
    )
    got = {p["name"]: p for p in parts(server.requests[0])}
    assert got["video"]["content_type"] == "application/json"
    assert json.loads(got["video"]["data"]) == {"id": "v0"}


def test_model_body_dump_and_extra_body(rt: Any, client: Any, server: Server) -> None:
    Video = rt._client.Video
    model = Video(id="v1", completed_at=None, remixed_from_video_id="v0")
    client.request(
        None,
        method="post",
        path="/x",
        body={"video": model, "note": None},
        content_types=("application/json",),
        extra_body={"more": 1},
        response_kind="empty",
    )
    assert server.requests[0].json() == {
        "video": {"id": "v1", "completed_at": None, "remixed_from_video_id": "v0"},
        "note": None,
        "more": 1,
    }
    client.videos.edit(prompt="p", video={"id": "v"}, extra_body={"prompt": "override"})
    assert server.requests[1].json()["prompt"] == "override"


def test_not_given_dropped_none_sent(rt: Any, client: Any, server: Server) -> None:
    client.request(
        None,
        method="post",
        path="/x",
        body={"a": rt._types.NOT_GIVEN, "b": None, "c": 0},
        content_types=("application/json",),
        response_kind="empty",
    )
    assert server.requests[0].json() == {"b": None, "c": 0}


def test_octet_stream_and_text_and_form(client: Any, server: Server) -> None:
    server.reply(Reply(body="ok", headers={"Content-Type": "text/plain"}))
    assert client.videos.upload_raw(io.BytesIO(b"\x01\x02")) == "ok"
    client.request(
        None,
        method="post",
        path="/t",
        body="hello",
        content_types=("text/plain",),
        response_kind="empty",
    )
    client.request(
        None,
        method="post",
        path="/f",
        body={"a": "x y", "b": [1, 2], "c": None, "d": True},
        content_types=("application/x-www-form-urlencoded",),
        response_kind="empty",
    )
    raw, text, form = server.requests
    assert (raw.header("Content-Type"), raw.body) == ("application/octet-stream", b"\x01\x02")
    assert (text.header("Content-Type"), text.body) == ("text/plain", b"hello")
    assert form.header("Content-Type") == "application/x-www-form-urlencoded"
    assert form.body == b"a=x%20y&b=1&b=2&d=true"


def test_file_to_json_only_operation_is_rejected(client: Any) -> None:
    with pytest.raises(TypeError):
        client.request(
            None,
            method="post",
            path="/x",
            body={"f": b"1"},
            content_types=("application/json",),
            file_fields=("f",),
        )


def test_multipart_round_trip_unit(rt: Any) -> None:
    body, ctype = rt._body.encode_multipart(
        [("a", None, None, b"1"), ('we"ird', "f\n.txt", "text/plain", b"2")], boundary="BND"
    )
    assert ctype == "multipart/form-data; boundary=BND"
    assert body == (
        b'--BND\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
        b'--BND\r\nContent-Disposition: form-data; name="we%22ird"; '
        b'filename="f%0A.txt"\r\nContent-Type: text/plain\r\n\r\n2\r\n--BND--\r\n'
    )


def test_model_as_whole_body_merges_extra_body(rt: Any, client: Any, server: Server) -> None:
    model = rt._client.VideoError(code="c", message="m")
    client.request(
        None,
        method="post",
        path="/x",
        body=model,
        extra_body={"x": 1},
        content_types=("application/merge-patch+json",),
        response_kind="empty",
    )
    assert server.requests[0].json() == {"code": "c", "message": "m", "x": 1}
    assert server.requests[0].header("Content-Type") == "application/merge-patch+json"


def test_list_of_files_selects_multipart(client: Any, server: Server) -> None:
    """A list of files (`files=[...]`) is a file too: multipart, one part per file."""
    client.request(
        None,
        method="post",
        path="/x",
        body={"files": [b"1", b"2"], "n": "x"},
        content_types=("multipart/form-data", "application/json"),
        file_fields=("files",),
        response_kind="empty",
    )
    got = parts(server.requests[0])
    assert [(p["name"], p["data"]) for p in got] == [("files", b"1"), ("files", b"2"), ("n", b"x")]
