"""Retry policy (pure) and retry behaviour against a real server."""

from __future__ import annotations

import email.utils
import io
from typing import Any

import pytest

from .conftest import Reply, Server

VIDEO = {"id": "v1", "completed_at": None}


def test_backoff_schedule(rt: Any) -> None:
    delay = rt._utils.retry_delay
    no_jitter = [delay(n, rand=lambda: 0.0) for n in range(6)]
    assert no_jitter == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    full_jitter = [delay(n, rand=lambda: 1.0) for n in range(3)]
    assert full_jitter == [0.375, 0.75, 1.5]


def test_retry_after_headers(rt: Any) -> None:
    from rtpkg._utils import parse_retry_after, retry_delay

    def zero() -> float:
        return 0.0

    assert retry_delay(0, {"Retry-After": "3"}, rand=zero) == 3.0
    assert retry_delay(0, {"retry-after-ms": "1500"}, rand=zero) == 1.5
    assert retry_delay(0, {"retry-after-ms": "250", "retry-after": "9"}, rand=zero) == 0.25
    assert retry_delay(1, {"Retry-After": "120"}, rand=zero) == 1.0  # > 60 s: ignored
    assert retry_delay(1, {"Retry-After": "garbage"}, rand=zero) == 1.0
    date = email.utils.formatdate(1_000_010.0, usegmt=True)
    assert parse_retry_after({"Retry-After": date}, now=1_000_000.0) == pytest.approx(10.0)
    assert retry_delay(0, {"Retry-After": date}, rand=zero, now=1_000_000.0) == pytest.approx(10)


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (408, {}, True),
        (409, {}, True),
        (429, {}, True),
        (500, {}, True),
        (503, {}, True),
        (400, {}, False),
        (404, {}, False),
        (422, {}, False),
        (500, {"x-should-retry": "false"}, False),
        (400, {"x-should-retry": "true"}, True),
    ],
)
def test_should_retry(rt: Any, status: int, headers: dict[str, str], expected: bool) -> None:
    import httpx
    from rtpkg._utils import should_retry

    assert should_retry(httpx.Response(status, headers=headers)) is expected


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(
    client: Any, server: Server, sleeps: list[float], status: int
) -> None:
    server.reply(Reply(status=status, body={"error": {"message": "x"}}), Reply(body=VIDEO))
    assert client.videos.retrieve("v1").id == "v1"
    assert len(server.requests) == 2
    assert len(sleeps) == 1 and 0.375 <= sleeps[0] <= 0.5


def test_gives_up_after_max_retries(client: Any, server: Server, sleeps: list[float]) -> None:
    from rtpkg._exceptions import InternalServerError

    server.reply(*[Reply(status=503) for _ in range(5)])
    with pytest.raises(InternalServerError):
        client.videos.retrieve("v1")
    assert len(server.requests) == 3
    assert [round(s / 0.5) for s in sleeps] == [1, 2]  # 0.5 then 1.0 (minus jitter)


def test_non_retryable_status_is_not_retried(client: Any, server: Server) -> None:
    from rtpkg._exceptions import BadRequestError

    server.reply(Reply(status=400, body={"error": {"message": "bad"}}), Reply(body=VIDEO))
    with pytest.raises(BadRequestError):
        client.videos.retrieve("v1")
    assert len(server.requests) == 1


def test_should_retry_header_wins(client: Any, server: Server) -> None:
    from rtpkg._exceptions import InternalServerError

    server.reply(Reply(status=500, headers={"x-should-retry": "false"}))
    with pytest.raises(InternalServerError):
        client.videos.retrieve("v1")
    assert len(server.requests) == 1
    server.reply(Reply(status=400, headers={"x-should-retry": "true"}), Reply(body=VIDEO))
    client.videos.retrieve("v1")
    assert len(server.requests) == 3


def test_retry_after_is_honoured(client: Any, server: Server, sleeps: list[float]) -> None:
    server.reply(
        Reply(status=429, headers={"Retry-After": "7"}),
        Reply(status=429, headers={"retry-after-ms": "20"}),
        Reply(body=VIDEO),
    )
    client.videos.retrieve("v1")
    assert sleeps == [7.0, 0.02]


def test_connection_errors_are_retried(client: Any, server: Server, sleeps: list[float]) -> None:
    server.reply(Reply(drop=True), Reply(body=VIDEO))
    assert client.videos.retrieve("v1").id == "v1"
    assert len(server.requests) == 2 and len(sleeps) == 1


def test_connection_error_after_retries(client: Any, server: Server) -> None:
    from rtpkg._exceptions import APIConnectionError, APITimeoutError

    server.reply(*[Reply(drop=True) for _ in range(3)])
    with pytest.raises(APIConnectionError) as info:
        client.videos.retrieve("v1")
    assert not isinstance(info.value, APITimeoutError)
    assert len(server.requests) == 3


def test_refused_connection(rt: Any, sleeps: list[float]) -> None:
    from rtpkg._exceptions import APIConnectionError

    with rt._client.Client(api_key="k", base_url="http://127.0.0.1:9", max_retries=1) as c:
        with pytest.raises(APIConnectionError):
            c.videos.retrieve("v1")
    assert len(sleeps) == 1


def test_max_retries_zero(client: Any, server: Server) -> None:
    from rtpkg._exceptions import RateLimitError

    server.reply(Reply(status=429), Reply(body=VIDEO))
    with pytest.raises(RateLimitError):
        client.with_options(max_retries=0).videos.retrieve("v1")
    assert len(server.requests) == 1


def test_file_body_resent_intact_on_retry(client: Any, server: Server) -> None:
    class OneShot(io.RawIOBase):
        """A non-seekable stream that can be read only once."""

        def __init__(self) -> None:
            self.data = b"\x00\x01video-bytes" * 100
            self.name = "/tmp/clip.mp4"

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            data, self.data = self.data, b""
            return data

    server.reply(Reply(status=500), Reply(status=502), Reply(body=VIDEO))
    client.videos.edit(prompt="p", video=OneShot())
    bodies = [r.body for r in server.requests]
    assert len(bodies) == 3
    assert b"\x00\x01video-bytes" * 100 in bodies[0]
    assert bodies[0] == bodies[1] == bodies[2]
