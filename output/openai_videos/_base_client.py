"""HTTP plumbing shared by every generated client: request building, auth,
retries with backoff, error mapping and response handling.

Generated clients subclass :class:`SyncAPIClient` / :class:`AsyncAPIClient` and
call :meth:`request` with a static description of the operation; all policy
lives here so it is written, reviewed and tested once.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import platform
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypedDict, TypeVar, cast

import httpx

from ._auth import AuthScheme
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    make_status_error,
)
from ._logs import (
    Redactor,
    log_request,
    log_response,
    log_retry,
    redact_http_library_logs,
    setup_logging,
)
from ._pagination import (
    AsyncPaginator,
    BaseAsyncPage,
    BaseSyncPage,
    PageRequest,
    Paging,
    make_page,
)
from ._request_options import (
    PreparedRequest,
    RequestOptions,
    astrip_credentials_on_redirect,
    build_request,
    prepare_request,
    strip_credentials_on_redirect,
)
from ._response import APIResponse, AsyncAPIResponse, parse_body
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutArg
from ._utils import parse_retry_after, retry_delay, should_retry
from ._version import __title__, __version__

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._request_options import RequestArgs

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "SyncAPIClient",
    "SyncAPIResource",
    "VerbOptions",
    "parse_retry_after",
    "retry_delay",
    "should_retry",
]

DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
_USER_AGENT = f"{__title__}/{__version__} python/{platform.python_version()}"

_T = TypeVar("_T")
_HttpxT = TypeVar("_HttpxT", httpx.Client, httpx.AsyncClient)
_ClientT = TypeVar("_ClientT", bound="BaseClient[Any]")
_SyncPageT = TypeVar("_SyncPageT", bound=BaseSyncPage[Any])
_AsyncPageT = TypeVar("_AsyncPageT", bound=BaseAsyncPage[Any])
_Build = Callable[[httpx.Response], object]
"""Turns a read response into the value returned (a page), instead of ``parse_body``."""


class DefaultHttpxClient(httpx.Client):
    """An ``httpx.Client`` with the settings the client uses for its own (the default
    timeout, following redirects): a base for ``http_client=`` that keeps them, e.g.
    ``DefaultHttpxClient(proxy="http://proxy:8080")``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("follow_redirects", True)
        super().__init__(**kwargs)


class DefaultAsyncHttpxClient(httpx.AsyncClient):
    """``DefaultHttpxClient`` for the async client."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("follow_redirects", True)
        super().__init__(**kwargs)


class VerbOptions(TypedDict, total=False):
    """``options=`` of the client's own HTTP verbs (``client.get(path, cast_to=...)``)."""

    headers: Headers
    params: Query
    """Query parameters."""
    timeout: TimeoutArg
    extra_body: object
    """Fields merged into a JSON ``body``."""


