"""The views `api.md` and `README.md` lay out: resources, methods and README examples.

Which names a parameter or return value lists, how far nested objects are expanded (one
level, like Stainless' reference), how enums are summarised and which call each README
section shows is decided here, so the templates only place text. Example values and calls
come from `codegen.examples`, which this module calls and which never calls back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sdkforge.apimodel.ir import Api, Field, Operation, Resource, TypeRef
from sdkforge.codegen.bounds import DOC_ITEMS, ELLIPSIS
from sdkforge.codegen.examples import (
    FILE_FORMS,
    Examples,
    accessor,
    example_response,
    example_snippet,
    label_of,
    visible_fields,
)
from sdkforge.codegen.pyexpr import py_value


@dataclass(frozen=True)
class Item:
    """One documented name (parameter, field, union member) and what it accepts.

    `values` are enum values as Python literals; `open_enum` means other strings are
    accepted too. `kind` is "param", "field", "model", "alias", "file" or "more" (what a
    cut left out).
    """

    name: str
    type: str
    kind: str
    required: bool = False
    description: str = ""
    values: tuple[str, ...] = ()
    open_enum: bool = False
    tags: tuple[str, ...] = ()
    children: tuple[Item, ...] = ()

    @property
    def head(self) -> str:
        """The code shown first: `name: type`, `Alias = type`, or just a name."""
        if self.kind in ("param", "field"):
            return f"{self.name}: {self.type}"
        return f"{self.name} = {self.type}" if self.kind == "alias" else self.name

    @property
    def flags(self) -> str:
        """`required` / `optional` plus tags (location, deprecated…), for names that take values."""
        if self.kind not in ("param", "field"):
            return ""
        return ", ".join(("required" if self.required else "optional", *self.tags))


@dataclass(frozen=True)
class MethodDoc:
    """Everything `api.md` shows for one method."""

    anchor: str
    name: str
    accessor: str
    signature: str
    http_method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    params: tuple[Item, ...]
    returns: Item
    example: str
    response_json: str


@dataclass(frozen=True)
class ResourceDoc:
    """One resource section; `depth` indents nested resources in the table of contents."""

    anchor: str
    accessor: str
    depth: int
    description: str
    methods: tuple[MethodDoc, ...]


#: Aliases of aliases are expanded in the docs this many levels, not the whole chain.
_MAX_ALIAS_HOPS = 16


class _Views:
    """Builds the doc views of one API; shares one `Examples` (and its model index)."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.ex = Examples(api)  # its values budget is shared by all operations (`bounds`)
        # A model used by many methods (GitHub's `repository`: hundreds) is expanded once.
        self._expanded: dict[tuple[TypeRef, str, int, frozenset[str]], tuple[Item, ...]] = {}
        self._responses: dict[TypeRef, str] = {}
        self._sizes: dict[int, tuple[Item, int]] = {}  # by identity; the item kept alive

    def size(self, item: Item) -> int:
        """Items a tree lists (`item` and everything under it); shared subtrees count once
        per place they are shown, as the docs show them."""
        done = self._sizes.get(id(item))
        if done is None:
            done = self._sizes[id(item)] = (item, 1 + self.count(item.children))
        return done[1]

    def count(self, items: tuple[Item, ...]) -> int:
        return sum(self.size(i) for i in items)

    def bounded(self, t: TypeRef, side: str, depth: int) -> tuple[Item, ...]:
        """`expand(t, side, depth)`, shallower while it lists more than `DOC_ITEMS` items;
        at depth 1 the items past the budget are left out and one last item says how many."""
        items = self.expand(t, side, depth)
        while depth > 1 and self.count(items) > DOC_ITEMS:
            depth -= 1
            items = self.expand(t, side, depth)
        if self.count(items) <= DOC_ITEMS:
            return items
        kept: list[Item] = []
        used = 1  # the closing item
        for item in items:
            used += self.size(item)
            if used > DOC_ITEMS:
                break
            kept.append(item)
        more = f"{len(items) - len(kept)} more not listed here"
        return (*kept, Item(ELLIPSIS, "", "more", description=more))

    def leaves(self, t: TypeRef) -> list[TypeRef]:
        if t.kind in ("union", "list", "map"):
            return [leaf for item in t.items for leaf in self.leaves(item)]
        return [t]

    def enum(self, t: TypeRef) -> tuple[tuple[str, ...], bool]:
        """Enum values a type accepts (as literals) and whether other strings are fine too."""
        if t.kind == "literal":
            return (), False  # the type label already spells them out
        values: list[str] = []
        open_enum = False
        for leaf in self.leaves(t):
            model = self.ex.models.get(leaf.name) if leaf.kind == "alias" else None
            vals = leaf.values if leaf.kind == "literal" else model.enum_values if model else ()
            values.extend(py_value(v) for v in vals if py_value(v) not in values)
            open_enum = open_enum or bool(model and model.open_enum) or leaf.kind == "str"
        return tuple(values), open_enum and bool(values)

    def expand(
        self, t: TypeRef, side: str, depth: int, seen: frozenset[str] = frozenset()
    ) -> tuple[Item, ...]:
        """Items for the named types inside `t`; a lone object shows its fields directly.

        Objects cost one level of `depth`; aliases (`Shape = Circle | Square`) cost none,
        as they only name a type; `seen` stops an alias that contains itself (or a chain of
        more than `_MAX_ALIAS_HOPS`). Memoised: the items depend only on the named types
        (`TypeRef` equality ignores constraints, which no item shows).
        """
        key = (t, side, depth, seen)
        done = self._expanded.get(key)
        if done is None:
            done = self._expanded[key] = self._expand(t, side, depth, seen)
        return done

    def _expand(self, t: TypeRef, side: str, depth: int, seen: frozenset[str]) -> tuple[Item, ...]:
        items: list[Item] = []
        for leaf in self.leaves(t):
            model = self.ex.models.get(leaf.name) if leaf.kind in ("model", "alias") else None
            if leaf.kind == "file":
                items.append(Item("FileTypes", "", "file", description=FILE_FORMS))
            elif model is not None and model.kind == "object":
                fields = (
                    tuple(self.field(f, side, depth - 1) for f in visible_fields(model, side))
                    if depth > 0
                    else ()
                )
                items.append(
                    Item(
                        model.name,
                        "object",
                        "model",
                        description=model.description,
                        children=fields,
                    )
                )
            elif (
                model is not None
                and model.alias_of
                and not model.enum_values
                and model.name not in seen
                and len(seen) < _MAX_ALIAS_HOPS
            ):
                label = self.ex.type_label(model.alias_of, side)
                children = self.expand(model.alias_of, side, depth, seen | {model.name})
                items.append(
                    Item(
                        model.name, label, "alias", description=model.description, children=children
                    )
                )
        if len(items) == 1 and items[0].kind == "model":
            return items[0].children
        return tuple(items)

    def response_json(self, op: Operation) -> str:
        """The example response as JSON text. Without an example of the operation's own
        it depends on the type alone, and many methods return the same type."""
        if op.response.example is not None:
            return _json_text(example_response(op, self.api, self.ex))
        text = self._responses.get(op.response.type)
        if text is None:
            text = self._responses[op.response.type] = _json_text(
                example_response(op, self.api, self.ex)
            )
        return text

    def field(self, f: Field, side: str, depth: int) -> Item:
        values, open_enum = self.enum(f.type)
        tags = (
            ("deprecated",) * f.deprecated
            + ("read-only",) * f.read_only
            + ("write-only",) * f.write_only
        )
        return Item(
            label_of(f, side),
            self.ex.type_label(f.type, side),
            "field",
            f.required,
            f.description,
            values,
            open_enum,
            tags,
            self.expand(f.type, side, depth) if depth > 0 else (),
        )

    def method(self, trail: tuple[Resource, ...], op: Operation) -> MethodDoc:
        returns = returns_label(op, self.ex)
        params = []
        for p in op.parameters:
            values, open_enum = self.enum(p.type)
            tags = (p.location,) * (p.location != "body") + ("deprecated",) * p.deprecated
            label = self.ex.type_label(p.type, "request", expand=True)
            params.append(
                Item(
                    p.name,
                    label,
                    "param",
                    p.required,
                    p.description,
                    values,
                    open_enum,
                    tags,
                    self.bounded(p.type, "request", 1),
                )
            )
        t = op.response.type
        model = self.ex.models.get(t.name) if t.kind in ("model", "alias") else None
        shown = op.response.kind in ("json", "sse")
        returns_item = Item(
            returns,
            "",
            "returns",
            description=model.description if model else "",
            children=self.bounded(t, "response", 2) if shown else (),
        )
        response = self.response_json(op) if shown else ""
        call = accessor(trail, op)
        return MethodDoc(
            anchor="-".join([*(r.name for r in trail), op.name]),
            name=op.name,
            accessor=call,
            signature=f"{call}({_signature_args(op)}) -> {returns}",
            http_method=op.http_method,
            path=op.path,
            summary=op.summary,
            description=op.description if op.description != op.summary else "",
            deprecated=op.deprecated,
            params=tuple(params),
            returns=returns_item,
            example=example_snippet(op, self.api),
            response_json=response,
        )


