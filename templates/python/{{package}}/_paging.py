"""Deciding the next page: the names an operation pages with and one rule per scheme.

Pure functions of a page's JSON, headers and request options, no I/O: ``_pagination``
holds the page classes that fetch. A next page's options differ from the current ones in
the paging parameter only (or the URL, for next-URL schemes); a cursor the server echoes
back unchanged ends the walk instead of looping.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Union

import httpx

from ._request_options import RequestOptions
from ._types import NotGiven, Omit, Param
from ._utils import is_list, is_mapping

__all__ = ["FieldPath", "PageRequest", "PageState", "Paging", "next_page_options"]

FieldPath = Union[str, tuple[str, ...]]  # noqa: UP007
"""A response field: ``"next_cursor"``, or a path into nested objects ``("meta", "next")``."""


@dataclass(frozen=True)
class Paging:
    """The names one list operation pages with (a constant in generated code).

    Each page class reads the fields of its own scheme; the defaults are OpenAI's.
    """

    items: FieldPath | None = "data"
    """The list of items; ``None`` when the response body is the list itself."""
    has_more: FieldPath | None = "has_more"
    """A boolean: ``false`` means this is the last page (absent means "keep going")."""
    cursor_param: str = "after"
    """Cursor schemes: the parameter the cursor is sent back in."""
    id_field: str = "id"
    """``CursorPage``: the item field whose last value is the next cursor."""
    next_cursor: FieldPath = "next_cursor"
    """``NextCursorPage``: the response field holding the next cursor."""
    offset_param: str = "offset"
    """``OffsetPage``: the parameter; the next offset is this one plus the items received."""
    total: FieldPath | None = None
    """``OffsetPage``: the total item count, when the API reports one."""
    page_param: str = "page"
    """``PageNumberPage``: the parameter; the first page is ``first_page``."""
    first_page: int = 1
    total_pages: FieldPath | None = None
    """``PageNumberPage``: the page count, when the API reports one."""
    next_url: FieldPath | None = None
    """``NextURLPage``: the response field holding the next page's URL; ``None`` reads the
    ``Link: <...>; rel="next"`` header instead."""
    param_in: Literal["query", "body"] = "query"
    """Where the paging parameter goes (``body`` for APIs that list with a POST)."""


@dataclass(frozen=True)
class PageRequest:
    """How a page was fetched: enough to fetch the next one the same way."""

    options: RequestOptions
    paging: Paging
    cast_to: object
    """The whole response's own type (``page.parsed``), or ``None`` for the JSON as is."""


def _dig(data: object, path: FieldPath) -> object:
    for key in (path,) if isinstance(path, str) else path:
        if not is_mapping(data):
            return None
        data = data.get(key)
    return data


def _given(value: object) -> bool:
    return value is not None and not isinstance(value, (NotGiven, Omit))


@dataclass(frozen=True)
class PageState:
    """What deciding the next page needs: the page's JSON, its items and its request."""

    raw: object
    items: list[object]
    request: PageRequest
    response: httpx.Response

    @classmethod
    def read(cls, response: httpx.Response, request: PageRequest) -> PageState:
        """The JSON of a read response and the raw items it lists."""
        raw: object
        try:
            raw = json.loads(response.content) if response.content else None
        except ValueError:
            raw = response.text
        found = raw if request.paging.items is None else _dig(raw, request.paging.items)
        return cls(raw, found if is_list(found) else [], request, response)

    @property
    def paging(self) -> Paging:
        return self.request.paging

    def no_more(self) -> bool:
        """An empty page, or ``has_more: false``."""
        field = self.paging.has_more
        return not self.items or (field is not None and _dig(self.raw, field) is False)

    def current(self, name: str) -> object:
        """The value this page was fetched with for the paging parameter ``name``."""
        opts = self.request.options
        if self.paging.param_in == "body":
            for source in (opts.extra_body, opts.body):
                if is_mapping(source) and _given(source.get(name)):
                    return source[name]
            return None
        extra = opts.extra_query or {}
        if _given(extra.get(name)):
            return extra[name]
        for param, value in opts.params:
            if param.location == "query" and param.name == name and _given(value):
                return value
        return None

    def advance(self, name: str, value: object) -> RequestOptions | None:
        """This page's options with one paging parameter changed."""
        if value == self.current(name):
            return None  # the server sent back what was asked for: stop, never loop
        opts = self.request.options
        if self.paging.param_in == "body":
            body = dict(opts.body) if is_mapping(opts.body) else {}
            extra = opts.extra_body
            extra = {k: v for k, v in extra.items() if k != name} if is_mapping(extra) else extra
            return dataclasses.replace(opts, body={**body, name: value}, extra_body=extra)
        params = [(p, v) for p, v in opts.params if not (p.location == "query" and p.name == name)]
        same = [p for p, _ in opts.params if p.location == "query" and p.name == name]
        params.append((same[0] if same else Param(name, "query"), value))
        extra_query = {k: v for k, v in (opts.extra_query or {}).items() if k != name}
        return dataclasses.replace(opts, params=tuple(params), extra_query=extra_query)


def _int(value: object, default: int) -> int:
    try:
        return int(str(value)) if _given(value) else default
    except ValueError:
        return default


def _single(page: PageState) -> RequestOptions | None:
    return None


def _cursor_by_id(page: PageState) -> RequestOptions | None:
    if page.no_more():
        return None
    last = page.items[-1]
    cursor = last.get(page.paging.id_field) if is_mapping(last) else None
    return page.advance(page.paging.cursor_param, cursor) if _given(cursor) else None


def _next_cursor(page: PageState) -> RequestOptions | None:
    cursor = _dig(page.raw, page.paging.next_cursor)
    if page.no_more() or not _given(cursor) or cursor == "":
        return None
    return page.advance(page.paging.cursor_param, cursor)


def _offset(page: PageState) -> RequestOptions | None:
    paging = page.paging
    offset = _int(page.current(paging.offset_param), 0) + len(page.items)
    total = _dig(page.raw, paging.total) if paging.total is not None else None
    if page.no_more() or (isinstance(total, int) and offset >= total):
        return None
    return page.advance(paging.offset_param, offset)


def _page_number(page: PageState) -> RequestOptions | None:
    paging = page.paging
    number = _int(page.current(paging.page_param), paging.first_page)
    pages = _dig(page.raw, paging.total_pages) if paging.total_pages is not None else None
    if page.no_more() or (isinstance(pages, int) and number >= pages):
        return None
    return page.advance(paging.page_param, number + 1)


def _next_url(page: PageState) -> RequestOptions | None:
    field, response = page.paging.next_url, page.response
    link = response.links.get("next", {}).get("url")
    url = _dig(page.raw, field) if field is not None else link
    if page.no_more() or not isinstance(url, str) or not url:
        return None
    absolute = str(response.url.join(url))
    if absolute == str(response.url):
        return None
    return dataclasses.replace(page.request.options, path=absolute)


_SCHEMES: dict[str, Callable[[PageState], RequestOptions | None]] = {
    "none": _single,
    "cursor": _cursor_by_id,
    "next_cursor": _next_cursor,
    "offset": _offset,
    "page_number": _page_number,
    "next_url": _next_url,
}


def next_page_options(scheme: str, state: PageState) -> RequestOptions | None:
    """The request for the page after ``state`` under ``scheme``, or None at the end."""
    return _SCHEMES[scheme](state)