def _check_retries(max_retries: object) -> int:
    """``max_retries`` is a count: a negative number or a non-integer is a mistake."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise TypeError(f"max_retries must be an int, got {type(max_retries).__name__}")
    if max_retries < 0:
        raise ValueError(f"max_retries must be 0 or more, got {max_retries}")
    return max_retries


def _sleep(seconds: float) -> None:  # module level so tests can replace it
    time.sleep(seconds)


async def _async_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


class BaseClient(Generic[_HttpxT]):
    """State and request building shared by the sync and async clients."""

    _client: _HttpxT
    _http_client_class: type[_HttpxT]
    _redirect_hook: Callable[[httpx.Request], object]
    _error_envelope: ClassVar[str] = ""
    """The property the API wraps error objects in (``"error"``), from the spec."""
    _error_fields: ClassVar[tuple[str, ...]] = ()
    """The error object's declared fields, set as attributes of the raised error."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: _HttpxT | None = None,
        auth: Mapping[str, AuthScheme | None] | None = None,
    ) -> None:
        setup_logging()
        self.base_url = httpx.URL(str(base_url).rstrip("/") + "/")
        self.timeout: float | httpx.Timeout | None = (
            DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        )
        self.max_retries = _check_retries(max_retries)
        self.default_headers: dict[str, str] = dict(default_headers or {})
        self.default_query: dict[str, object] = dict(default_query or {})
        self.auth: dict[str, AuthScheme | None] = dict(auth or {})
        self._redactor()  # registers the credentials with the httpx log filter
        # The client owns (and closes) its httpx client unless one was injected.
        self._owns_client = http_client is None
        self._client = http_client or self._http_client_class(
            timeout=self.timeout, follow_redirects=True
        )
        hooks = self._client.event_hooks["request"]
        if self._redirect_hook not in hooks:
            hooks.append(self._redirect_hook)

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"<{name} base_url={str(self.base_url)!r} max_retries={self.max_retries}>"

    @property
    def user_agent(self) -> str:
        return _USER_AGENT

    def _redactor(self) -> Redactor:
        schemes = [s for s in self.auth.values() if s is not None]
        secrets = [x for s in schemes for x in s.secrets()]
        redact_http_library_logs(secrets)
        return Redactor(secrets=secrets, names=[n for s in schemes for n in s.sensitive_names()])

    def _page_builder(
        self, page: type[Any], paging: Paging, cast_to: object, options: RequestOptions
    ) -> _Build:
        """Makes the page from a read response; the page fetches its successor the same way."""
        request = PageRequest(options, paging, cast_to)
        fetch = functools.partial(self._get_page, page, paging, cast_to)
        return lambda response: make_page(page, response, request, fetch)

    def _get_page(
        self, page: type[Any], paging: Paging, cast_to: object, options: RequestOptions
    ) -> Any:
        raise NotImplementedError  # sync: the page; async: a coroutine of the page

    def _verb(
        self, method: str, path: str, body: object, options: VerbOptions | None
    ) -> RequestOptions:
        """One call of ``get``/``post``/...: JSON body, the first configured credential."""
        opts: VerbOptions = options or {}
        configured = tuple((name,) for name, scheme in self.auth.items() if scheme is not None)
        return RequestOptions(
            method=method,
            path=path,
            body=NOT_GIVEN if body is None else body,
            content_types=("application/json",) if body is not None else (),
            security=configured[:1],
            extra_headers=opts.get("headers"),
            extra_query=opts.get("params"),
            extra_body=opts.get("extra_body"),
            timeout=opts.get("timeout", NOT_GIVEN),
        )

    def option_headers(self) -> dict[str, str]:
        """Headers the generated client's own options send (``organization`` ...);
        ``default_headers`` win over them."""
        return {}

    def option_query(self) -> dict[str, object]:
        """Query parameters the generated client's own options send."""
        return {}

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        return make_status_error(response, self._error_envelope, self._error_fields)

    def _connection_error(self, request: httpx.Request, exc: Exception) -> APIConnectionError:
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(request)
        detail = self._redactor().text(str(exc)) or type(exc).__name__
        return APIConnectionError(message=f"Connection error: {detail}", request=request)

    def _copy_kwargs(self) -> dict[str, Any]:
        """Constructor arguments that recreate this client (used by :meth:`copy`).

        Generated subclasses extend this with their own arguments, e.g.
        ``return {**super()._copy_kwargs(), "api_key": self.api_key}``. Keys the
        subclass constructor does not accept (such as ``auth`` when the subclass
        derives it from ``api_key``) are dropped automatically.
        """
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": dict(self.default_headers),
            "default_query": dict(self.default_query),
            "http_client": self._client,
            "auth": dict(self.auth),
        }

    def _finish(self, response: httpx.Response, prep: PreparedRequest) -> Any:
        """What a successful send returns: a raw response, a stream, a page or the model."""
        is_async = isinstance(self._client, httpx.AsyncClient)
        if prep.mode != "parsed":
            wrapper = AsyncAPIResponse[Any] if is_async else APIResponse[Any]
            return wrapper(response, prep.cast_to, prep.kind, prep.build)
        if prep.kind == "sse":
            stream = AsyncStream[Any] if is_async else Stream[Any]
            return stream(cast_to=prep.cast_to, response=response)
        if prep.build is not None:
            return prep.build(response)
        return parse_body(response, prep.cast_to, prep.kind)

    def copy(
        self: _ClientT,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        **overrides: Any,
    ) -> _ClientT:
        """A configured copy sharing this client's connection pool.

        ``default_headers``/``default_query`` are merged into the current ones;
        the ``set_`` variants replace them. Closing a copy leaves the shared
        pool open; closing the original closes it.
        """
        kwargs = self._copy_kwargs()
        if base_url is not None:
            kwargs["base_url"] = base_url
        if not isinstance(timeout, NotGiven):
            kwargs["timeout"] = timeout
        if max_retries is not None:
            kwargs["max_retries"] = max_retries
        headers = {**self.default_headers, **(default_headers or {})}
        query = {**self.default_query, **(default_query or {})}
        if set_default_headers is not None:
            headers = dict(set_default_headers)
        if set_default_query is not None:
            query = dict(set_default_query)
        kwargs["default_headers"], kwargs["default_query"] = headers, query
        signature = inspect.signature(type(self).__init__).parameters
        if not any(p.kind is p.VAR_KEYWORD for p in signature.values()):
            kwargs = {k: v for k, v in kwargs.items() if k in signature}
        kwargs.update(overrides)
        return type(self)(**kwargs)

    with_options = copy


