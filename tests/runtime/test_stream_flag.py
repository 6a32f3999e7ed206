"""Streaming chosen by the `stream` flag, SSE event names, closing early, binary bodies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import Reply, Server

SSE = {"Content-Type": "text/event-stream"}
CHUNKS = [
    b'data: {"id":"c1","delta":"Hel"}\n\n',
    b'data: {"id":"c1","delta":"lo"}\n\n',
    b"data: [DONE]\n\n",
]
COMPLETION = {"id": "c1", "content": "Hello"}


def test_stream_flag_picks_the_response(client: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(body=COMPLETION), Reply(chunks=CHUNKS, headers=SSE))
    completion = client.completions.create(model="m")
    assert isinstance(completion, rt._resources.ChatCompletion) and completion.content == "Hello"
    stream = client.completions.create(model="m", stream=True)
    assert isinstance(stream, rt._streaming.Stream)
    chunks = list(stream)
    assert all(isinstance(c, rt._resources.ChatCompletionChunk) for c in chunks)
    assert "".join(c.delta for c in chunks) == "Hello"
    plain, streamed = server.requests
    assert plain.json() == {"model": "m"} and plain.header("Accept") == "application/json"
    assert streamed.json() == {"model": "m", "stream": True}
    assert streamed.header("Accept") == "text/event-stream"


def test_leaving_a_stream_early_closes_the_connection(client: Any, server: Server) -> None:
    server.reply(Reply(chunks=CHUNKS[:1], headers=SSE, hold=True))
    with client.completions.create(model="m", stream=True) as stream:
        for chunk in stream:
            assert chunk.delta == "Hel"
            break
    assert server.client_closed.wait(20)


def test_dropping_a_half_read_stream_closes_the_connection(client: Any, server: Server) -> None:
    """`for chunk in client...create(stream=True): break` with no `with` and no close()."""
    server.reply(Reply(chunks=CHUNKS[:1], headers=SSE, hold=True))
    for chunk in client.completions.create(model="m", stream=True):
        assert chunk.delta == "Hel"
        break
    assert server.client_closed.wait(20)


async def test_async_stream_closed_early(aclient: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(chunks=CHUNKS[:1], headers=SSE, hold=True))
    stream = await aclient.completions.create(model="m", stream=True)
    assert isinstance(stream, rt._streaming.AsyncStream)
    async with stream:
        async for chunk in stream:
            assert chunk.delta == "Hel"
            break
    assert server.client_closed.wait(20)
    server.reply(Reply(body=COMPLETION))
    assert (await aclient.completions.create(model="m", stream=False)).content == "Hello"


def test_a_failed_stream_is_retried(client: Any, server: Server, sleeps: list[float]) -> None:
    server.reply(
        Reply(status=500, body={"error": {"message": "busy"}}), Reply(chunks=CHUNKS, headers=SSE)
    )
    assert [c.delta for c in client.completions.create(model="m", stream=True)] == ["Hel", "lo"]
    assert len(server.requests) == 2 and len(sleeps) == 1
    assert server.requests[0].body == server.requests[1].body


def test_event_names_are_kept(client: Any, server: Server, rt: Any) -> None:
    server.reply(
        Reply(
            chunks=[
                b'event: response.delta\nid: 1\ndata: {"id":"c1","delta":"a"}\n\n',
                b'data: {"id":"c1","delta":"b"}\n\n',
            ],
            headers=SSE,
        )
    )
    stream = client.completions.create(model="m", stream=True)
    events = list(stream.events())
    assert [(e.event, e.id, e.data.delta) for e in events] == [
        ("response.delta", "1", "a"),
        (None, "1", "b"),
    ]
    assert isinstance(events[0], rt._streaming.StreamEvent)


def test_envelope_events_like_assistant_streams(client: Any, server: Server, rt: Any) -> None:
    server.reply(
        Reply(
            chunks=[
                b'event: thread.created\ndata: {"id":"thread_1"}\n\n',
                b'event: thread.message.delta\ndata: {"text":"hi"}\n\n',
                b"event: done\ndata: [DONE]\n\n",
            ],
            headers=SSE,
        )
    )
    stream = client.request(
        rt._resources.AssistantStreamEvent, method="post", path="/runs", response_kind="sse"
    )
    created, delta = list(stream)
    assert isinstance(created, rt._resources.ThreadCreated) and created.data.id == "thread_1"
    assert isinstance(delta, rt._resources.ThreadMessageDelta) and delta.data.text == "hi"
    assert delta.event == "thread.message.delta"


def test_error_in_the_data_raises(client: Any, server: Server, rt: Any) -> None:
    server.reply(
        Reply(
            chunks=[
                CHUNKS[0],
                b'data: {"error":{"message":"overloaded","type":"server_error"}}\n\n',
            ],
            headers=SSE,
        )
    )
    stream = client.completions.create(model="m", stream=True)
    assert next(stream).delta == "Hel"
    with pytest.raises(rt._exceptions.APIError, match="overloaded"):
        next(stream)
    assert stream.response.is_closed


def test_wrappers_on_both_forms(client: Any, server: Server, rt: Any) -> None:
    server.reply(
        Reply(chunks=CHUNKS, headers=SSE),
        Reply(body=COMPLETION),
        Reply(chunks=CHUNKS, headers=SSE),
        Reply(body=COMPLETION),
    )
    raw = client.completions.with_raw_response.create(model="m", stream=True)
    assert isinstance(raw, rt._response.APIResponse)
    assert [c.delta for c in raw.parse()] == ["Hel", "lo"]
    raw_json = client.completions.with_raw_response.create(model="m")
    assert raw_json.parse().content == "Hello"
    with client.completions.with_streaming_response.create(model="m", stream=True) as resp:
        assert not resp.http_response.is_stream_consumed
        assert [c.delta for c in resp.parse()] == ["Hel", "lo"]
    assert resp.http_response.is_closed
    with client.completions.with_streaming_response.create(model="m", stream=False) as resp2:
        assert resp2.parse().content == "Hello"


BODY = b'{"voice": "alloy"}\x00\x01' * 4000


def test_binary_response(client: Any, server: Server, tmp_path: Path) -> None:
    server.reply(
        Reply(body=b'{"a": [1, "\xc3\xa9"]}', headers={"Content-Type": "application/octet-stream"})
    )
    speech = client.completions.speech(input="hi")
    assert speech.content == b'{"a": [1, "\xc3\xa9"]}'
    assert speech.json() == {"a": [1, "é"]}
    assert speech.text == '{"a": [1, "é"]}'
    assert b"".join(speech.iter_bytes(4)) == speech.content
    speech.write_to_file(tmp_path / "s.bin")
    assert (tmp_path / "s.bin").read_bytes() == speech.content
    assert server.requests[0].header("Accept") == "*/*"


def test_stream_to_file_never_buffers(client: Any, server: Server, tmp_path: Path) -> None:
    chunks = [BODY[i : i + 8192] for i in range(0, len(BODY), 8192)]
    server.reply(Reply(chunks=chunks, headers={"Content-Type": "audio/mpeg"}))
    with client.completions.with_streaming_response.speech(input="hi") as response:
        response.stream_to_file(tmp_path / "speech.mp3")
        with pytest.raises(httpx.ResponseNotRead):
            _ = response.http_response.content  # the body went to the file, never into memory
    assert (tmp_path / "speech.mp3").read_bytes() == BODY
    assert response.http_response.is_closed


async def test_async_binary(aclient: Any, server: Server, tmp_path: Path) -> None:
    server.reply(Reply(body=BODY), Reply(chunks=[BODY[:100], BODY[100:]]))
    speech = await aclient.completions.speech(input="hi")
    assert speech.content == BODY
    speech.write_to_file(tmp_path / "a.bin")
    assert (tmp_path / "a.bin").read_bytes() == BODY
    async with aclient.completions.with_streaming_response.speech(input="hi") as response:
        await response.stream_to_file(tmp_path / "b.bin")
        with pytest.raises(httpx.ResponseNotRead):
            _ = response.http_response.content
    assert (tmp_path / "b.bin").read_bytes() == BODY
