"""Exception hierarchy raised by the client.

The classes mirror OpenAI's SDK so callers can catch broadly (``APIError``) or
precisely (``RateLimitError``). Messages never embed request URLs or headers,
so credentials cannot leak through a logged traceback.
"""

from __future__ import annotations

import json
from typing import cast

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "InvalidWebhookSignatureError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "SDKError",
    "UnprocessableEntityError",
    "make_status_error",
]


class SDKError(Exception):
    """Base class for every error this package raises on purpose."""


class InvalidWebhookSignatureError(SDKError, ValueError):
    """A webhook delivery's signature (or timestamp) does not check out."""


class APIError(SDKError):
    """A request could not be completed or the API answered with an error."""

    message: str
    request: httpx.Request
    body: object
    """The decoded error body: JSON when it parses, else text, else None. When the API
    wraps its errors in an envelope (``{"error": {...}}``), the object inside it."""
    code: str | None = None
    """The error's ``code`` field, when the API's error object has one."""
    param: str | None = None
    """The error's ``param`` field (the argument at fault), when it has one."""
    type: str | None = None
    """The error's ``type`` field, when it has one."""

    def __init__(self, message: str, request: httpx.Request, *, body: object) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIResponseValidationError(APIError):
    """The response could not be interpreted as the declared type."""

    response: httpx.Response
    status_code: int

    def __init__(
        self, response: httpx.Response, body: object, *, message: str | None = None
    ) -> None:
        super().__init__(
            message or "Data returned by API invalid for expected schema.",
            response.request,
            body=body,
        )
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The API answered with a 4xx or 5xx status."""

    response: httpx.Response
    status_code: int
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")


class APIConnectionError(APIError):
    """No usable response arrived (DNS, refused connection, reset, TLS, ...)."""

    def __init__(self, *, message: str = "Connection error.", request: httpx.Request) -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__(message="Request timed out.", request=request)


class BadRequestError(APIStatusError):
    """HTTP 400."""


class AuthenticationError(APIStatusError):
    """HTTP 401."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ConflictError(APIStatusError):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429."""


class InternalServerError(APIStatusError):
    """HTTP 5xx."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _decode_body(response: httpx.Response) -> object:
    text = response.text
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _error_message(status_code: int, body: object) -> str:
    """Prefer the API's own ``error.message`` (or top-level ``message``)."""
    if isinstance(body, dict):
        data = cast("dict[str, object]", body)
        err = data.get("error")
        if isinstance(err, dict):
            msg = cast("dict[str, object]", err).get("message")
            if isinstance(msg, str) and msg:
                return msg
        top = data.get("message")
        if isinstance(top, str) and top:
            return top
        if isinstance(err, str) and err:
            return err
    if body is None:
        return f"Error code: {status_code}"
    detail = body if isinstance(body, str) else json.dumps(body, default=str)
    if len(detail) > 500:
        detail = detail[:500] + "..."
    return f"Error code: {status_code} - {detail}"


_OWN_ATTRIBUTES = frozenset(
    {"message", "request", "body", "response", "status_code", "request_id", "args"}
)
_TEXT_FIELDS = ("code", "param", "type")


def make_status_error(
    response: httpx.Response, envelope: str = "", fields: tuple[str, ...] = ()
) -> APIStatusError:
    """Build the most specific error class for an error response (body must be read).

    ``envelope`` names the one property the API's error bodies wrap the error object in
    (``"error"``): the error's ``body`` is then that object, and its declared ``fields``
    (``code``, ``param``, ``type`` ...) are attributes of the error.
    """
    body = _decode_body(response)
    message = _error_message(response.status_code, body)
    cls = _STATUS_ERRORS.get(response.status_code)
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    inner = body
    if envelope and isinstance(body, dict):
        wrapped = cast("dict[str, object]", body).get(envelope)
        if isinstance(wrapped, dict):
            inner = cast("dict[str, object]", wrapped)
    error = cls(message, response=response, body=inner)
    if isinstance(inner, dict):
        found = cast("dict[str, object]", inner)
        for name in fields:
            if name in found and name not in _OWN_ATTRIBUTES:
                value = found[name]
                if name in _TEXT_FIELDS:
                    value = None if value is None else str(value)
                setattr(error, name, value)
    return error
