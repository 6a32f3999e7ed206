"""Which list operations page, and how: the scheme and the fields it reads and sends.

A list method returns a page that iterates across pages (`for f in client.files.list():`).
How to get the next page is read off the operation: the list field and `has_more` of
the response with an `after` query parameter (a cursor that is the last item's id, as
OpenAI's API does), a cursor the response hands back (`next_cursor`, `next_page_token`),
`offset` or `page` query parameters, a next URL in the body, or a `Link` header. It is
inferred only when exactly one scheme fits; otherwise the method returns the response as
it is, unless the config's `pagination:` section declares the scheme.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, Literal, cast

from sdkforge.apimodel.ir import Model, Operation, Pagination, Parameter, TypeRef
from sdkforge.apimodel.schemas import SchemaRegistry

Scheme = Literal["single", "cursor_id", "cursor", "offset", "page", "next_url", "link"]
SCHEMES: tuple[Scheme, ...] = (
    "cursor_id",
    "cursor",
    "offset",
    "page",
    "next_url",
    "link",
    "single",
)
"""What the config's `pagination:` entries may name."""

ITEM_FIELDS = (
    "data",
    "items",
    "results",
    "result",
    "value",
    "entries",
    "records",
    "values",
    "elements",
    "objects",
)
"""Where a list's items sit in its envelope (`{"data": [...]}`, Azure's `{"value": [...]}`,
Cloudflare's `{"result": [...], "result_info": {...}}`), best first."""
_META = ("result_info", "meta", "pagination", "paging", "page_info", "pageInfo", "metadata")
"""Objects beside the items that hold the page's facts (`result_info.total_pages`,
`meta.next_cursor`): read when the envelope itself does not have them."""
NESTED = "/"
"""Joins the parts of a field inside a nested object (`result_info/total_pages`)."""
_HAS_MORE = ("has_more", "hasMore", "has_next", "hasNext", "more")
_CURSOR_PARAMS = ("after", "starting_after", "after_id")
# A response field holding the next cursor → the query parameters that take it back.
_TOKENS = {
    "next_cursor": ("cursor", "next_cursor"),
    "nextCursor": ("cursor", "nextCursor"),
    "next_page_token": ("page_token", "pageToken", "next_page_token"),
    "nextPageToken": ("pageToken", "page_token", "nextPageToken"),
    "next_token": ("next_token", "token", "nextToken"),
    "nextToken": ("nextToken", "next_token", "token"),
    "continuation_token": ("continuation_token", "continuationToken"),
    "continuationToken": ("continuationToken", "continuation_token"),
    "next_page": ("page", "page_token", "cursor"),
    "next": ("after", "cursor", "page_token"),
}
_NEXT_URLS = ("next_url", "nextUrl", "next_page_url", "nextLink", "@odata.nextLink", "next")
"""Fields holding the next page's URL: by name, or (`next`) when typed as a URI."""
_OFFSETS = ("offset", "skip", "start")
_PAGES = ("page", "page_number", "pageNumber", "page_num")
_TOTALS = ("total", "total_count", "totalCount", "count")
_TOTAL_PAGES = ("total_pages", "totalPages", "page_count", "pageCount")


def paging(
    reg: SchemaRegistry,
    op: Operation,
    raw: Mapping[str, Any],
    entry: Mapping[str, Any] | None,
) -> tuple[Pagination | None, str]:
    """The operation's paging and, for a config entry that cannot apply, why not."""
    if op.response.kind != "json":
        return None, "its response is not JSON" if entry is not None else ""
    fields, array = _shape(reg, op.response.type)
    if entry is not None:
        found = declared(entry, fields, array)
        return found, "" if found else "its response has no list to page over"
    if op.http_method != "get":
        return None, ""
    flat, where = _with_meta(reg, fields)
    found = infer(op.parameters, flat, array, _declares_link(reg, raw), _ids(reg))
    if found is None:
        return _single(fields), ""
    return replace(
        found,
        **{k: where.get(v, v) for k in _FIELD_NAMES if (v := getattr(found, k)) in where},
    ), ""


_FIELD_NAMES = ("has_more", "next_cursor", "total", "total_pages", "next_url")


