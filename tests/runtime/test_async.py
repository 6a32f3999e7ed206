"""The async client: same behaviour through httpx.AsyncClient."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import Reply, Server

VIDEO = {"id": "v1", "completed_at": None}


async def test_async_request_and_multipart(aclient: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(body=VIDEO), Reply(body=VIDEO))
    video = await aclient.videos.edit(prompt="p", video={"id": "v0"})
    assert isinstance(video, rt._client.Video)
    await aclient.videos.edit(prompt="p", video=("a.mp4", b"DATA"))
    first, second = server.requests
    assert first.json() == {"prompt": "p", "video": {"id": "v0"}}
    assert (second.header("Content-Type") or "").startswith("multipart/form-data")
    assert b'filename="a.mp4"' in second.body and b"DATA" in second.body
    assert first.header("Authorization") == "Bearer sk-test-secret-123"


async def test_async_retries_and_errors(
    aclient: Any, server: Server, sleeps: list[float], rt: Any
) -> None:
    server.reply(
        Reply(status=429, headers={"retry-after": "2"}), Reply(status=500), Reply(body=VIDEO)
    )
    await aclient.videos.edit(prompt="p", video=b"F")
    assert len(server.requests) == 3
    assert server.requests[0].body == server.requests[2].body
    assert sleeps[0] == 2.0 and 0.75 <= sleeps[1] <= 1.0
    server.reply(Reply(status=422, body={"error": {"message": "bad prompt"}}))
    with pytest.raises(rt._exceptions.UnprocessableEntityError, match="bad prompt"):
        await aclient.videos.edit(prompt="p", video={"id": "x"})


async def test_async_connection_errors(rt: Any, sleeps: list[float]) -> None:
    async with rt._client.AsyncClient(api_key="k", base_url="http://127.0.0.1:9") as c:
        with pytest.raises(rt._exceptions.APIConnectionError):
            await c.videos.edit(prompt="p", video={"id": "x"})
    assert len(sleeps) == 2


async def test_async_timeout(rt: Any, server: Server, sleeps: list[float]) -> None:
    server.reply(Reply(body=VIDEO, delay=0.4), Reply(body=VIDEO, delay=0.4))
    async with rt._client.AsyncClient(api_key="k", base_url=server.url, max_retries=1) as c:
        with pytest.raises(rt._exceptions.APITimeoutError):
            await c.videos.edit(prompt="p", video={"id": "x"}, timeout=0.1)
    assert len(server.requests) == 2


async def test_async_wrappers(aclient: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(body=VIDEO, headers={"x-request-id": "r1"}), Reply(body=VIDEO))
    raw = await aclient.videos.with_raw_response.edit(prompt="p", video={"id": "x"})
    assert isinstance(raw, rt._response.AsyncAPIResponse)
    assert raw.headers["x-request-id"] == "r1" and (await raw.parse()).id == "v1"
    async with aclient.videos.with_streaming_response.edit(prompt="p", video={"id": "x"}) as r:
        assert not r.http_response.is_stream_consumed
        body = b"".join([c async for c in r.iter_bytes()])
        assert b'"id": "v1"' in body
    assert r.http_response.is_closed


async def test_async_sse(aclient: Any, server: Server, rt: Any) -> None:
    server.reply(
        Reply(
            chunks=[b'data: {"type":"progress","progress":3}\n\n', b"data: [DONE]\n\n"],
            headers={"Content-Type": "text/event-stream"},
        )
    )
    stream = await aclient.videos.events("v1")
    assert isinstance(stream, rt._streaming.AsyncStream)
    events = [e async for e in stream]
    assert len(events) == 1 and events[0].progress == 3


async def test_async_query_key_auth_and_copy(rt: Any, server: Server) -> None:
    http = httpx.AsyncClient()
    c = rt._client.AsyncClient(
        api_key="k1", base_url=server.url, http_client=http, query_key="qk-123"
    )
    await c.request(None, method="get", path="/x", security=[["QueryKey"]], response_kind="empty")
    assert server.requests[0].path == "/x?key=qk-123"
    copy = c.with_options(timeout=5.0)
    assert copy._client is http and copy.timeout == 5.0 and copy.api_key == "k1"
    await c.close()
    assert not http.is_closed  # injected clients belong to the caller
    await http.aclose()
    assert c.is_closed()
