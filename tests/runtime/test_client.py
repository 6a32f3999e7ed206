"""Client construction, headers, query, timeouts, copies and lifecycle."""

from __future__ import annotations

import platform
from typing import Any

import httpx
import pytest

from .conftest import Reply, Server

VIDEO = {"id": "v1", "completed_at": None}


def test_default_headers_and_auth(client: Any, server: Server) -> None:
    server.reply(Reply(body=VIDEO))
    client.videos.retrieve("v1")
    req = server.requests[0]
    assert req.method == "GET" and req.path == "/videos/v1"
    assert req.header("User-Agent") == f"rtpkg/2.3.0 python/{platform.python_version()}"
    assert req.header("Accept") == "application/json"
    assert req.header("Authorization") == "Bearer sk-test-secret-123"


def test_no_api_key_sends_without_auth(rt: Any, server: Server, monkeypatch: Any) -> None:
    monkeypatch.delenv("RTPKG_API_KEY", raising=False)
    server.reply(Reply(body=VIDEO))
    with rt._client.Client(base_url=server.url) as c:
        c.videos.retrieve("v1")
    assert server.requests[0].header("Authorization") is None


def test_env_fallbacks(rt: Any, server: Server, monkeypatch: Any) -> None:
    monkeypatch.setenv("RTPKG_API_KEY", "sk-from-env-456")
    monkeypatch.setenv("RTPKG_BASE_URL", server.url + "/v9")
    with rt._client.Client() as c:
        c.videos.retrieve("x")
    assert server.requests[0].path == "/v9/videos/x"
    assert server.requests[0].header("Authorization") == "Bearer sk-from-env-456"


@pytest.mark.parametrize("suffix", ["/v1", "/v1/"])
def test_base_url_trailing_slash(rt: Any, server: Server, suffix: str) -> None:
    with rt._client.Client(api_key="k", base_url=server.url + suffix) as c:
        assert str(c.base_url).endswith("/v1/")
        c.videos.retrieve("abc")
    assert server.requests[0].path == "/v1/videos/abc"


def test_default_and_extra_headers_and_query(rt: Any, server: Server) -> None:
    omit = rt._types.omit
    with rt._client.Client(
        api_key="k",
        base_url=server.url,
        default_headers={"X-Team": "a", "X-Drop": "1"},
        default_query={"tenant": "t1", "gone": "1"},
    ) as c:
        c.videos.list(
            limit=5,
            extra_headers={"X-Team": "b", "X-Drop": omit, "User-Agent": omit},
            extra_query={"gone": omit, "debug": True},
        )
    req = server.requests[0]
    assert req.header("X-Team") == "b"
    assert req.header("X-Drop") is None
    assert req.header("User-Agent") is None
    assert req.path == "/videos?tenant=t1&limit=5&debug=true"


def test_raw_response_marker_not_sent(client: Any, server: Server) -> None:
    server.reply(Reply(body=VIDEO))
    client.videos.with_raw_response.retrieve("v1")
    assert not any("sdkforge" in k.lower() for k in server.requests[0].headers)


def test_timeout_defaults(rt: Any) -> None:
    c = rt._client.Client(api_key="k", base_url="http://127.0.0.1:1")
    assert c.timeout == httpx.Timeout(600.0, connect=5.0)
    assert c.max_retries == 2
    assert rt._client.Client(api_key="k", base_url="http://x", timeout=3.0).timeout == 3.0
    c.close()


def test_per_request_timeout_is_applied(client: Any, server: Server) -> None:
    server.reply(
        Reply(body=VIDEO, delay=0.5), Reply(body=VIDEO, delay=0.5), Reply(body=VIDEO, delay=0.5)
    )
    exc = pytest.importorskip("rtpkg._exceptions")
    with pytest.raises(exc.APITimeoutError):
        client.videos.list(timeout=0.1)
    assert len(server.requests) == 3  # timeouts are retried (max_retries=2)


def test_repr_hides_key(client: Any) -> None:
    text = repr(client) + repr(client.auth)
    assert "sk-test-secret-123" not in text
    assert "base_url" in repr(client)


def test_context_manager_closes_owned_client(rt: Any) -> None:
    with rt._client.Client(api_key="k", base_url="http://127.0.0.1:1") as c:
        assert not c.is_closed()
    assert c.is_closed()


def test_injected_http_client_is_used_and_left_open(rt: Any, server: Server) -> None:
    seen: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda r: seen.append(str(r.url))]})
    with rt._client.Client(api_key="k", base_url=server.url, http_client=http) as c:
        c.videos.retrieve("v1")
    assert seen == [server.url + "/videos/v1"]
    assert not http.is_closed
    http.close()


def test_copy_shares_pool_and_overrides(client: Any, server: Server) -> None:
    copy = client.with_options(max_retries=0, default_headers={"X-Extra": "1"})
    assert type(copy) is type(client)
    assert copy._client is client._client
    assert copy.max_retries == 0 and client.max_retries == 2
    assert copy.api_key == client.api_key
    other = client.copy(api_key="sk-other-789", set_default_headers={"X-Only": "y"})
    server.reply(Reply(status=500), Reply(body=VIDEO))
    exc = pytest.importorskip("rtpkg._exceptions")
    with pytest.raises(exc.InternalServerError):
        copy.videos.retrieve("v1")  # no retry on the copy
    other.videos.retrieve("v1")
    assert server.requests[0].header("X-Extra") == "1"
    assert server.requests[1].header("Authorization") == "Bearer sk-other-789"
    assert server.requests[1].header("X-Only") == "y"
    copy.close()  # closing a copy leaves the shared pool open
    assert not client.is_closed()
