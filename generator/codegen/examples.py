"""Examples from the IR: example values, example calls and snippets, type labels.

Which value an example passes, which union member it picks, how a call is spelled and
wrapped is decided here, as pure functions over the IR, so the examples can be tested on
their own. Its callers are the doc views (`docviews`: `api.md`, README) and the smoke
suite (`smoke`); calls go one way, from them to here. `example_call` and `example_snippet`
are public so that a test can run the documented example against a live server with its
own client arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from sdkforge.apimodel import naming
from sdkforge.apimodel.ir import Api, Field, Model, Operation, Resource, TypeRef
from sdkforge.codegen.bounds import ELLIPSIS, MAX_DEPTH, Sizes, per_operation
from sdkforge.codegen.pyexpr import SCALAR_ANNOTATIONS, py_str, py_value

FILE_EXAMPLE = 'io.BytesIO(b"Example data")'
FILE_FORMS = "bytes, a binary file object, a pathlib.Path, or a (filename, content, mime) tuple"
WRAP_AT = 88
_NONE = TypeRef("none")
_PY_EXAMPLES = {"str": '"x"', "int": "0", "float": "0", "bool": "True", "none": "None", "any": "{}"}
# Well-known formats get a value that parses as that format, as Stainless' docs do.
_FORMAT_EXAMPLES = {
    "date-time": "2019-12-27T18:11:19.117Z",
    "date": "2019-12-27",
    "uuid": "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e",
    "uri": "https://example.com",
    "email": "user@example.com",
}
# Names an example snippet already uses, which its result variable must not shadow.
_SNIPPET_NAMES = {"client", "io", "asyncio", "main", "print", "response", "stream"}
_T = TypeVar("_T")


class Examples:
    """Example values for one API; keeps the model index so every lookup is O(1).

    Each example holds at most `budget` values (`bounds`): it goes as many models deep as
    its size bound allows (at most `MAX_DEPTH`), and a response whose top model alone is
    wider than the budget is cut after `budget` values, the cut marked by `ELLIPSIS`.
    """

    def __init__(self, api: Api, budget: int | None = None) -> None:
        self.api = api
        self.models: dict[str, Model] = {m.name: m for m in api.models}
        self.budget = per_operation(api) if budget is None else budget
        self.sizes = Sizes(self.models)
        self._depth = MAX_DEPTH
        self._left: int | None = None  # values the example being made may still hold

    def _bounded(self, t: TypeRef, request: bool, make: Callable[[], _T]) -> _T:
        """Run `make` (the outermost call of one example) at the depth that fits the budget."""
        self._depth = self.sizes.depth(t, self.budget, request=request)
        self._left = self.budget
        try:
            return make()
        finally:
            self._left = None
            self._depth = MAX_DEPTH

    def _spend(self) -> None:
        """Count one value of the example being made."""
        if self._left is not None:
            self._left -= 1

    def _exhausted(self) -> bool:
        return self._left is not None and self._left <= 0

    # -- JSON values (responses) ------------------------------------------------------

    def response(self, t: TypeRef, name: str = "", trail: tuple[str, ...] = ()) -> object:
        """A JSON value of type `t` as the API could send it, with every field present.

        Spec examples and defaults win; then consts and first enum values; strings without
        either repeat their field name (`"id": "id"`), numbers are 0. `trail` holds the
        models being expanded, so recursive models end in empty values instead of looping.
        """
        if self._left is None:
            return self._bounded(t, False, lambda: self.response(t, name, trail))
        if t.kind in ("model", "alias"):
            model = self.models.get(t.name)
            if model is None or self._cyclic(t, trail):
                self._spend()
                return {} if model is None or model.kind == "object" else None
            here = (*trail, t.name)
            if model.kind == "alias":
                if model.example is not None:
                    return model.example
                return self.response(model.alias_of or TypeRef("any"), name, here)
            self._spend()
            fields: dict[str, object] = {}
            for f in model.fields:
                if f.write_only:
                    continue
                if self._exhausted():
                    fields[ELLIPSIS] = ELLIPSIS  # wider than the budget: cut, and say so
                    break
                fields[f.wire_name] = self._field(f, here)
            return _overlay(fields, model.example)
        if t.kind != "union":
            self._spend()
        if t.kind == "literal":
            return t.values[0] if t.values else None
        if t.kind == "list":
            return (
                [] if self._cyclic(t.items[0], trail) else [self.response(t.items[0], name, trail)]
            )
        if t.kind == "map":
            return (
                {}
                if self._cyclic(t.items[0], trail)
                else {"foo": self.response(t.items[0], name, trail)}
            )
        if t.kind == "union":
            return self.response(self._pick(t, trail, request=False), name, trail)
        if t.kind == "str":
            return _FORMAT_EXAMPLES.get(t.fmt, name or "string")
        return {"int": 0, "float": 0, "bool": True, "file": "Example data", "any": {}}.get(t.kind)

    def _field(self, f: Field, trail: tuple[str, ...]) -> object:
        if f.example is not None:
            return f.example
        if f.has_default and f.default is not None:
            return f.default
        return self.response(f.type, f.wire_name, trail)

    # -- Python source (requests) -----------------------------------------------------

    def request(self, t: TypeRef, trail: tuple[str, ...] = ()) -> str:
        """A Python expression the method accepts for `t`: the shortest valid value.

        Strings are "x", numbers 0, files an in-memory file, enums their first value and
        objects a dict of their required fields, so the call is short and always valid.
        Only the depth is bounded: one object's required fields are never cut.
        """
        if self._left is None:
            return self._bounded(t, True, lambda: self.request(t, trail))
        if t.kind in ("model", "alias"):
            model = self.models.get(t.name)
            if model is None or self._cyclic(t, trail):
                return "{}" if model is None or model.kind == "object" else "None"
            here = (*trail, t.name)
            if model.kind == "alias":
                return self.request(model.alias_of or TypeRef("any"), here)
            items = [
                f"{py_str(f.wire_name)}: {self.request(f.type, here)}"
                for f in model.fields
                if f.required and not f.read_only
            ]
            return "{" + ", ".join(items) + "}"
        if t.kind == "literal":
            return py_value(t.values[0]) if t.values else "None"
        if t.kind == "list":
            return (
                "[]" if self._cyclic(t.items[0], trail) else f"[{self.request(t.items[0], trail)}]"
            )
        if t.kind == "map":
            return (
                "{}"
                if self._cyclic(t.items[0], trail)
                else f'{{"foo": {self.request(t.items[0], trail)}}}'
            )
        if t.kind == "union":
            return self.request(self._pick(t, trail, request=True), trail)
        if t.kind == "file":
            return FILE_EXAMPLE
        return _PY_EXAMPLES[t.kind]

    # -- shared -------------------------------------------------------------------------

    def _cyclic(self, t: TypeRef, trail: tuple[str, ...]) -> bool:
        return t.kind in ("model", "alias") and (t.name in trail or len(trail) >= self._depth)

    def _is_enum(self, t: TypeRef) -> bool:
        model = self.models.get(t.name) if t.kind == "alias" else None
        return t.kind == "literal" or bool(model and model.enum_values)

    def _pick(self, t: TypeRef, trail: tuple[str, ...], *, request: bool) -> TypeRef:
        """The union member an example shows.

        Requests take the first member (the method's own order, so a file comes first when
        it is accepted), except that an open enum shows a known value rather than "x".
        Responses prefer the most specific member (enum, object) over a plain scalar.
        Members that would recurse are skipped, which is how recursive types terminate.
        """
        members = [m for m in t.items if m.kind != "none" and not self._cyclic(m, trail)]
        if not members:
            return _NONE if t.nullable else t.items[0]
        if request:
            if any(m.kind == "str" for m in members):
                members = [m for m in members if self._is_enum(m)] or members
            return members[0]
        specific = [m for m in members if m.kind in ("literal", "model", "alias")]
        return (specific or members)[0]

    def type_label(self, t: TypeRef, side: str = "response", expand: bool = False) -> str:
        """How docs spell a type: PEP 604 unions, model names without the `models.` prefix.

        With `expand`, object models list their field names (`VideoReferenceInputParam{ id }`)
        so a reader sees what a dict argument needs without following a link.
        """
        if t.kind == "file":
            return "FileTypes" if side == "request" else "bytes"
        if t.kind in ("model", "alias"):
            model = self.models.get(t.name)
            if expand and model is not None and model.kind == "object" and model.fields:
                return (
                    t.name
                    + "{ "
                    + ", ".join(label_of(f, side) for f in visible_fields(model, side))
                    + " }"
                )
            return t.name
        if t.kind == "literal":
            return "Literal[" + ", ".join(py_value(v) for v in t.values) + "]"
        if t.kind == "list":
            return f"list[{self.type_label(t.items[0], side, expand)}]"
        if t.kind == "map":
            return f"dict[str, {self.type_label(t.items[0], side, expand)}]"
        if t.kind == "union":
            return " | ".join(self.type_label(m, side, expand) for m in t.items)
        return SCALAR_ANNOTATIONS[t.kind]


def visible_fields(model: Model, side: str) -> list[Field]:
    """Fields a side can see: requests never send read-only ones, responses lack write-only."""
    return [f for f in model.fields if not (f.read_only if side == "request" else f.write_only)]


def label_of(f: Field, side: str) -> str:
    """Requests take dicts keyed by wire names; responses are models with attribute names."""
    return f.wire_name if side == "request" else f.name


def _overlay(base: object, given: object) -> object:
    """`given` (a spec example) over `base` (synthesized), keeping every synthesized key."""
    if given is None:
        return base
    if isinstance(base, dict) and isinstance(given, dict):
        out = {k: _overlay(v, given.get(k)) for k, v in base.items()}
        out.update((k, v) for k, v in given.items() if k not in base)
        return out
    return given


_LAST: list[tuple[Api, dict[int, tuple[Resource, ...]], Examples]] = []


def _index(api: Api) -> tuple[dict[int, tuple[Resource, ...]], Examples]:
    """Per API, built once: each operation's resource trail, and the example maker.

    Every method's docs need both; rebuilding them per method made the docs of GitHub's
    1,223 operations quadratic (1.5 million steps, 1 s of every regeneration). Only the
    last API's is kept (docs are rendered one API at a time), so no IR outlives its run
    by more than the next one; compared by identity, as hashing the IR would walk it.
    """
    if not _LAST or _LAST[0][0] is not api:
        trails = {id(op): trail for trail, op in api.all_operations()}
        _LAST[:] = [(api, trails, Examples(api))]
    return _LAST[0][1], _LAST[0][2]


def example_value(t: TypeRef, api: Api) -> object:
    """The example JSON value of `t` (see `Examples.response`)."""
    return _index(api)[1].response(t)


def example_response(op: Operation, api: Api, examples: Examples | None = None) -> object:
    """The example body an operation returns: synthesized, under the spec's own example."""
    ex = examples or _index(api)[1]
    return _overlay(ex.response(op.response.type), op.response.example)