def _with_meta(
    reg: SchemaRegistry, fields: Mapping[str, TypeRef]
) -> tuple[dict[str, TypeRef], dict[str, str]]:
    """The envelope's fields plus those of its page-facts object (`result_info`), and where
    each of the latter sits (`total_pages` → `result_info/total_pages`)."""
    flat = dict(fields)
    where: dict[str, str] = {}
    for meta in _META:
        t = _unwrapped(fields.get(meta))
        model = reg.models.get(t.name) if t is not None and t.kind == "model" else None
        if model is None or model.kind != "object":
            continue
        for f in model.fields:
            if f.wire_name not in flat and NESTED not in f.wire_name:
                flat[f.wire_name] = f.type
                where[f.wire_name] = meta + NESTED + f.wire_name
        break
    return flat, where


def infer(
    params: Iterable[Parameter],
    fields: Mapping[str, TypeRef],
    array: TypeRef | None,
    link_header: bool = False,
    has_id: Callable[[TypeRef], bool] | None = None,
) -> Pagination | None:
    """The paging that fits, or None when no scheme, or more than one, does.

    `fields` are the response object's fields (wire name → type); `array` the item type
    when the response is a bare array; `link_header` whether a 2xx response declares a
    `Link` header; `has_id(item_type)` whether items carry an `id` (cursor by last id).
    """
    query = {p.wire_name: _kind(p.type) for p in params if p.location == "query"}
    items, item_type = _items(fields, array)
    if item_type is None:
        return None
    has_more = next((f for f in _HAS_MORE if _is(fields.get(f), "bool")), "")
    found: list[Pagination] = []
    cursor = next((c for c in _CURSOR_PARAMS if c in query), "")
    if has_more and cursor and (has_id is None or has_id(item_type)):
        found.append(
            Pagination("cursor_id", items, item_type, has_more=has_more, cursor_param=cursor)
        )
    for field, takers in _TOKENS.items():
        param = next((t for t in takers if t in query and query[t] != "int"), "")
        if param and _is(fields.get(field), "str") and not _is_uri(fields.get(field)):
            found.append(
                Pagination(
                    "cursor", items, item_type, has_more, cursor_param=param, next_cursor=field
                )
            )
    next_url = next(
        (
            f
            for f in _NEXT_URLS
            if _is(fields.get(f), "str") and (f != "next" or _is_uri(fields[f]))
        ),
        "",
    )
    if next_url:
        found.append(Pagination("next_url", items, item_type, has_more, next_url=next_url))
    if link_header and not found:
        found.append(Pagination("link", items, item_type, has_more))
    if not found:
        offset = next((o for o in _OFFSETS if o in query), "")
        # A count is an integer or a JSON number (Cloudflare types pages as `number`).
        page = next((p for p in _PAGES if query.get(p) in _NUMBERS), "")
        total = next((f for f in _TOTALS if _kind_of(fields.get(f)) in _NUMBERS), "")
        pages = next((f for f in _TOTAL_PAGES if _kind_of(fields.get(f)) in _NUMBERS), "")
        if offset and not page:
            found.append(
                Pagination("offset", items, item_type, has_more, offset_param=offset, total=total)
            )
        elif page and not offset:
            found.append(
                Pagination("page", items, item_type, has_more, page_param=page, total_pages=pages)
            )
    schemes = [f.scheme for f in found]
    if schemes == ["cursor_id", "cursor"] and found[0].cursor_param == found[1].cursor_param:
        found = found[1:]  # the cursor the response hands back beats guessing it
    return found[0] if len(found) == 1 else None


