"""What an operation answers: the response type and kind, a stream's chunk type, lists.

A success response is JSON (parsed into its type), `text/event-stream` (a stream of
chunks), text or binary; an operation may offer JSON and a stream at once, for a
`stream` flag to choose between. `response_lists` says whether the answer is a list,
which is what makes a GET a `list` method and a candidate for pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from sdkforge.apimodel.ir import Response, TypeRef
from sdkforge.apimodel.pagination import ITEM_FIELDS
from sdkforge.apimodel.schemas import SchemaRegistry
from sdkforge.apimodel.typerefs import ANY, NONE, union
from sdkforge.diagnostics import join_pointer


def build_response(
    reg: SchemaRegistry, op: Mapping[str, Any], pointer: str, context: str
) -> tuple[Response, TypeRef | None]:
    """What a successful call returns, and the chunk type when it can stream instead."""
    responses = _mapping(op.get("responses"))
    codes = sorted(str(c) for c in responses if str(c).startswith("2") or str(c).upper() == "2XX")
    if not codes and "default" in responses:
        codes = ["default"]
    types: list[TypeRef] = []
    chunks: list[TypeRef] = []
    kind: Literal["json", "text", "binary", "empty", "sse"] = "empty"
    content_type = ""
    example: object = None
    for code in codes:
        resp = reg.deref(responses.get(code))
        content = resp.get("content") if isinstance(resp, dict) else None
        if not isinstance(content, dict) or not content:
            types.append(NONE)
            continue
        media, media_obj = pick_media(content)
        download = _download_media(reg, content, media, media_obj)
        if download:
            media, media_obj = download, content[download]
        media_obj = media_obj if isinstance(media_obj, dict) else {}
        media_pointer = join_pointer(pointer, "responses", code, "content", media)
        mt = media.split(";")[0].strip().lower()
        sse = next((m for m in content if str(m).split(";")[0].strip().lower() == _SSE), None)
        if sse is not None and is_json(mt) and isinstance(content[sse], dict):
            # JSON or a stream: which one is the caller's choice (a `stream` flag).
            item_schema = content[sse].get("itemSchema") or content[sse].get("schema")
            sse_pointer = join_pointer(pointer, "responses", code, "content", sse, "schema")
            chunks.append(reg.type_of(item_schema, context + "Chunk", sse_pointer))
        if mt == _SSE:
            kind, content_type = "sse", media
            item_schema = media_obj.get("itemSchema") or media_obj.get("schema")
            types.append(
                reg.type_of(item_schema, context + "Event", join_pointer(media_pointer, "schema"))
            )
        elif is_json(mt):
            kind, content_type = "json", media
            types.append(
                reg.type_of(
                    media_obj.get("schema"),
                    context + "Response",
                    join_pointer(media_pointer, "schema"),
                )
            )
            example = media_obj.get("example", example)
        elif mt.startswith("text/"):
            if kind == "empty":
                kind, content_type = "text", media
            types.append(TypeRef("str"))
        else:
            if kind == "empty":
                kind, content_type = "binary", media
            types.append(TypeRef("file"))
    if kind in ("json", "sse"):
        types = [t for t in types if t.kind not in ("none", "file", "str")] or [ANY]
    t = union(types) if types else NONE
    if kind == "empty":
        t = NONE
    response = Response(
        type=t, kind=kind, status_codes=tuple(codes), content_type=content_type, example=example
    )
    return response, union(chunks) if chunks and kind == "json" else None


def _download_media(
    reg: SchemaRegistry, content: Mapping[str, Any], media: str, media_obj: object
) -> str:
    """A binary media type to answer with instead of a JSON one that is only a string.

    OpenAI's video content offers `video/mp4`, `image/webp` and `application/json` as a bare
    string: the bytes are the answer (a `BinaryResponse`, as the official SDK returns), not
    a JSON string. "" when the JSON form has any structure, or nothing else is offered."""
    if not is_json(media.split(";")[0].strip().lower()) or not isinstance(media_obj, dict):
        return ""
    schema = reg.deref(media_obj.get("schema"))
    if not (isinstance(schema, dict) and schema.get("type") == "string"):
        return ""
    if any(k in schema for k in ("enum", "const", "format", "pattern")):
        return ""
    for other in content:
        mt = str(other).split(";")[0].strip().lower()
        if not (is_json(mt) or mt.startswith("text/") or mt == _SSE):
            return str(other)
    return ""


def pick_media(content: Mapping[str, Any]) -> tuple[str, object]:
    for media, obj in content.items():
        if is_json(str(media).split(";")[0].strip().lower()):
            return str(media), obj
    media = next(iter(content))
    return str(media), content[media]


def is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json") or "json" in media.split("/")[-1]


_SSE = "text/event-stream"
_LIST_FIELDS = frozenset([*ITEM_FIELDS, "list", "members", "nodes", "rows"])
"""Names of the array that makes an object a list answer: the fields pages take their
items from, and a few a list is called by that pages need not know."""


_PAGE_MARKERS = frozenset(["has_more", "has_next_page", "next", "next_cursor", "next_page_token"])
"""Fields that say an object is one page of a list, beside its one array (`total_count`
does not: a job's status counts the records it processed)."""


def response_lists(reg: SchemaRegistry, op: Mapping[str, Any], path: str = "") -> bool:
    """Whether the operation's success response is a list: a JSON array (or a union of
    arrays), or an object around one (`{"data": [...], "has_more": ...}`): a GET of it is a
    `list` method.

    An object is a list when its array is a usual list field (`data`, `items`), is named
    like the path's last segment (`/budgets` → `budgets`), or is its only array beside a
    page marker (`has_next_page`); else only a small object (four fields at most) around
    one array is. Signals that do not move when a spec adds a field to the page, so that
    a method stays `list` from one version of a spec to the next."""
    responses = _mapping(op.get("responses"))
    codes = sorted(str(c) for c in responses if str(c).startswith("2"))
    resp = reg.deref(responses.get(codes[0])) if codes else None
    content = resp.get("content") if isinstance(resp, dict) else None
    if not isinstance(content, dict) or not content:
        return False
    media, media_obj = pick_media(content)
    if not is_json(media.split(";")[0].strip().lower()) or not isinstance(media_obj, dict):
        return False
    schema = reg.deref(media_obj.get("schema"))
    if not isinstance(schema, dict):
        return False
    if _is_array(reg, schema):
        return True
    props, _ = reg.properties(schema)
    arrays = [key for key, (sub, _) in props.items() if _is_array(reg, reg.deref(sub))]
    segment = path.rstrip("/").rsplit("/", 1)[-1].replace("-", "_").lower()
    return any(key in _LIST_FIELDS or key.lower() == segment for key in arrays) or (
        len(arrays) == 1 and (len(props) <= 4 or bool(_PAGE_MARKERS & set(props)))
    )


def _is_array(reg: SchemaRegistry, schema: object) -> bool:
    """An array schema, or a union whose every non-null arm is one."""
    if not isinstance(schema, dict):
        return False
    if _array(schema):
        return True
    arms = schema.get("anyOf") or schema.get("oneOf")
    if not isinstance(arms, list) or not arms:
        return False
    kept = [
        a for a in map(reg.deref, arms) if not (isinstance(a, dict) and a.get("type") == "null")
    ]
    return bool(kept) and all(isinstance(a, dict) and _array(a) for a in kept)


def _array(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == "array" or "items" in schema


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}
