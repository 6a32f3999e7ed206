"""Server-sent events: a spec-following decoder and typed event iterators.

``Stream[T]`` owns the HTTP response: iterating it reads the body lazily and the
connection is released when iteration ends, on ``close()`` or on ``with`` exit.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx

from ._exceptions import APIConnectionError, APIError, APITimeoutError
from ._utils import is_dict

__all__ = ["AsyncStream", "SSEDecoder", "ServerSentEvent", "Stream", "StreamEvent"]

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


@dataclass(frozen=True)
class StreamEvent(Generic[_T]):
    """One parsed event with its SSE fields (``Stream.events()``)."""

    event: str | None
    """The SSE ``event:`` name (``None`` when the server sent none)."""
    data: _T
    """The same value iterating the stream yields."""
    id: str | None
    retry: int | None


def _error(sse: ServerSentEvent, data: object) -> object | None:
    """The error an event reports: an ``error`` event, or an unnamed event whose data
    is ``{"error": {...}}`` (how OpenAI-style APIs fail in the middle of a stream)."""
    if sse.event == "error":
        return data
    if sse.event is None and is_dict(data) and is_dict(data.get("error")) and data["error"]:
        return data
    return None


def _convert(sse: ServerSentEvent, cast_to: object, response: httpx.Response) -> StreamEvent[Any]:
    """Parse one event's data leniently; an error event raises ``APIError``."""
    try:
        data: object = json.loads(sse.data)
    except ValueError:
        data = sse.data
    failed = _error(sse, data)
    if failed is not None:
        message = "An error occurred during streaming"
        if is_dict(failed):
            err = failed.get("error", failed)
            if is_dict(err):
                message = str(err.get("message", message))
        raise APIError(message, response.request, body=failed)
    from ._models import construct_type, is_event_envelope  # deferred: pydantic loads late

    envelope = sse.event is not None and is_event_envelope(cast_to)
    if envelope and not (is_dict(data) and "event" in data):
        data = {"event": sse.event, "data": data}  # as the official assistant streams
    return StreamEvent(sse.event, construct_type(data, cast_to), sse.id, sse.retry)


def _read_error(response: httpx.Response, exc: Exception) -> APIConnectionError:
    """What a stream that stalls or breaks raises: the client's own connection errors."""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(response.request)
    return APIConnectionError(
        message=f"Connection error while reading the stream: {type(exc).__name__}",
        request=response.request,
    )


def _chunks(response: httpx.Response) -> Iterator[bytes]:
    try:
        yield from response.iter_bytes()
    except (httpx.TransportError, httpx.StreamError) as exc:
        raise _read_error(response, exc) from exc


async def _achunks(response: httpx.Response) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_bytes():
            yield chunk
    except (httpx.TransportError, httpx.StreamError) as exc:
        raise _read_error(response, exc) from exc


def _iter_events(response: httpx.Response, cast_to: object) -> Iterator[StreamEvent[Any]]:
    # A plain function, not a method: the generator holds no reference to its Stream, so
    # dropping a half-read stream (`for x in client.create(stream=True): break`) frees the
    # generator at once and its `finally` closes the connection.
    try:
        for sse in SSEDecoder().iter_bytes(_chunks(response)):
            if sse.data.startswith("[DONE]"):
                break
            yield _convert(sse, cast_to, response)
    finally:
        response.close()


async def _aiter_events(
    response: httpx.Response, cast_to: object
) -> AsyncIterator[StreamEvent[Any]]:
    try:
        async for sse in SSEDecoder().aiter_bytes(_achunks(response)):
            if sse.data.startswith("[DONE]"):
                break
            yield _convert(sse, cast_to, response)
    finally:
        await response.aclose()


async def _adata(events: AsyncIterator[StreamEvent[Any]]) -> AsyncIterator[Any]:
    async for event in events:
        yield event.data


class Stream(Generic[_T]):
    """Synchronous iterator over parsed SSE events; a ``[DONE]`` event ends it.

    Leaving early: ``with stream:`` or ``stream.close()`` closes the connection (so does
    dropping the stream, in CPython at once).
    """

    def __init__(self, *, cast_to: object, response: httpx.Response) -> None:
        self.response = response
        self._events: Iterator[StreamEvent[_T]] = _iter_events(response, cast_to)
        self._iterator: Iterator[_T] = (event.data for event in self._events)

    def __iter__(self) -> Iterator[_T]:
        return self._iterator

    def __next__(self) -> _T:
        return next(self._iterator)

    def events(self) -> Iterator[StreamEvent[_T]]:
        """The rest of the stream with each event's SSE ``event``/``id``/``retry``."""
        return self._events

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
    """Asynchronous iterator over parsed SSE events; a ``[DONE]`` event ends it.

    Leaving early: ``async with stream:`` or ``await stream.close()``.
    """

    def __init__(self, *, cast_to: object, response: httpx.Response) -> None:
        self.response = response
        self._events: AsyncIterator[StreamEvent[_T]] = _aiter_events(response, cast_to)
        self._iterator: AsyncIterator[_T] = _adata(self._events)

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    def events(self) -> AsyncIterator[StreamEvent[_T]]:
        """The rest of the stream with each event's SSE ``event``/``id``/``retry``."""
        return self._events

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
