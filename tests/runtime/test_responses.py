"""Response parsing: lenient models, kinds, raw/streamed wrappers, SSE."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any, List, Literal, Optional, Union

import pytest

from .conftest import Reply, Server

VIDEO = {"id": "v1", "completed_at": None, "status": "queued", "size": "720x1280"}


def test_strict_parse(client: Any, server: Server, rt: Any) -> None:
    server.reply(
        Reply(body={**VIDEO, "remixed_from_video_id": "v0", "error": {"code": "c", "message": "m"}})
    )
    video = client.videos.retrieve("v1")
    assert isinstance(video, rt._client.Video)
    assert video.remixed_from == "v0" and video.error.code == "c"
    assert video.to_dict() == {
        **VIDEO,
        "remixed_from_video_id": "v0",
        "error": {"code": "c", "message": "m"},
    }
    assert '"remixed_from_video_id": "v0"' in video.to_json()


def test_lenient_parse_keeps_unknown_values(client: Any, server: Server, rt: Any) -> None:
    server.reply(
        Reply(
            body={
                "id": "v1",
                "status": "archived",
                "size": "8k",
                "new": {"x": 1},
                "error": {"code": "c"},
            }
        )
    )
    video = client.videos.retrieve("v1")
    assert isinstance(video, rt._client.Video)
    assert video.status == "archived" and video.size == "8k"
    assert video.new == {"x": 1}  # extra field kept
    assert isinstance(video.error, rt._client.VideoError) and video.error.code == "c"
    assert "completed_at" not in video.model_fields_set  # missing, no exception
    assert video.error.message is None  # required, yet missing: reads None, never raises
    assert "message" not in video.error.model_fields_set
    assert video.to_dict()["status"] == "archived"


def test_construct_type_unit(rt: Any) -> None:
    ct = rt._models.construct_type
    m = rt._client

    class Color(enum.Enum):
        RED = "red"

    assert ct("red", Color) is Color.RED
    assert ct("mauve", Color) == "mauve"
    assert ct("x", Literal["a", "b"]) == "x"
    assert ct(None, Optional[int]) is None
    assert ct([{"id": "a", "completed_at": 1}, {"id": "b"}], list[m.Video])[1].id == "b"
    assert ct({"k": {"id": "a"}}, dict[str, m.Video])["k"].id == "a"
    assert ct("sora-9", m.VideoModel) == "sora-9"
    done = ct({"type": "done", "video": {"id": "v", "status": "weird"}}, m.VideoEvent)
    assert isinstance(done, m.DoneEvent) and done.video.status == "weird"
    prog = ct({"type": "progress", "progress": "n/a"}, m.VideoEvent)
    assert isinstance(prog, m.ProgressEvent) and prog.progress == "n/a"
    assert ct({"type": "new-kind", "x": 1}, m.VideoEvent) is not None
    assert ct({"id": "a", "data": []}, Union[m.VideoList, m.Video]).id == "a"
    assert ct(3, float) == 3.0 and ct("3", int) == 3


def test_json_content_types(client: Any, server: Server, rt: Any) -> None:
    server.reply(
        Reply(
            body=b'{"id":"a","completed_at":1}',
            headers={"Content-Type": "application/json; charset=utf-8"},
        ),
        Reply(
            body=b'{"id":"b","completed_at":1}',
            headers={"Content-Type": "application/vnd.api+json"},
        ),
    )
    assert client.videos.retrieve("a").id == "a"
    assert client.videos.retrieve("b").id == "b"


def test_empty_and_binary(client: Any, server: Server, tmp_path: Path) -> None:
    server.reply(
        Reply(status=204, body=b""),
        Reply(body=b"\x00\x01MP4", headers={"Content-Type": "video/mp4"}),
    )
    assert client.videos.delete("v1") is None
    binary = client.videos.download_content("v1")
    assert binary.content == b"\x00\x01MP4"
    assert b"".join(binary.iter_bytes()) == b"\x00\x01MP4"
    binary.write_to_file(tmp_path / "out.mp4")
    assert (tmp_path / "out.mp4").read_bytes() == b"\x00\x01MP4"
    assert binary.response.headers["content-type"] == "video/mp4"
    assert server.requests[1].header("Accept") == "*/*"


def test_raw_response_wrapper(client: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(body=VIDEO, headers={"x-request-id": "req_9"}))
    raw = client.videos.with_raw_response.edit(prompt="p", video={"id": "x"})
    assert isinstance(raw, rt._response.APIResponse)
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "req_9"
    assert raw.url.path == "/videos/edits"
    assert raw.json() == VIDEO
    video = raw.parse()
    assert isinstance(video, rt._client.Video) and raw.parse() is video


def test_streaming_wrapper_does_not_read_body(client: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(chunks=[b"chunk1-", b"chunk2"], headers={"Content-Type": "video/mp4"}))
    with client.videos.with_streaming_response.download_content("v1") as resp:
        assert isinstance(resp, rt._response.APIResponse)
        assert not resp.http_response.is_stream_consumed
        assert b"".join(resp.iter_bytes()) == b"chunk1-chunk2"
    assert resp.http_response.is_closed
    server.reply(Reply(body=VIDEO))
    with client.videos.with_streaming_response.edit(prompt="p", video={"id": "x"}) as resp2:
        assert resp2.parse().id == "v1"


SSE = [
    b": comment\r\n",
    b'event: progress\r\ndata: {"type":"progress",',
    b'"progress":5}\r\n\r\n',
    b'data: {"type":"done","video":{"id":"v"}}\n\n',
    b"data: not json\n\n",
    b"data: [DONE]\n\n",
    b'data: {"type":"progress","progress":99}\n\n',
]


def test_sse_stream(client: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(chunks=SSE, headers={"Content-Type": "text/event-stream"}))
    stream = client.videos.events("v1")
    assert isinstance(stream, rt._streaming.Stream)
    events = list(stream)
    assert isinstance(events[0], rt._client.ProgressEvent) and events[0].progress == 5
    assert isinstance(events[1], rt._client.DoneEvent) and events[1].video.id == "v"
    assert events[2] == "not json"
    assert len(events) == 3  # [DONE] ends the stream
    assert stream.response.is_closed
    assert server.requests[0].header("Accept") == "text/event-stream"


def test_sse_error_event_and_raw(client: Any, server: Server, rt: Any) -> None:
    server.reply(
        Reply(
            chunks=[b'event: error\ndata: {"error": {"message": "bad"}}\n\n'],
            headers={"Content-Type": "text/event-stream"},
        )
    )
    with pytest.raises(rt._exceptions.APIError, match="bad"):
        list(client.videos.events("v1"))
    server.reply(
        Reply(
            chunks=[b'data: {"type":"progress","progress":1}\n\n'],
            headers={"Content-Type": "text/event-stream"},
        )
    )
    raw = client.videos.with_raw_response.events("v1")
    assert [e.progress for e in raw.parse()] == [1]


def test_sse_decoder_line_endings(rt: Any) -> None:
    dec = rt._streaming.SSEDecoder()
    chunks = [b"id: 7\rretry: 10\r", b"\ndata: a\r\ndata:b\n", b"\n", b"data: tail"]
    events = list(dec.iter_bytes(chunks))
    assert [(e.data, e.id, e.retry) for e in events] == [("a\nb", "7", 10), ("tail", "7", None)]


def test_non_json_answer_to_json_operation(client: Any, server: Server) -> None:
    server.reply(Reply(body="plain words", headers={"Content-Type": "text/plain"}))
    assert client.videos.retrieve("v1") == "plain words"


def test_a_union_takes_the_arm_that_knows_the_most_of_the_data(rt: Any) -> None:
    """Both forms validate (extra keys are ignored); the verbose one must win, or its
    fields are lost (OpenAI's transcription: `text` vs `text` + `words` + `segments`)."""

    class Plain(rt._models.BaseModel):
        text: str

    class Verbose(rt._models.BaseModel):
        text: str
        language: str  # required, yet missing below: only Plain validates
        words: Optional[List[str]] = None

    ct = rt._models.construct_type
    data = {"text": "hi", "words": ["hi"]}
    verbose = ct(data, Union[Plain, Verbose])
    assert type(verbose).__name__ == "Verbose" and verbose.words == ["hi"]
    assert type(ct({"text": "hi"}, Union[Plain, Verbose])).__name__ == "Plain"  # a tie: first