# -- calls and snippets ---------------------------------------------------------------


def _trail(api: Api, op: Operation) -> tuple[Resource, ...]:
    trail = _index(api)[0].get(id(op))
    if trail is None:
        raise ValueError(f"operation {op.name!r} is not part of this API")
    return trail


def accessor(
    trail: tuple[Resource, ...], op: Operation, client: str = "client", via: str = ""
) -> str:
    """`client.videos.edit`, or `client.videos.with_raw_response.edit` with `via`."""
    return ".".join([client, *(r.name for r in trail), *([via] if via else []), op.name])


def example_args(
    op: Operation,
    api: Api,
    examples: Examples | None = None,
    overrides: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """`(argument, Python expression)` for every required parameter, in signature order;
    the argument is "" for a positional one (`retrieve("file_id")`)."""
    ex = examples or _index(api)[1]
    given = overrides or {}
    return [
        ("" if i < op.positional else p.name, given.get(p.name) or ex.request(p.type))
        for i, p in enumerate(op.parameters)
        if p.required
    ]


def spell(arg: tuple[str, str]) -> str:
    """One argument of a call: `value` when positional, else `name=value`."""
    return f"{arg[0]}={arg[1]}" if arg[0] else arg[1]


def example_call(
    op: Operation,
    api: Api,
    *,
    client: str = "client",
    via: str = "",
    overrides: Mapping[str, str] | None = None,
    examples: Examples | None = None,
) -> str:
    """The one-line example call, e.g. `client.videos.edit(prompt="x", video=...)`."""
    args = example_args(op, api, examples, overrides)
    return accessor(_trail(api, op), op, client, via) + "(" + ", ".join(map(spell, args)) + ")"


def wrap_call(prefix: str, call: str, args: list[tuple[str, str]], indent: str) -> str:
    """`prefix + call(args)` on one line, or one argument per line when it is too long."""
    line = f"{indent}{prefix}{call}(" + ", ".join(map(spell, args)) + ")"
    if len(line) <= WRAP_AT or not args:
        return line
    inner = "".join(f"{indent}    {spell(arg)},\n" for arg in args)
    return f"{indent}{prefix}{call}(\n{inner}{indent})"


def result_name(op: Operation) -> str:
    """The variable an example assigns: the returned model in snake_case (`video`)."""
    t = op.response.type
    if op.response.kind == "sse":
        return "stream"
    if t.kind in ("model", "alias"):
        name = naming.safe_identifier(naming.snake(t.name))
        if name not in _SNIPPET_NAMES:
            return name
    return "response"


def example_snippet(
    op: Operation, api: Api, *, client_args: str = "", asynchronous: bool = False, via: str = ""
) -> str:
    """A complete, runnable program calling `op` and printing what it returns.

    `client_args` goes inside the constructor call (`base_url=..., api_key=...`), which is
    all a test needs to run the documented example against a local server.
    """
    examples = _index(api)[1]
    args = example_args(op, api, examples)
    call = accessor(_trail(api, op), op, "client", via)
    uses_io = any("io.BytesIO(" in v for _, v in args)
    cls = ("Async" if asynchronous else "") + api.client_name
    head = ["import asyncio"] * asynchronous + ["import io"] * uses_io
    lines = [
        *head,
        *[""] * bool(head),
        f"from {api.package} import {cls}",
        "",
        f"client = {cls}({client_args})",
    ]
    indent = "    " if asynchronous else ""
    empty = op.response.kind == "empty"
    var = result_name(op)
    body = [
        wrap_call(
            "" if empty else f"{var} = " + ("await " if asynchronous else ""), call, args, indent
        )
    ]
    if op.response.kind == "sse":
        loop = "async for" if asynchronous else "for"
        body.append(f"{indent}{loop} event in {var}:\n{indent}    print(event)")
    elif not empty:
        body.append(f"{indent}print({var})")
    if asynchronous:
        lines += ["", "", "async def main() -> None:", *body, "", "", "asyncio.run(main())"]
    else:
        lines += body
    return "\n".join(lines) + "\n"
