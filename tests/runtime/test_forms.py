"""Nested values in multipart and form bodies: the bracket switch and the spec's `encoding`.

Bodies are parsed on the server side with the stdlib (`email` for multipart,
`urllib.parse` for forms), then compared part by part, bytes included.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from .conftest import Server
from .conftest import multipart_parts as parts


def send(client: Any, body: dict[str, Any], **kwargs: Any) -> None:
    client.request(
        None,
        method="post",
        path="/upload",
        body=body,
        content_types=kwargs.pop("content_types", ("multipart/form-data", "application/json")),
        response_kind="empty",
        **kwargs,
    )


def fields(server: Server) -> list[tuple[str, bytes]]:
    return [(p["name"], p["data"]) for p in parts(server.requests[-1])]


def test_brackets_like_the_official_sdk(client: Any, server: Server) -> None:
    """`files.create(..., expires_after={...})`, `transcriptions.create(..., include=[...])`."""
    send(
        client,
        {
            "file": ("batch.jsonl", b'{"a":1}\n', "application/jsonl"),
            "purpose": "batch",
            "expires_after": {"anchor": "created_at", "seconds": 3600},
            "include": ["logprobs", "segments"],
            "temperature": 0.5,
            "stream": False,
            "prompt": None,
        },
        nested_style="brackets",
    )
    got = parts(server.requests[0])
    assert got[0] == {
        "name": "file",
        "filename": "batch.jsonl",
        "content_type": "application/jsonl",
        "data": b'{"a":1}\n',
    }
    assert [(p["name"], p["data"], p["content_type"], p["filename"]) for p in got[1:]] == [
        ("purpose", b"batch", None, None),
        ("expires_after[anchor]", b"created_at", None, None),
        ("expires_after[seconds]", b"3600", None, None),
        ("include[]", b"logprobs", None, None),
        ("include[]", b"segments", None, None),
        ("temperature", b"0.5", None, None),
        ("stream", b"false", None, None),
    ]


def test_brackets_nest_and_keep_files(client: Any, server: Server, rt: Any) -> None:
    send(
        client,
        {
            "image": [b"PNG1", ("b.png", b"PNG2")],
            "tools": [{"type": "code", "config": {"deep": [1, 2]}}],
            "meta": rt._resources.Thread(id="t1"),
            "skip": {"x": None, "y": rt._types.NOT_GIVEN},
        },
        nested_style="brackets",
    )
    got = parts(server.requests[0])
    assert [(p["name"], p["filename"], p["data"]) for p in got[:2]] == [
        ("image[]", "upload", b"PNG1"),
        ("image[]", "b.png", b"PNG2"),
    ]
    assert got[1]["content_type"] == "image/png"
    assert [(p["name"], p["data"]) for p in got[2:]] == [
        ("tools[][type]", b"code"),
        ("tools[][config][deep][]", b"1"),
        ("tools[][config][deep][]", b"2"),
        ("meta[id]", b"t1"),
    ]


def test_an_explicit_json_encoding_beats_brackets(client: Any, server: Server) -> None:
    send(
        client,
        {"file": b"F", "session": {"type": "realtime"}, "tags": ["a"]},
        nested_style="brackets",
        multipart_encoding={"session": "application/json"},
    )
    got = {p["name"]: p for p in parts(server.requests[0])}
    assert got["session"]["content_type"] == "application/json"
    assert got["session"]["data"] == b'{"type":"realtime"}'
    assert got["tags[]"]["data"] == b"a"


def test_default_stays_json_parts(client: Any, server: Server) -> None:
    send(client, {"file": b"F", "expires_after": {"anchor": "created_at"}, "include": ["x"]})
    got = {p["name"]: p for p in parts(server.requests[0])}
    assert got["expires_after"]["content_type"] == "application/json"
    assert got["expires_after"]["data"] == b'{"anchor":"created_at"}'
    assert got["include"]["data"] == b'["x"]'


def test_encoding_style_and_explode(client: Any, server: Server, rt: Any) -> None:
    enc = rt._types.PartEncoding
    send(
        client,
        {
            "file": b"F",
            "repeat": ["a", "b"],
            "joined": ["a", "b"],
            "piped": [1, 2],
            "spaced": ["x y", "z"],
            "deep": {"a": 1, "b": {"c": True}},
            "flat": {"k": "v", "n": 2},
            "pairs": {"k": "v", "n": 2},
            "csv": "1,2",
        },
        multipart_encoding={
            "repeat": enc(style="form", explode=True),
            "joined": enc(style="form", explode=False),
            "piped": enc(style="pipeDelimited"),
            "spaced": enc(style="spaceDelimited", explode=False),
            "deep": enc(style="deepObject", explode=True),
            "flat": enc(explode=True),
            "pairs": enc(style="form", explode=False),
            "csv": enc(content_type="text/csv"),
        },
    )
    got = parts(server.requests[0])
    assert [(p["name"], p["data"]) for p in got[1:]] == [
        ("repeat", b"a"),
        ("repeat", b"b"),
        ("joined", b"a,b"),
        ("piped", b"1|2"),
        ("spaced", b"x y z"),
        ("deep[a]", b"1"),
        ("deep[b][c]", b"true"),
        ("k", b"v"),
        ("n", b"2"),
        ("pairs", b"k,v,n,2"),
        ("csv", b"1,2"),
    ]
    assert got[-1]["content_type"] == "text/csv"
    assert all(p["content_type"] is None for p in got[1:-1])


def test_form_body_brackets_and_encoding(client: Any, server: Server, rt: Any) -> None:
    form = ("application/x-www-form-urlencoded",)
    body = {"a": {"b": "x y"}, "tags": ["p", "q&r"], "n": 1, "none": None}
    send(client, body, content_types=form)
    send(client, body, content_types=form, nested_style="brackets")
    send(
        client,
        {"tags": ["p", "q"]},
        content_types=form,
        multipart_encoding={"tags": rt._types.PartEncoding(style="pipeDelimited")},
    )
    default, brackets, piped = (r.body for r in server.requests)
    assert default == b"a[b]=x%20y&tags=p&tags=q%26r&n=1"  # unchanged default
    assert parse_qsl(brackets.decode()) == [
        ("a[b]", "x y"),
        ("tags[]", "p"),
        ("tags[]", "q&r"),
        ("n", "1"),
    ]
    assert brackets == b"a[b]=x%20y&tags[]=p&tags[]=q%26r&n=1"
    assert piped == b"tags=p%7Cq"
    assert all(r.header("Content-Type") == form[0] for r in server.requests)
