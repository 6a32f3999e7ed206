"""What the official SDK's runtime does and this one now does too (issue 25), against a
real server on 127.0.0.1: stream read failures as the client's own errors, request ids on
results, generic HTTP verbs, credentials as callables, checked arguments."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Reply, Server

SSE = {"Content-Type": "text/event-stream"}
FIRST = b'data: {"id":"c1","delta":"Hel"}\n\n'


def test_a_stalled_stream_raises_the_timeout_error(client: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(chunks=[FIRST], headers=SSE, hold=True))
    stream = client.with_options(timeout=0.5).completions.create(model="m", stream=True)
    with pytest.raises(rt._exceptions.APITimeoutError):
        list(stream)


def test_a_stream_cut_short_raises_the_connection_error(client: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(chunks=[FIRST], headers={**SSE, "Content-Length": "4096"}))
    with pytest.raises(rt._exceptions.APIConnectionError) as info:
        list(client.completions.create(model="m", stream=True))
    assert not isinstance(info.value, rt._exceptions.APITimeoutError)
    assert "RemoteProtocolError" in str(info.value)


async def test_async_streams_raise_the_same(aclient: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(chunks=[FIRST], headers=SSE, hold=True))
    stream = await aclient.with_options(timeout=0.5).completions.create(model="m", stream=True)
    with pytest.raises(rt._exceptions.APITimeoutError):
        async for _ in stream:
            pass
    server.reply(Reply(chunks=[FIRST], headers={**SSE, "Content-Length": "4096"}))
    stream = await aclient.completions.create(model="m", stream=True)
    with pytest.raises(rt._exceptions.APIConnectionError):
        async for _ in stream:
            pass


@pytest.mark.parametrize("bad", [-1, -5, 1.5, "2", True])
def test_max_retries_must_be_a_count(rt: Any, server: Server, bad: object) -> None:
    with pytest.raises((ValueError, TypeError), match="max_retries"):
        rt._client.Client(api_key="k", base_url=server.url, max_retries=bad)
    client = rt._client.Client(api_key="k", base_url=server.url, max_retries=0)
    with pytest.raises(ValueError, match="max_retries"):
        client.with_options(max_retries=-1)


def test_default_httpx_clients_keep_the_clients_settings(rt: Any, server: Server) -> None:
    base = rt._base_client
    http = base.DefaultHttpxClient(headers={"X-Proxy-Tag": "t"})
    assert http.timeout == base.DEFAULT_TIMEOUT and http.follow_redirects
    server.reply(Reply(body={"id": "c1", "content": "Hello"}))
    with rt._client.Client(api_key="k", base_url=server.url, http_client=http) as client:
        client.completions.create(model="m")
    assert server.requests[0].header("x-proxy-tag") == "t"
    ahttp = base.DefaultAsyncHttpxClient(timeout=3.0)
    assert ahttp.timeout == base.httpx.Timeout(3.0) and ahttp.follow_redirects


def test_results_and_pages_carry_the_request_id(client: Any, server: Server) -> None:
    server.reply(
        Reply(body={"id": "c1", "content": "Hello"}, headers={"x-request-id": "req_123"}),
        Reply(body={"object": "list", "data": [{"id": "f1", "filename": "a"}], "has_more": False}, headers={"x-request-id": "req_456"}),
        Reply(body={"id": "c2", "content": "Hi"}),
    )
    completion = client.completions.create(model="m")
    assert completion._request_id == "req_123"
    page = client.files.list()
    assert page._request_id == "req_456"
    assert page.data[0]._request_id is None  # only the object the response is
    assert client.completions.create(model="m")._request_id is None
    assert "_request_id" not in completion.to_dict() and "req_123" not in completion.to_json()


async def test_async_results_carry_the_request_id(aclient: Any, server: Server) -> None:
    server.reply(Reply(body={"id": "c1", "content": "Hello"}, headers={"x-request-id": "req_a"}))
    assert (await aclient.completions.create(model="m"))._request_id == "req_a"


def test_the_clients_own_http_verbs_return_cast_to(client: Any, server: Server, rt: Any) -> None:
    completion_cls = rt._resources.ChatCompletion
    server.reply(
        Reply(body={"id": "c1", "content": "Hello"}, headers={"x-request-id": "req_v"}),
        Reply(body={"id": "c2", "content": "Hi"}),
        Reply(body={"ok": True}),
        Reply(body={"ok": True}),
        Reply(status=204, body=b""),
    )
    got = client.get("/chat/completions/c1", cast_to=completion_cls, options={"params": {"x": "1"}, "headers": {"X-Extra": "e"}})
    assert isinstance(got, completion_cls) and got.content == "Hello" and got._request_id == "req_v"
    made = client.post("/chat/completions", cast_to=completion_cls, body={"model": "m"})
    assert made.id == "c2"
    assert client.put("/things/1", cast_to=dict, body={"a": 1}) == {"ok": True}
    assert client.patch("/things/1", cast_to=dict, body={"a": 2}, options={"extra_body": {"b": 3}}) == {"ok": True}
    assert client.delete("/things/1", cast_to=type(None)) is None
    first, second, put, patch, delete = server.requests
    assert (first.method, first.path) == ("GET", "/chat/completions/c1?x=1")
    assert first.header("x-extra") == "e" and first.header("authorization") == "Bearer sk-test-secret-123"
    assert (second.method, second.json()) == ("POST", {"model": "m"})
    assert (put.method, put.json(), patch.method, patch.json()) == ("PUT", {"a": 1}, "PATCH", {"a": 2, "b": 3})
    assert delete.method == "DELETE" and delete.body == b""


async def test_the_async_clients_http_verbs(aclient: Any, server: Server, rt: Any) -> None:
    server.reply(Reply(status=404, body={"error": {"message": "gone"}}), Reply(body={"id": "c3", "content": "x"}))
    with pytest.raises(rt._exceptions.NotFoundError):
        await aclient.get("/chat/completions/nope", cast_to=dict)
    got = await aclient.post("/chat/completions", cast_to=rt._resources.ChatCompletion, body={"model": "m"})
    assert got.id == "c3"
