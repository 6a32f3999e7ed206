"""One method as code: its signature, its return type and the runtime call it makes.

Argument order (path ids positional, the rest keyword-only), annotations and defaults,
what a list method's page type is, the overloads of a method a `stream` flag switches
to a stream, and every keyword the runtime's `request` / `get_api_list` receives are
decided here (templates/RUNTIME.md is the runtime's side), so the resource template only
places text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sdkforge.apimodel.frozen import BUILTINS
from sdkforge.apimodel.ir import Model, Operation, Pagination, Parameter
from sdkforge.apimodel.naming import pascal
from sdkforge.apimodel.pagination import NESTED
from sdkforge.apimodel.typerefs import nullable
from sdkforge.codegen.layout import fit, fits
from sdkforge.codegen.params import RequestTypes
from sdkforge.codegen.pyexpr import ANNOTATION_BUILTINS, annotation, py_str, qualify

RESPONSE_WRAPPERS = {"binary": "BinaryResponse", "text": "str", "empty": "None"}


@dataclass(frozen=True)
class Arg:
    """One argument in a method signature."""

    name: str
    annotation: str
    default: str
    description: str
    param: Parameter


@dataclass(frozen=True)
class Overload:
    """One `@overload` of a method: its arguments and what it returns (sync, async)."""

    args: tuple[Arg, ...]
    returns: str
    returns_async: str


@dataclass(frozen=True)
class PageView:
    """A list method's paging: the module-level `Paging` constant and the page class."""

    constant: str
    paging: str
    """The `Paging(...)` expression the constant holds."""
    sync_class: str
    async_class: str
    runtime: tuple[str, str] = ("", "")
    """The classes the sync and async method pass to `get_api_list`, builtins qualified
    where an argument shadows them (`SyncPage[builtins.str]`)."""
    definitions: str = ""
    """Page classes declaring the envelope's fields (`has_more`, `first_id`) for type
    checkers (under `TYPE_CHECKING`: at run time a page is the runtime's class, and no
    model is imported before it is used); empty when the response has no other field."""


@dataclass(frozen=True)
class MethodView:
    """What a template needs to write one sync and one async method."""

    op: Operation
    args: tuple[Arg, ...]
    """Every argument: the positional ones (path parameters, in path order), then the
    keyword-only ones."""
    positional: int
    """How many of `args` come before the `*`."""
    nonempty: tuple[tuple[str, str], ...]
    """Positional string ids checked before any request, each with the statement that
    raises for it: an empty id would call another URL (`/files/` instead of
    `/files/{id}`), so it raises `ValueError`, as the official SDKs do."""
    returns: str
    returns_async: str
    cast_to: str
    body_returns: tuple[str, str]
    """`returns` and `returns_async` as the body's `cast(...)` names them: a builtin an
    argument shadows is read from `builtins` (`cast(builtins.object, ...)`)."""
    request_kwargs: tuple[tuple[str, str], ...]
    page: PageView | None = None
    """Set for a list method: it calls `get_api_list`, and on the async client it is a
    plain `def` returning an `AsyncPaginator` (awaitable, and async-iterable)."""
    overloads: tuple[Overload, ...] = ()
    """For a method a `stream` flag switches to a stream: the JSON form, the stream form
    and the `bool` form, before the implementation."""


