"""Typed pages over list operations, fetching the next page when the current one runs out.

A list method returns a page (``SyncCursorPage[FileObject]``): ``.data`` holds the current
page's items, ``for item in page`` walks every item of every page, ``iter_pages()`` every
page. How the next page is asked for is the page class (the scheme); the names of the
fields and parameters involved are a :class:`Paging` the generated code passes, so one
class serves every API. A next page goes through the client's normal request path
(auth, retries, ``extra_*`` options, timeout) with only the paging parameter changed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from functools import cached_property
from types import GenericAlias
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast, overload

import httpx

from ._paging import PageRequest, PageState, Paging, next_page_options
from ._request_options import RequestOptions
from ._utils import is_mapping

__all__ = [
    "AsyncCursorPage",
    "AsyncNextCursorPage",
    "AsyncNextURLPage",
    "AsyncOffsetPage",
    "AsyncPage",
    "AsyncPageNumberPage",
    "AsyncPaginator",
    "BaseAsyncPage",
    "BasePage",
    "BaseSyncPage",
    "PageRequest",
    "Paging",
    "SyncCursorPage",
    "SyncNextCursorPage",
    "SyncNextURLPage",
    "SyncOffsetPage",
    "SyncPage",
    "SyncPageNumberPage",
    "make_page",
]

_T = TypeVar("_T")
_SyncPageT = TypeVar("_SyncPageT", bound="BaseSyncPage[Any]")
_AsyncPageT = TypeVar("_AsyncPageT", bound="BaseAsyncPage[Any]")
_PageT = TypeVar("_PageT", bound="BasePage[Any]")


class BasePage(Generic[_T]):
    """One page: ``.data`` (its items), ``len()``/indexing on them, the parsed response."""

    _scheme: ClassVar[str] = "none"
    data: list[_T]
    """The items of this page only."""
    http_response: httpx.Response
    _request_id: str | None
    """The page response's ``x-request-id`` header."""

    def __init__(
        self, *, response: httpx.Response, request: PageRequest, item: object, fetch: Any
    ) -> None:
        self.http_response = response
        self._request_id = response.headers.get("x-request-id")
        self._fetch = fetch
        self._state = state = PageState.read(response, request)
        if item is None:
            self.data = cast("list[_T]", list(state.items))
        else:
            from ._models import construct_type  # deferred: pydantic loads on the first parse

            self.data = cast("list[_T]", construct_type(state.items, GenericAlias(list, item)))

    @cached_property
    def parsed(self) -> Any:
        """The whole response: the operation's own model (``has_more``, ``first_id`` ...)."""
        state = self._state
        if state.request.cast_to is None:
            return state.raw
        from ._models import construct_type

        return construct_type(state.raw, state.request.cast_to)

    if not TYPE_CHECKING:  # type checkers see only the fields a page class declares

        def __getattr__(self, name: str) -> Any:
            """Other response fields read through: ``page.has_more`` as on the official SDK
            (generated page classes declare them, typed, for type checkers)."""
            if name.startswith("_"):
                raise AttributeError(name)
            parsed = self.parsed
            if is_mapping(parsed):
                if name in parsed:
                    return parsed[name]
            elif hasattr(parsed, name):
                return getattr(parsed, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __len__(self) -> int:
        return len(self.data)

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> list[_T]: ...

    def __getitem__(self, index: int | slice) -> _T | list[_T]:
        return self.data[index]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.data!r})"

    def has_next_page(self) -> bool:
        return self._next_options() is not None

    def _next_options(self) -> RequestOptions | None:
        return next_page_options(self._scheme, self._state)


class BaseSyncPage(BasePage[_T]):
    """A page of a sync client: iterating it walks every item of every page."""

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.data

    def iter_pages(self: _SyncPageT) -> Iterator[_SyncPageT]:
        page = self
        while True:
            yield page
            options = page._next_options()
            if options is None:
                return
            page = cast(_SyncPageT, page._fetch(options))

    def get_next_page(self: _SyncPageT) -> _SyncPageT:
        options = self._next_options()
        if options is None:
            raise RuntimeError(
                "No next page expected; check `.has_next_page()` before `.get_next_page()`."
            )
        return cast(_SyncPageT, self._fetch(options))


class BaseAsyncPage(BasePage[_T]):
    """A page of an async client: ``async for`` walks every item of every page."""

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item

    async def iter_pages(self: _AsyncPageT) -> AsyncIterator[_AsyncPageT]:
        page = self
        while True:
            yield page
            options = page._next_options()
            if options is None:
                return
            page = cast(_AsyncPageT, await page._fetch(options))

    async def get_next_page(self: _AsyncPageT) -> _AsyncPageT:
        options = self._next_options()
        if options is None:
            raise RuntimeError(
                "No next page expected; check `.has_next_page()` before `.get_next_page()`."
            )
        return cast(_AsyncPageT, await self._fetch(options))


class AsyncPaginator(Generic[_T, _AsyncPageT]):
    """What an async list method returns: ``await`` it for the first page, or
    ``async for item in client.files.list()`` for every item of every page."""

    def __init__(self, get_page: Callable[[], Awaitable[_AsyncPageT]]) -> None:
        self._get_page = get_page

    def __await__(self) -> Generator[Any, None, _AsyncPageT]:
        return self._get_page().__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = await self
        async for item in page:
            yield cast(_T, item)


def make_page(
    page_cls: type[_PageT], response: httpx.Response, request: PageRequest, fetch: Any
) -> _PageT:
    """Build ``SyncCursorPage[FileObject]`` from a read response (item type from the alias)."""
    args = getattr(page_cls, "__args__", ())
    item: object = args[0] if args else None
    return page_cls(response=response, request=request, item=item, fetch=fetch)


class SyncPage(BaseSyncPage[_T]):
    """A list answered in one page (there is never a next page)."""


class AsyncPage(BaseAsyncPage[_T]):
    """A list answered in one page (there is never a next page)."""


class SyncCursorPage(BaseSyncPage[_T]):
    """Cursor by the last item's id: ``after=<last id>`` while ``has_more``."""

    _scheme = "cursor"


class AsyncCursorPage(BaseAsyncPage[_T]):
    """Cursor by the last item's id: ``after=<last id>`` while ``has_more``."""

    _scheme = "cursor"


class SyncNextCursorPage(BaseSyncPage[_T]):
    """Cursor from the response (``next_cursor``, ``next_page_token`` ...) sent back."""

    _scheme = "next_cursor"


class AsyncNextCursorPage(BaseAsyncPage[_T]):
    """Cursor from the response (``next_cursor``, ``next_page_token`` ...) sent back."""

    _scheme = "next_cursor"


class SyncOffsetPage(BaseSyncPage[_T]):
    """``offset`` advanced by the items received, until an empty page or the total."""

    _scheme = "offset"


class AsyncOffsetPage(BaseAsyncPage[_T]):
    """``offset`` advanced by the items received, until an empty page or the total."""

    _scheme = "offset"


class SyncPageNumberPage(BaseSyncPage[_T]):
    """``page=1, 2, ...`` until an empty page or the page count."""

    _scheme = "page_number"


class AsyncPageNumberPage(BaseAsyncPage[_T]):
    """``page=1, 2, ...`` until an empty page or the page count."""

    _scheme = "page_number"


class SyncNextURLPage(BaseSyncPage[_T]):
    """The next page's URL from the body or the ``Link`` header, followed as given."""

    _scheme = "next_url"


class AsyncNextURLPage(BaseAsyncPage[_T]):
    """The next page's URL from the body or the ``Link`` header, followed as given."""

    _scheme = "next_url"
