"""Auth schemes and selection, OAuth2 token caching, log redaction."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest

from .conftest import Reply, Server

VIDEO = {"id": "v1", "completed_at": None}


def test_select_schemes(rt: Any) -> None:
    a = rt._auth
    bearer, key = a.BearerAuth("t"), a.APIKeyAuth("X-Key", "header", "k")
    configured = {"Bearer": bearer, "Key": key, "Missing": None}
    assert a.select_schemes([["Missing"], ["Bearer", "Key"]], configured) == [bearer, key]
    assert a.select_schemes([["Missing", "Bearer"], ["Key"]], configured) == [key]
    assert a.select_schemes([["Missing"]], configured) == []
    assert a.select_schemes([[], ["Bearer"]], configured) == []  # optional auth: {} first
    assert a.select_schemes([], configured) == []


def test_scheme_application(rt: Any) -> None:
    a = rt._auth
    headers: dict[str, str] = {}
    query: dict[str, object] = {}
    cookies: dict[str, str] = {}
    a.BasicAuth("user", "pa:ss").apply(headers, query, cookies)
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"user:pa:ss").decode()
    a.APIKeyAuth("api_key", "query", "q1").apply(headers, query, cookies)
    a.APIKeyAuth("sid", "cookie", "c1").apply(headers, query, cookies)
    assert query == {"api_key": "q1"} and cookies == {"sid": "c1"}
    assert "pa:ss" not in repr(a.BasicAuth("user", "pa:ss"))
    assert "c1" not in repr(a.APIKeyAuth("sid", "cookie", "c1"))


def test_query_and_cookie_auth_end_to_end(rt: Any, server: Server) -> None:
    a = rt._auth
    with rt._base_client.SyncAPIClient(
        base_url=server.url,
        auth={
            "Q": a.APIKeyAuth("key", "query", "qsecret-1"),
            "C": a.APIKeyAuth("sid", "cookie", "csecret-1"),
        },
    ) as c:
        c.request(
            None,
            method="get",
            path="/x",
            security=[["Q", "C"]],
            response_kind="empty",
            extra_query={"z": 1},
        )
    req = server.requests[0]
    assert req.path == "/x?key=qsecret-1&z=1"
    assert req.header("Cookie") == "sid=csecret-1"


def test_oauth2_client_credentials(rt: Any, server: Server, monkeypatch: Any) -> None:
    a = rt._auth
    oauth = a.OAuth2ClientCredentials(
        server.url + "/oauth/token", "cid", "csecret-xyz", scopes=("videos.read", "videos.write")
    )
    server.reply(
        Reply(body={"access_token": "tok-1", "expires_in": 3600}),
        Reply(body=VIDEO),
        Reply(body=VIDEO),
        Reply(body={"access_token": "tok-2", "expires_in": 3600}),
        Reply(body=VIDEO),
    )
    with rt._base_client.SyncAPIClient(base_url=server.url, auth={"OAuth": oauth}) as c:

        def call() -> None:
            c.request(None, method="get", path="/v", security=[["OAuth"]], response_kind="empty")

        call()
        call()  # cached token
        clock = rt._auth.time.monotonic() + 3600
        monkeypatch.setattr(rt._auth.time, "monotonic", lambda: clock)  # near expiry
        call()
    token_req, first, second, refresh, third = server.requests
    assert token_req.path == "/oauth/token" and token_req.method == "POST"
    assert token_req.body == b"grant_type=client_credentials&scope=videos.read+videos.write"
    assert (
        token_req.header("Authorization")
        == "Basic " + base64.b64encode(b"cid:csecret-xyz").decode()
    )
    assert first.header("Authorization") == second.header("Authorization") == "Bearer tok-1"
    assert refresh.path == "/oauth/token"
    assert third.header("Authorization") == "Bearer tok-2"


def test_oauth2_token_error_raises(rt: Any, server: Server) -> None:
    oauth = rt._auth.OAuth2ClientCredentials(server.url + "/token", "cid", "sec")
    server.reply(Reply(status=401, body={"error": {"message": "invalid_client"}}))
    with rt._base_client.SyncAPIClient(base_url=server.url, auth={"O": oauth}) as c:
        with pytest.raises(rt._exceptions.AuthenticationError, match="invalid_client"):
            c.request(None, method="get", path="/v", security=[["O"]])


def test_logging_redacts_secrets(
    rt: Any, server: Server, monkeypatch: Any, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("RTPKG_LOG", "debug")
    a = rt._auth
    caplog.set_level(logging.DEBUG, logger="rtpkg")
    server.reply(Reply(status=500), Reply(body=VIDEO))
    with rt._base_client.SyncAPIClient(
        base_url=server.url,
        default_headers={"X-Api-Key": "hdr-secret-1"},
        auth={
            "B": a.BearerAuth("bearer-secret-1"),
            "Q": a.APIKeyAuth("key", "query", "qs-secret-1"),
        },
    ) as c:
        monkeypatch.setattr(rt._base_client, "_sleep", lambda s: None)
        c.request(
            None,
            method="get",
            path="/v",
            security=[["B", "Q"]],
            response_kind="empty",
            extra_query={"apiKey": "qp-secret-1"},
            extra_headers={"Cookie": "a=ck-secret"},
        )
    text = caplog.text
    assert "HTTP Request: GET" in text and "Retrying request" in text
    for secret in ("hdr-secret-1", "bearer-secret-1", "qs-secret-1", "qp-secret-1", "ck-secret"):
        assert secret not in text
    assert logging.getLogger("rtpkg").level == logging.DEBUG


def test_redactor_unit(rt: Any) -> None:
    r = rt._logs.Redactor(secrets=["s3cr3t-value"], names=["key"])
    assert r.headers({"Authorization": "x", "X-Auth-Token": "y", "Accept": "s3cr3t-value!"}) == {
        "Authorization": "***",
        "X-Auth-Token": "***",
        "Accept": "***!",
    }
    assert (
        r.url("http://h/p?key=abc&apikey=def&ok=1")
        == "http://h/p?key=%2A%2A%2A&apikey=%2A%2A%2A&ok=1"
    )


async def test_async_oauth2(rt: Any, server: Server) -> None:
    oauth = rt._auth.OAuth2ClientCredentials(server.url + "/token", "cid", "sec-async")
    server.reply(
        Reply(body={"access_token": "atok", "expires_in": "120"}),
        Reply(body=VIDEO),
        Reply(body=VIDEO),
    )
    async with rt._base_client.AsyncAPIClient(base_url=server.url, auth={"O": oauth}) as c:
        for _ in range(2):
            await c.request(None, method="get", path="/v", security=[["O"]], response_kind="empty")
    assert [r.path for r in server.requests] == ["/token", "/v", "/v"]
    assert server.requests[2].header("Authorization") == "Bearer atok"


def test_401_invalidates_cached_token(rt: Any, server: Server) -> None:
    oauth = rt._auth.OAuth2ClientCredentials(server.url + "/token", "cid", "sec")
    server.reply(
        Reply(body={"access_token": "t1"}),
        Reply(status=401),
        Reply(body={"access_token": "t2"}),
        Reply(body=VIDEO),
    )
    with rt._base_client.SyncAPIClient(base_url=server.url, auth={"O": oauth}) as c:
        with pytest.raises(rt._exceptions.AuthenticationError):
            c.request(None, method="get", path="/v", security=[["O"]])
        c.request(None, method="get", path="/v", security=[["O"]], response_kind="empty")
    assert server.requests[3].header("Authorization") == "Bearer t2"


def test_connection_error_message_is_redacted(rt: Any, sleeps: list[float]) -> None:
    a = rt._auth
    with (
        rt._base_client.SyncAPIClient(
            base_url="http://127.0.0.1:9",
            max_retries=0,
            auth={"Q": a.APIKeyAuth("key", "query", "qsecret-zz")},
        ) as c,
        pytest.raises(rt._exceptions.APIConnectionError) as info,
    ):
        c.request(None, method="get", path="/v", security=[["Q"]])
    assert "qsecret-zz" not in str(info.value)