def method_view(
    op: Operation, nested_style: str = "openapi", requests: RequestTypes | None = None
) -> MethodView:
    """Signature and runtime call for `op`; `nested_style` is the API's choice for
    nested objects in multipart and form bodies (`brackets`: `a[b]=1`); `requests` types
    the arguments with the `params` TypedDicts (else models or plain mappings)."""
    args = []
    for p in op.parameters:
        ann = requests.annotation(p.type, True) if requests else annotation(p.type, "request")
        if p.required:
            args.append(Arg(p.name, ann, "", p.description, p))
        else:
            args.append(Arg(p.name, f"{ann} | NotGiven", "NOT_GIVEN", p.description, p))
    # The body's types are runtime expressions, read where the arguments are in scope.
    shadowed = {a.name for a in args} & ANNOTATION_BUILTINS
    kind = op.response.kind
    page = None
    overloads: tuple[Overload, ...] = ()
    if kind == "json":
        returns = returns_async = parsed = annotation(op.response.type)
    elif kind == "sse":
        parsed = annotation(op.response.type)
        returns, returns_async = f"Stream[{parsed}]", f"AsyncStream[{parsed}]"
    else:
        returns = returns_async = parsed = RESPONSE_WRAPPERS[kind]
    cast_to = qualify(parsed, shadowed)
    kwargs = _request_kwargs(op)
    forms = ("multipart/form-data", "application/x-www-form-urlencoded")
    if (
        nested_style != "openapi"
        and op.body
        and any(t.startswith(forms) for t in op.body.content_types)
    ):
        kwargs.append(("nested_style", py_str(nested_style)))
    if op.pagination is not None:
        page = _page(op, op.pagination, requests.models if requests else {}, shadowed)
        returns, returns_async = page.sync_class, page.async_class
    elif op.stream_chunk is not None:
        chunk = annotation(op.stream_chunk)
        overloads = _choice_overloads(op, args, stream=True) + _stream_overloads(
            args, parsed, chunk
        )
        returns, returns_async = overloads[-1].returns, overloads[-1].returns_async
        chosen = _chosen(op, cast_to, shadowed)
        cast_to = f"{qualify(chunk, shadowed)} if stream else " + (
            chosen if chosen == cast_to else f"({chosen})"
        )
        kwargs.append(("response_kind", '"sse" if stream else "json"'))
        kwargs.append(("accept", py_str("application/json, text/event-stream")))
    elif kind == "json":
        overloads = _choice_overloads(op, args, stream=False)
        if overloads:
            overloads += (Overload(tuple(args), returns, returns_async),)
        cast_to = _chosen(op, cast_to, shadowed)
    in_path = op.parameters[: op.positional]
    nonempty = tuple((p.name, _nonempty_check(p.name)) for p in in_path if p.type.kind == "str")
    return MethodView(
        op,
        tuple(args),
        op.positional,
        nonempty,
        returns,
        returns_async,
        cast_to,
        (qualify(returns, shadowed), qualify(returns_async, shadowed)),
        tuple(kwargs),
        page,
        overloads,
    )


def _chosen(op: Operation, cast_to: str, shadowed: set[str]) -> str:
    """The type the runtime parses the answer as: the arm the call's argument asked for
    (`apimodel.choices`), else `cast_to`. The annotation users see stays the union.
    Builtins in `shadowed` are qualified in the arms' types, never in the argument."""
    if op.response_choice is None:
        return cast_to
    arg = op.response_choice.param
    chosen = cast_to  # innermost: the union, when the argument names no arm
    for depth, (value, arm) in enumerate(reversed(op.response_choice.arms)):
        orelse = f"({chosen})" if depth else chosen  # a conditional in `else`: parenthesized
        chosen = f"{qualify(annotation(arm), shadowed)} if {arg} == {py_str(value)} else {orelse}"
    return chosen