class SyncAPIClient(BaseClient[httpx.Client]):
    """Synchronous client; owns (and closes) its httpx client unless one was injected."""

    _http_client_class = httpx.Client
    _redirect_hook = staticmethod(strip_credentials_on_redirect)

    def request(self, cast_to: object, **options: Unpack[RequestArgs]) -> Any:
        """Send one operation (see ``RequestOptions``); returns ``cast_to`` parsed."""
        mode, opts = RequestOptions(**options).split_mode()
        return self._send(cast_to, mode, opts)

    def get(self, path: str, *, cast_to: type[_T], options: VerbOptions | None = None) -> _T:
        """``GET path`` (relative to ``base_url``), the answer parsed as ``cast_to``."""
        return cast(_T, self._send(cast_to, "parsed", self._verb("get", path, None, options)))

    def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = None,
        options: VerbOptions | None = None,
    ) -> _T:
        """``POST path`` with ``body`` as JSON, the answer parsed as ``cast_to``."""
        return cast(_T, self._send(cast_to, "parsed", self._verb("post", path, body, options)))

    def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = None,
        options: VerbOptions | None = None,
    ) -> _T:
        """``PUT path`` with ``body`` as JSON, the answer parsed as ``cast_to``."""
        return cast(_T, self._send(cast_to, "parsed", self._verb("put", path, body, options)))

    def patch(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = None,
        options: VerbOptions | None = None,
    ) -> _T:
        """``PATCH path`` with ``body`` as JSON, the answer parsed as ``cast_to``."""
        return cast(_T, self._send(cast_to, "parsed", self._verb("patch", path, body, options)))

    def delete(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = None,
        options: VerbOptions | None = None,
    ) -> _T:
        """``DELETE path``, the answer parsed as ``cast_to``."""
        return cast(_T, self._send(cast_to, "parsed", self._verb("delete", path, body, options)))

    def get_api_list(
        self,
        page: type[_SyncPageT],
        *,
        paging: Paging,
        cast_to: object = None,
        **options: Unpack[RequestArgs],
    ) -> _SyncPageT:
        """Send a list operation; ``page`` is e.g. ``SyncCursorPage[FileObject]``."""
        return cast(_SyncPageT, self._get_page(page, paging, cast_to, RequestOptions(**options)))

    def _get_page(
        self, page: type[Any], paging: Paging, cast_to: object, options: RequestOptions
    ) -> Any:
        mode, opts = options.split_mode()
        return self._send(cast_to, mode, opts, self._page_builder(page, paging, cast_to, opts))

    def _send(
        self, cast_to: object, mode: str, options: RequestOptions, build: _Build | None = None
    ) -> Any:
        prep = prepare_request(self, cast_to, options, mode, build)
        retries_taken = 0
        while True:
            for scheme in prep.schemes:
                scheme.prepare(self._client)
            request = build_request(prep, self._client)
            log_request(self._redactor, request, retries_taken)
            try:
                response = self._client.send(request, stream=prep.stream)
            except httpx.TransportError as exc:
                if retries_taken >= self.max_retries:
                    raise self._connection_error(request, exc) from exc
                delay = retry_delay(retries_taken)
            else:
                log_response(self._redactor, response)
                if response.status_code < 400:
                    return self._finish(response, prep)
                if response.status_code == 401:
                    for scheme in prep.schemes:
                        scheme.invalidate()
                if retries_taken >= self.max_retries or not should_retry(response):
                    response.read()
                    response.close()
                    raise self._status_error(response)
                response.close()
                delay = retry_delay(retries_taken, response.headers)
            log_retry(self._redactor, request.url, delay)
            _sleep(delay)
            retries_taken += 1

    def is_closed(self) -> bool:
        return self._client.is_closed

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self: _ClientT) -> _ClientT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
    """Asynchronous client; owns (and closes) its httpx client unless one was injected."""

    _http_client_class = httpx.AsyncClient
    _redirect_hook = staticmethod(astrip_credentials_on_redirect)

    async def request(self, cast_to: object, **options: Unpack[RequestArgs]) -> Any:
        """Send one operation (see ``RequestOptions``); returns ``cast_to`` parsed."""
        mode, opts = RequestOptions(**options).split_mode()
        return await self._send(cast_to, mode, opts)

    async def get(self, path: str, *, cast_to: type[_T], options: VerbOptions | None = None) -> _T:
        """``GET path`` (relative to ``base_url``), the answer parsed as ``cast_to``."""
        return cast(_T, await self._send(cast_to, "parsed", self._verb("get", path, None, options)))

    async def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = None,
        options: VerbOptions | None = None,
    ) -> _T:
        """``POST path`` with ``body`` as JSON, the answer parsed as ``cast_to``."""
        return cast(
            _T, await self._send(cast_to, "parsed", self._verb("post", path, body, options))
        )

    async def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = None,
        options: VerbOptions | None = None,
    ) -> _T:
        """``PUT path`` with ``body`` as JSON, the answer parsed as ``cast_to``."""
        return cast(_T, await self._send(cast_to, "parsed", self._verb("put", path, body, options)))

    async def patch(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = None,
        options: VerbOptions | None = None,
    ) -> _T:
        """``PATCH path`` with ``body`` as JSON, the answer parsed as ``cast_to``."""
        return cast(
            _T, await self._send(cast_to, "parsed", self._verb("patch", path, body, options))
        )

    async def delete(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: object = None,
        options: VerbOptions | None = None,
    ) -> _T:
        """``DELETE path``, the answer parsed as ``cast_to``."""
        return cast(
            _T, await self._send(cast_to, "parsed", self._verb("delete", path, body, options))
        )

    def get_api_list(
        self,
        page: type[_AsyncPageT],
        *,
        paging: Paging,
        cast_to: object = None,
        **options: Unpack[RequestArgs],
    ) -> AsyncPaginator[Any, _AsyncPageT]:
        """A list operation: ``await`` the result for the first page, or ``async for`` it."""
        opts = RequestOptions(**options)
        return AsyncPaginator(lambda: self._get_page(page, paging, cast_to, opts))

    async def _get_page(
        self, page: type[Any], paging: Paging, cast_to: object, options: RequestOptions
    ) -> Any:
        mode, opts = options.split_mode()
        build = self._page_builder(page, paging, cast_to, opts)
        return await self._send(cast_to, mode, opts, build)

    async def _send(
        self, cast_to: object, mode: str, options: RequestOptions, build: _Build | None = None
    ) -> Any:
        prep = prepare_request(self, cast_to, options, mode, build)
        retries_taken = 0
        while True:
            for scheme in prep.schemes:
                await scheme.aprepare(self._client)
            request = build_request(prep, self._client)
            log_request(self._redactor, request, retries_taken)
            try:
                response = await self._client.send(request, stream=prep.stream)
            except httpx.TransportError as exc:
                if retries_taken >= self.max_retries:
                    raise self._connection_error(request, exc) from exc
                delay = retry_delay(retries_taken)
            else:
                log_response(self._redactor, response)
                if response.status_code < 400:
                    return self._finish(response, prep)
                if response.status_code == 401:
                    for scheme in prep.schemes:
                        scheme.invalidate()
                if retries_taken >= self.max_retries or not should_retry(response):
                    await response.aread()
                    await response.aclose()
                    raise self._status_error(response)
                await response.aclose()
                delay = retry_delay(retries_taken, response.headers)
            log_retry(self._redactor, request.url, delay)
            await _async_sleep(delay)
            retries_taken += 1

    def is_closed(self) -> bool:
        return self._client.is_closed

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self: _ClientT) -> _ClientT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class SyncAPIResource:
    """Base of generated sync resource classes (``client.videos``)."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    """Base of generated async resource classes."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