def _signature_args(op: Operation) -> str:
    """`file_id, **kwargs`: the positional ids by name, then the rest as keywords."""
    names = [p.name for p in op.parameters[: op.positional]]
    if len(op.parameters) > op.positional:
        names.append("**kwargs")
    return ", ".join(names)


def _json_text(value: object) -> str:
    """Pretty JSON for a code block; the line separators JSON allows raw in strings are
    escaped, so the example cannot break lines (or Markdown) where no newline was."""
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x7f", "\\u007f")


def returns_label(op: Operation, examples: Examples) -> str:
    """What a method returns, as docs spell it (`Video`, `Stream[Event]`, `None`)."""
    kind = op.response.kind
    if op.pagination is not None:
        item = examples.type_label(op.pagination.item_type)
        return f"Sync{op.pagination.page_class}[{item}]"
    if op.stream_chunk is not None:
        chunk = examples.type_label(op.stream_chunk)
        return f"{examples.type_label(op.response.type)} | Stream[{chunk}]"
    if kind == "json":
        return examples.type_label(op.response.type)
    if kind == "sse":
        return f"Stream[{examples.type_label(op.response.type)}]"
    return {"binary": "BinaryResponse", "text": "str"}.get(kind, "None")


def resource_docs(api: Api) -> list[ResourceDoc]:
    """Every resource with its methods, parents before children (table-of-contents order)."""
    views = _Views(api)
    out: list[ResourceDoc] = []

    def walk(res: Resource, trail: tuple[Resource, ...]) -> None:
        here = (*trail, res)
        methods = tuple(views.method(here, op) for op in res.operations)
        out.append(
            ResourceDoc(
                "-".join(r.name for r in here),
                ".".join(["client", *(r.name for r in here)]),
                len(trail),
                res.description,
                methods,
            )
        )
        for child in res.children:
            walk(child, here)

    for res in api.resources:
        walk(res, ())
    return out