def _request_kwargs(op: Operation) -> list[tuple[str, str]]:
    """Every keyword the runtime call receives but the `extra_*` and `timeout` ones."""
    kwargs: list[tuple[str, str]] = [("method", py_str(op.http_method)), ("path", py_str(op.path))]
    located = [p for p in op.parameters if p.location != "body"]
    if located:
        kwargs.append(("params", py_tuple([f"({_param_expr(p)}, {p.name})" for p in located])))
    if op.body is not None:
        if op.body.flattened:
            fields = ", ".join(
                f"{py_str(p.wire_name)}: {p.name}" for p in op.parameters if p.location == "body"
            )
            kwargs.append(("body", "{" + fields + "}"))
        else:
            body = next(p for p in op.parameters if p.location == "body")
            kwargs.append(("body", body.name))
        kwargs.append(("content_types", _strings(op.body.content_types)))
        if op.body.file_fields:
            kwargs.append(("file_fields", _strings(op.body.file_fields)))
        if op.body.multipart_encoding:
            enc = ", ".join(
                f"{py_str(k)}: {_part_encoding(ctype, style, explode)}"
                for k, ctype, style, explode in op.body.multipart_encoding
            )
            kwargs.append(("multipart_encoding", "{" + enc + "}"))
    if op.security:
        kwargs.append(("security", py_tuple([_strings(req) for req in op.security])))
    if op.response.kind != "json":
        kwargs.append(("response_kind", py_str(op.response.kind)))
    return kwargs


def _page(
    op: Operation, p: Pagination, models: Mapping[str, Model], shadowed: set[str]
) -> PageView:
    """The page class and `Paging` constant of a list method (RUNTIME.md's table)."""
    item = annotation(p.item_type)
    body_item = qualify(item, shadowed)
    fields = [f"items={_field_path(p.items) if p.items else None}"]
    fields.append(f"has_more={_field_path(p.has_more) if p.has_more else None}")
    reads = {
        "cursor_id": (("cursor_param", p.cursor_param), ("id_field", p.id_field)),
        "cursor": (("cursor_param", p.cursor_param), ("next_cursor", p.next_cursor)),
        "offset": (("offset_param", p.offset_param), ("total", p.total)),
        "page": (("page_param", p.page_param), ("total_pages", p.total_pages)),
        "next_url": (("next_url", p.next_url),),
        "link": (("next_url", ""),),
    }.get(p.scheme, ())
    for key, value in reads:
        optional = key in ("total", "total_pages", "next_url")
        path = key in ("next_cursor", "total", "total_pages", "next_url")
        text = _field_path(value) if path else py_str(value)
        fields.append(f"{key}={text if value else 'None' if optional else py_str('')}")
    if op.http_method != "get":
        fields.append('param_in="body"')
    constant = "_" + op.name.upper().lstrip("_") + "_PAGING"
    cls = p.page_class
    sync, async_ = f"Sync{cls}[{item}]", f"Async{cls}[{item}]"
    runtime = (f"Sync{cls}[{body_item}]", f"Async{cls}[{body_item}]")
    envelope = models.get(op.response.type.name) if op.response.type.kind == "model" else None
    declared = [
        f
        for f in (envelope.fields if envelope else ())
        if f.wire_name != p.items
        and f.name not in PAGE_MEMBERS
        and f.name not in BUILTINS  # `object: str` would change what `object` means
        and not f.write_only
    ]
    if not declared:
        paging = "Paging(" + ", ".join(fields) + ")"
        return PageView(constant, paging, sync, f"AsyncPaginator[{item}, {async_}]", runtime)
    name = pascal(op.name) + "Page"
    if name[: -len("Page")] in ("", "Cursor", "NextCursor", "Offset", "PageNumber", "NextURL"):
        name = "Op" + name  # never one of the runtime's page classes
    lines = []
    for prefix, base in (("Sync", sync), ("Async", async_)):
        lines += ["", f"class {prefix}{name}({base}):"]
        lines.append(
            f'    """A page of `{op.name}`: its items and the response\'s other fields."""'
        )
        lines.append("")
        for f in declared:
            ann = annotation(f.type if f.required else nullable(f.type))
            lines.append("    " + fit(ann, " " * 8, f"{f.name}: "))
    return PageView(
        constant,
        "Paging(" + ", ".join(fields) + ")",
        f"Sync{name}",
        f"AsyncPaginator[{item}, Async{name}]",
        runtime,
        "\n".join("    " + line if line else line for line in lines[1:]),
    )


