"""HTTP status -> exception mapping and error details."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Reply, Server


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (418, "APIStatusError"),
        (410, "APIStatusError"),
    ],
)
def test_status_mapping(rt: Any, server: Server, status: int, name: str) -> None:
    exc = rt._exceptions
    server.reply(
        Reply(
            status=status,
            body={"error": {"message": f"boom {status}"}},
            headers={"x-request-id": "req_123", "x-should-retry": "false"},
        )
    )
    with rt._client.Client(api_key="sk-test-secret-123", base_url=server.url) as c:
        with pytest.raises(exc.APIStatusError) as info:
            c.videos.retrieve("v1")
    err = info.value
    assert type(err) is getattr(exc, name)
    assert isinstance(err, exc.APIError)
    assert err.status_code == status
    assert err.message == f"boom {status}"
    assert err.body == {"error": {"message": f"boom {status}"}}
    assert err.request_id == "req_123"
    assert err.response.status_code == status


def test_hierarchy(rt: Any) -> None:
    exc = rt._exceptions
    assert issubclass(exc.APITimeoutError, exc.APIConnectionError)
    assert issubclass(exc.APIConnectionError, exc.APIError)
    assert issubclass(exc.RateLimitError, exc.APIStatusError)
    assert not issubclass(exc.APIConnectionError, exc.APIStatusError)


def test_text_body_and_message(client: Any, server: Server) -> None:
    from rtpkg._exceptions import NotFoundError

    server.reply(Reply(status=404, body="no such video", headers={"Content-Type": "text/plain"}))
    with pytest.raises(NotFoundError) as info:
        client.videos.retrieve("v1")
    assert info.value.body == "no such video"
    assert info.value.message == "Error code: 404 - no such video"
    assert info.value.request_id is None
    assert "sk-test-secret-123" not in str(info.value)


def test_empty_body_message(client: Any, server: Server) -> None:
    from rtpkg._exceptions import PermissionDeniedError

    server.reply(Reply(status=403, body=b""))
    with pytest.raises(PermissionDeniedError) as info:
        client.videos.retrieve("v1")
    assert info.value.body is None and info.value.message == "Error code: 403"
