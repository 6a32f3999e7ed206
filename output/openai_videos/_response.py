"""Response objects and the ``with_raw_response`` / ``with_streaming_response`` wrappers.

As in OpenAI's SDK, a wrapper adds a private marker header to ``extra_headers``;
the client strips it before sending and returns an :class:`APIResponse` instead
of the parsed value ("raw": body already read; "stream": body left unread).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from types import TracebackType
from typing import (
    Any,
    Generic,
    ParamSpec,
    TypeVar,
    cast,
)

import httpx

from ._files import is_json_type
from ._streaming import AsyncStream, Stream

__all__ = [
    "RAW_RESPONSE_HEADER",
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "BinaryResponse",
    "ResponseContextManager",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

RAW_RESPONSE_HEADER = "X-Sdkforge-Raw-Response"
"""Private marker header: value "raw" or "stream". Never sent over the wire."""

_P = ParamSpec("_P")
_R = TypeVar("_R")
_ResponseT = TypeVar("_ResponseT", bound="APIResponse[Any]")
_AsyncResponseT = TypeVar("_AsyncResponseT", bound="AsyncAPIResponse[Any]")


class BinaryResponse:
    """A binary body (``response_kind="binary"``), e.g. a downloaded file.

    The body has been read (sync and async clients alike), so every method here is
    synchronous; ``with_streaming_response`` gives an unread body (``stream_to_file``).
    """

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def content(self) -> bytes:
        return self.response.content

    @property
    def text(self) -> str:
        return self.response.text

    @property
    def encoding(self) -> str | None:
        return self.response.encoding

    def json(self) -> Any:
        return json.loads(self.response.content)

    def read(self) -> bytes:
        return self.response.content

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.response.iter_lines()

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Write the body to ``file``."""
        _write(file, self.response.iter_bytes())

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        async for chunk in self.response.aiter_bytes(chunk_size):
            yield chunk

    def close(self) -> None:
        self.response.close()


def _write(file: str | os.PathLike[str], chunks: Iterable[bytes]) -> None:
    with open(file, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)


def parse_body(response: httpx.Response, cast_to: object, kind: str) -> object:
    """Turn an already-read response into the value generated code returns."""
    if kind == "binary":
        return BinaryResponse(response)
    if kind == "empty" or response.status_code == 204 or cast_to is type(None):
        return None
    if kind == "text" or cast_to is str:
        return response.text
    if not response.content:
        return None
    try:
        data: object = json.loads(response.content)
    except ValueError:
        return response.text  # non-JSON answer to a JSON operation: give the text back
    if isinstance(data, (int, float)) and not is_json_type(
        response.headers.get("content-type", "")
    ):
        return response.text  # e.g. text/plain "123" is text, not a number
    from ._models import BaseModel, construct_type  # deferred: pydantic loads late

    value = construct_type(data, cast_to)
    if isinstance(value, BaseModel):
        request_id = response.headers.get("x-request-id")
        value._request_id = request_id  # pyright: ignore[reportPrivateUsage]
    return value


class _BaseAPIResponse(Generic[_R]):
    def __init__(
        self,
        response: httpx.Response,
        cast_to: object,
        kind: str,
        build: Callable[[httpx.Response], object] | None = None,
    ) -> None:
        self.http_response = response
        self._cast_to = cast_to
        self._kind = kind
        self._build = build
        self._parsed: object | None = None
        self._is_parsed = False

    def _parse_read(self) -> object:
        """The value of an already-read body (a page when the call was a list)."""
        if self._build is not None:
            return self._build(self.http_response)
        return parse_body(self.http_response, self._cast_to, self._kind)

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] type={self._cast_to!r}>"


class APIResponse(_BaseAPIResponse[_R]):
    """The raw HTTP response of a sync call, parseable into the operation's type."""

    def parse(self) -> _R:
        if not self._is_parsed:
            if self._kind == "sse":
                self._parsed = Stream[Any](cast_to=self._cast_to, response=self.http_response)
            else:
                self.read()
                self._parsed = self._parse_read()
            self._is_parsed = True
        return cast(_R, self._parsed)

    def read(self) -> bytes:
        return self.http_response.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> object:
        return json.loads(self.read())

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def stream_to_file(self, file: str | os.PathLike[str], chunk_size: int | None = None) -> None:
        """Write the body to ``file`` as it arrives (never held whole in memory)."""
        _write(file, self.http_response.iter_bytes(chunk_size))

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_BaseAPIResponse[_R]):
    """The raw HTTP response of an async call; reading methods are awaitable."""

    async def parse(self) -> _R:
        if not self._is_parsed:
            if self._kind == "sse":
                self._parsed = AsyncStream[Any](cast_to=self._cast_to, response=self.http_response)
            else:
                await self.read()
                self._parsed = self._parse_read()
            self._is_parsed = True
        return cast(_R, self._parsed)

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> object:
        return json.loads(await self.read())

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def stream_to_file(
        self, file: str | os.PathLike[str], chunk_size: int | None = None
    ) -> None:
        """Write the body to ``file`` as it arrives (never held whole in memory)."""
        with open(file, "wb") as fh:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                fh.write(chunk)

    async def close(self) -> None:
        await self.http_response.aclose()


class ResponseContextManager(Generic[_ResponseT]):
    """Sends the request on ``__enter__``; closes the connection on ``__exit__``."""

    def __init__(self, request_func: Callable[[], _ResponseT]) -> None:
        self._request_func = request_func
        self._response: _ResponseT | None = None

    def __enter__(self) -> _ResponseT:
        self._response = self._request_func()
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[_AsyncResponseT]):
    """Async counterpart of :class:`ResponseContextManager`."""

    def __init__(self, request_func: Callable[[], Awaitable[_AsyncResponseT]]) -> None:
        self._request_func = request_func
        self._response: _AsyncResponseT | None = None

    async def __aenter__(self) -> _AsyncResponseT:
        self._response = await self._request_func()
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()


def _mark(kwargs: dict[str, Any], mode: str) -> None:
    headers: dict[str, Any] = dict(kwargs.get("extra_headers") or {})
    headers[RAW_RESPONSE_HEADER] = mode
    kwargs["extra_headers"] = headers


def to_raw_response_wrapper(func: Callable[_P, _R]) -> Callable[_P, APIResponse[_R]]:
    """``resource.with_raw_response.method(...)`` -> ``APIResponse[R]``."""

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_R]:
        _mark(kwargs, "raw")
        return cast("APIResponse[_R]", func(*args, **kwargs))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_R]]]:
    @functools.wraps(func)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncAPIResponse[_R]:
        _mark(kwargs, "raw")
        return cast("AsyncAPIResponse[_R]", await func(*args, **kwargs))

    return wrapped


def to_streamed_response_wrapper(
    func: Callable[_P, _R],
) -> Callable[_P, ResponseContextManager[APIResponse[_R]]]:
    """``with resource.with_streaming_response.method(...) as response:`` (body unread)."""

    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> ResponseContextManager[APIResponse[_R]]:
        _mark(kwargs, "stream")
        call = cast("Callable[[], APIResponse[_R]]", functools.partial(func, *args, **kwargs))
        return ResponseContextManager(call)

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, AsyncResponseContextManager[AsyncAPIResponse[_R]]]:
    @functools.wraps(func)
    def wrapped(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> AsyncResponseContextManager[AsyncAPIResponse[_R]]:
        _mark(kwargs, "stream")
        call = cast(
            "Callable[[], Awaitable[AsyncAPIResponse[_R]]]",
            functools.partial(func, *args, **kwargs),
        )
        return AsyncResponseContextManager(call)

    return wrapped