def _field_path(name: str) -> str:
    """A response field as the runtime's `FieldPath`: `"data"`, or a tuple into a nested
    object (`("result_info", "total_pages")`, from the IR's `result_info/total_pages`)."""
    parts = name.split(NESTED)
    return py_str(name) if len(parts) == 1 else py_tuple([py_str(p) for p in parts])


PAGE_MEMBERS = frozenset(
    {"data", "http_response", "parsed", "has_next_page", "get_next_page", "iter_pages"}
)
"""What every page has already: an envelope field of that name is not declared again."""


def _choice_overloads(op: Operation, args: list[Arg], *, stream: bool) -> tuple[Overload, ...]:
    """One overload per value of the argument that picks the answer's form
    (`response_format: Literal["verbose_json"]` → `...VerboseJson`), that argument then
    required; with a `stream` flag, for the JSON answer (`stream` false or not given)."""
    if op.response_choice is None:
        return ()
    out = []
    for value, arm in op.response_choice.arms:
        changed = []
        for a in args:
            if a.name == op.response_choice.param:
                a = replace(a, annotation=f"Literal[{py_str(value)}]", default="")
            elif stream and a.param.wire_name == "stream" and a.param.location == "body":
                a = replace(a, annotation="Literal[False] | NotGiven", default="NOT_GIVEN")
            changed.append(a)
        out.append(Overload(tuple(changed), annotation(arm), annotation(arm)))
    return tuple(out)


def _stream_overloads(args: list[Arg], json_type: str, chunk: str) -> tuple[Overload, ...]:
    """`stream: Literal[False]` → the JSON model, `Literal[True]` → a stream of chunks,
    `bool` → either, each with the other arguments unchanged."""

    def form(annotation: str, default: str, returns: str, returns_async: str) -> Overload:
        changed = tuple(
            replace(a, annotation=annotation, default=default)
            if a.param.wire_name == "stream" and a.param.location == "body"
            else a
            for a in args
        )
        return Overload(changed, returns, returns_async)

    both = f"Union[{json_type}, Stream[{chunk}]]"
    both_async = f"Union[{json_type}, AsyncStream[{chunk}]]"
    return (
        form("Literal[False] | NotGiven", "NOT_GIVEN", json_type, json_type),
        form("Literal[True]", "", f"Stream[{chunk}]", f"AsyncStream[{chunk}]"),
        form("bool", "", both, both_async),
    )


def _nonempty_check(name: str) -> str:
    """`raise ValueError(...)` for an empty `name`, at the method body's second level,
    split as black splits it when it does not fit."""
    message = f'f"Expected a non-empty value for `{name}` but received {{{name}!r}}"'
    one = f"raise ValueError({message})"
    if fits(" " * 12, one):
        return one
    return f"raise ValueError(\n{' ' * 16}{message}\n{' ' * 12})"


def _part_encoding(content_type: str, style: str, explode: bool | None) -> str:
    """A field's multipart/form encoding: its content type alone as a string (as before),
    or a `PartEncoding` when the spec sets `style` or `explode`."""
    if not style and explode is None:
        return py_str(content_type)
    parts = [f"content_type={py_str(content_type)}"] * bool(content_type)
    parts += [f"style={py_str(style)}"] * bool(style)
    parts += [f"explode={explode!r}"] * (explode is not None)
    return "PartEncoding(" + ", ".join(parts) + ")"


def _param_expr(p: Parameter) -> str:
    parts = [py_str(p.wire_name), py_str(p.location)]
    if p.style:
        parts.append(f"style={py_str(p.style)}")
    if p.explode is not None:
        parts.append(f"explode={p.explode!r}")
    return "Param(" + ", ".join(parts) + ")"


def _strings(values: tuple[str, ...]) -> str:
    return py_tuple([py_str(v) for v in values])


def py_tuple(items: list[str]) -> str:
    """A tuple display as black writes it on one line (a one-tuple keeps its comma; any
    other trailing comma would make black explode the tuple)."""
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
