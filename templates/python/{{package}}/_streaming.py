"""Server-sent events: a spec-following decoder and typed event iterators.

``Stream[T]`` owns the HTTP response: iterating it reads the body lazily and the
connection is released when iteration ends, on ``close()`` or on ``with`` exit.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, TypeVar, cast

import httpx

from ._exceptions import APIError
from ._utils import is_dict

__all__ = ["AsyncStream", "SSEDecoder", "ServerSentEvent", "Stream"]

_T = TypeVar("_T")


@dataclass(frozen=True)
class ServerSentEvent:
    event: str | None
    data: str
    id: str | None
    retry: int | None

    def json(self) -> object:
        return json.loads(self.data)


class SSEDecoder:
    """Incremental decoder for the ``text/event-stream`` format (WHATWG HTML §9.2)."""

    def __init__(self) -> None:
        self._buffer = b""
        self._event: str | None = None
        self._data: list[str] = []
        self._last_id: str | None = None
        self._retry: int | None = None

    def _split(self, chunk: bytes) -> list[bytes]:
        """Complete lines in the buffer; CRLF, CR and LF all end a line."""
        self._buffer += chunk
        lines: list[bytes] = []
        while True:
            cr, lf = self._buffer.find(b"\r"), self._buffer.find(b"\n")
            idx = min(i for i in (cr, lf, len(self._buffer)) if i >= 0)
            if idx == len(self._buffer):
                return lines
            end = idx + 1
            if self._buffer[idx : idx + 1] == b"\r":
                if end == len(self._buffer):
                    return lines  # a following "\n" may still arrive
                if self._buffer[end : end + 1] == b"\n":
                    end += 1
            lines.append(self._buffer[:idx])
            self._buffer = self._buffer[end:]

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        events = (self.decode(line.decode("utf-8", "replace")) for line in self._split(chunk))
        return [e for e in events if e is not None]

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: finish a last event even without its trailing blank line."""
        events = self.feed(b"\n") if self._buffer else []
        tail = self.decode("")
        return events + ([tail] if tail is not None else [])

    def decode(self, line: str) -> ServerSentEvent | None:
        if not line:
            if self._event is None and not self._data:
                return None
            sse = ServerSentEvent(self._event, "\n".join(self._data), self._last_id, self._retry)
            self._event, self._data, self._retry = None, [], None
            return sse
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._last_id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def iter_bytes(self, chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
        for chunk in chunks:
            yield from self.feed(chunk)
        yield from self.flush()

    async def aiter_bytes(self, chunks: AsyncIterator[bytes]) -> AsyncIterator[ServerSentEvent]:
        async for chunk in chunks:
            for sse in self.feed(chunk):
                yield sse
        for sse in self.flush():
            yield sse


def _convert(sse: ServerSentEvent, cast_to: object, response: httpx.Response) -> object:
    """Parse one event's data leniently; an ``error`` event raises ``APIError``."""
    try:
        data: object = json.loads(sse.data)
    except ValueError:
        data = sse.data
    if sse.event == "error":
        message = "An error occurred during streaming"
        if is_dict(data):
            err = data.get("error", data)
            if is_dict(err):
                message = str(err.get("message", message))
        raise APIError(message, response.request, body=data)
    from ._models import construct_type  # deferred: pydantic loads on the first parse

    return construct_type(data, cast_to)


class Stream(Generic[_T]):
    """Synchronous iterator over parsed SSE events; a ``[DONE]`` event ends it."""

    def __init__(self, *, cast_to: object, response: httpx.Response) -> None:
        self.response = response
        self._cast_to = cast_to
        self._iterator = self._events()

    def _events(self) -> Iterator[_T]:
        try:
            for sse in SSEDecoder().iter_bytes(self.response.iter_bytes()):
                if sse.data.startswith("[DONE]"):
                    break
                yield cast(_T, _convert(sse, self._cast_to, self.response))
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[_T]:
        return self._iterator

    def __next__(self) -> _T:
        return next(self._iterator)

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> Stream[_T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[_T]):
    """Asynchronous iterator over parsed SSE events; a ``[DONE]`` event ends it."""

    def __init__(self, *, cast_to: object, response: httpx.Response) -> None:
        self.response = response
        self._cast_to = cast_to
        self._iterator = self._events()

    async def _events(self) -> AsyncIterator[_T]:
        try:
            async for sse in SSEDecoder().aiter_bytes(self.response.aiter_bytes()):
                if sse.data.startswith("[DONE]"):
                    break
                yield cast(_T, _convert(sse, self._cast_to, self.response))
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[_T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