def declared(
    entry: Mapping[str, Any], fields: Mapping[str, TypeRef], array: TypeRef | None
) -> Pagination | None:
    """The paging a config entry declares (`scheme` plus the names it needs, validated by
    `sdkforge.config`); None when the response has no list to page over."""
    items = str(entry.get("items") or "")
    if items:
        t = _unwrapped(fields.get(items))
        item_type = t.items[0] if t is not None and t.kind == "list" else None
    else:
        items, item_type = _items(fields, array)
    if item_type is None:
        return None
    default_more = next((f for f in _HAS_MORE if _is(fields.get(f), "bool")), "")

    def name(key: str, default: str = "") -> str:
        return str(entry.get(key) or default)

    return Pagination(
        cast(Scheme, entry["scheme"]),
        items,
        item_type,
        has_more=name("has_more", default_more),
        cursor_param=name("cursor_param", "after"),
        id_field=name("id_field", "id"),
        next_cursor=name("next_cursor", "next_cursor"),
        offset_param=name("offset_param", "offset"),
        total=name("total"),
        page_param=name("page_param", "page"),
        total_pages=name("total_pages"),
        next_url=name("next_url"),
    )


def _shape(reg: SchemaRegistry, t: TypeRef) -> tuple[dict[str, TypeRef], TypeRef | None]:
    """A response type's fields (for an object) or item type (for an array)."""
    for _ in range(8):  # aliases of aliases, bounded
        if t.kind == "list":
            return {}, t.items[0]
        model: Model | None = reg.models.get(t.name) if t.kind in ("model", "alias") else None
        if model is None:
            return {}, None
        if model.kind == "object":
            return {f.wire_name: f.type for f in model.fields}, None
        if model.alias_of is None:
            return {}, None
        t = model.alias_of
    return {}, None


def _ids(reg: SchemaRegistry) -> Callable[[TypeRef], bool]:
    def has_id(t: TypeRef) -> bool:
        """False only for items that are objects without an `id` (unions may have it)."""
        model = reg.models.get(t.name) if t.kind == "model" else None
        return model is None or any(f.wire_name == "id" for f in model.fields)

    return has_id


def _declares_link(reg: SchemaRegistry, raw: Mapping[str, Any]) -> bool:
    """Whether a 2xx response declares a `Link` header (GitHub's way of paging)."""
    responses = raw.get("responses")
    for code, resp in responses.items() if isinstance(responses, dict) else ():
        target = reg.deref(resp) if str(code).startswith("2") else None
        headers = target.get("headers") if isinstance(target, dict) else None
        if isinstance(headers, dict) and any(str(h).lower() == "link" for h in headers):
            return True
    return False


def _single(fields: Mapping[str, TypeRef]) -> Pagination | None:
    """A list in a wrapper that says nothing else (`{"object": "list", "data": [...]}`):
    one page, iterable and indexable like the others."""
    items, item_type = _items(fields, None)
    others = [t for name, t in fields.items() if name != items]
    if item_type is None or items not in ITEM_FIELDS:
        return None
    if all((u := _unwrapped(t)) is not None and u.kind == "literal" for t in others):
        return Pagination("single", items, item_type)
    return None


def _items(fields: Mapping[str, TypeRef], array: TypeRef | None) -> tuple[str, TypeRef | None]:
    """The list field (wire name) and its item type; "" for a bare array response."""
    if array is not None:
        return "", array
    for name in ITEM_FIELDS:
        t = _unwrapped(fields.get(name))
        if t is not None and t.kind == "list":
            return name, t.items[0]
    lists = [(n, t) for n, f in fields.items() if (t := _unwrapped(f)) and t.kind == "list"]
    if len(lists) == 1:
        return lists[0][0], lists[0][1].items[0]
    return "", None


def _unwrapped(t: TypeRef | None) -> TypeRef | None:
    """`t` without `None` (an optional list is still the list)."""
    if t is not None and t.kind == "union":
        rest = [m for m in t.items if m.kind != "none"]
        return rest[0] if len(rest) == 1 else None
    return t


_NUMBERS = ("int", "float")


def _kind_of(t: TypeRef | None) -> str:
    u = _unwrapped(t)
    return u.kind if u is not None else ""


def _kind(t: TypeRef) -> str:
    u = _unwrapped(t)
    return u.kind if u is not None else t.kind


def _is_uri(t: TypeRef | None) -> bool:
    u = _unwrapped(t)
    return u is not None and u.kind == "str" and u.fmt in ("uri", "url", "uri-reference")


def _is(t: TypeRef | None, kind: str) -> bool:
    t = _unwrapped(t)
    return t is not None and t.kind == kind
