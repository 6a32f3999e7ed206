"""Reference docs from the IR: example values, example calls, and the views of `api.md`.

Every decision a doc shows (which value an example passes, which union member it picks,
how deep nested types are expanded, how spec text is made safe for Markdown) is made here,
as pure functions over the IR, so the doc templates only lay out text and the examples can
be tested on their own. `example_call` and `example_snippet` are public so that a test can
run the documented example against a live server with its own client arguments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from generator import naming
from generator.ir import Api, Field, Model, Operation, Resource, TypeRef
from generator.pyexpr import py_str, py_value

MAX_DEPTH = 5
"""Models deep an example goes; deeper (or recursive) references become empty values."""

FILE_EXAMPLE = 'io.BytesIO(b"Example data")'
FILE_FORMS = "bytes, a binary file object, a pathlib.Path, or a (filename, content, mime) tuple"
WRAP_AT = 88
_NONE = TypeRef("none")
_SCALARS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "none": "None", "any": "object"}
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


class Examples:
    """Example values for one API; keeps the model index so every lookup is O(1)."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.models: dict[str, Model] = {m.name: m for m in api.models}

    # -- JSON values (responses) ------------------------------------------------------

    def response(self, t: TypeRef, name: str = "", trail: tuple[str, ...] = ()) -> object:
        """A JSON value of type `t` as the API could send it, with every field present.

        Spec examples and defaults win; then consts and first enum values; strings without
        either repeat their field name (`"id": "id"`), numbers are 0. `trail` holds the
        models being expanded, so recursive models end in empty values instead of looping.
        """
        if t.kind in ("model", "alias"):
            model = self.models.get(t.name)
            if model is None or self._cyclic(t, trail):
                return {} if model is None or model.kind == "object" else None
            here = (*trail, t.name)
            if model.kind == "alias":
                if model.example is not None:
                    return model.example
                return self.response(model.alias_of or TypeRef("any"), name, here)
            fields = {f.wire_name: self._field(f, here) for f in model.fields if not f.write_only}
            return _overlay(fields, model.example)
        if t.kind == "literal":
            return t.values[0] if t.values else None
        if t.kind == "list":
            return [] if self._cyclic(t.items[0], trail) else [self.response(t.items[0], name, trail)]
        if t.kind == "map":
            return {} if self._cyclic(t.items[0], trail) else {"foo": self.response(t.items[0], name, trail)}
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
        """
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
            return "[]" if self._cyclic(t.items[0], trail) else f"[{self.request(t.items[0], trail)}]"
        if t.kind == "map":
            return "{}" if self._cyclic(t.items[0], trail) else f'{{"foo": {self.request(t.items[0], trail)}}}'
        if t.kind == "union":
            return self.request(self._pick(t, trail, request=True), trail)
        if t.kind == "file":
            return FILE_EXAMPLE
        return _PY_EXAMPLES[t.kind]

    # -- shared -------------------------------------------------------------------------

    def _cyclic(self, t: TypeRef, trail: tuple[str, ...]) -> bool:
        return t.kind in ("model", "alias") and (t.name in trail or len(trail) >= MAX_DEPTH)

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
                return t.name + "{ " + ", ".join(_label(f, side) for f in _visible(model, side)) + " }"
            return t.name
        if t.kind == "literal":
            return "Literal[" + ", ".join(py_value(v) for v in t.values) + "]"
        if t.kind == "list":
            return f"list[{self.type_label(t.items[0], side, expand)}]"
        if t.kind == "map":
            return f"dict[str, {self.type_label(t.items[0], side, expand)}]"
        if t.kind == "union":
            return " | ".join(self.type_label(m, side, expand) for m in t.items)
        return _SCALARS[t.kind]


def _visible(model: Model, side: str) -> list[Field]:
    """Fields a side can see: requests never send read-only ones, responses lack write-only."""
    return [f for f in model.fields if not (f.read_only if side == "request" else f.write_only)]


def _label(f: Field, side: str) -> str:
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


def example_value(t: TypeRef, api: Api) -> object:
    """The example JSON value of `t` (see `Examples.response`)."""
    return Examples(api).response(t)


def example_response(op: Operation, api: Api, examples: Examples | None = None) -> object:
    """The example body an operation returns: synthesized, under the spec's own example."""
    ex = examples or Examples(api)
    return _overlay(ex.response(op.response.type), op.response.example)


# -- calls and snippets ---------------------------------------------------------------


def _trail(api: Api, op: Operation) -> tuple[Resource, ...]:
    for trail, candidate in api.all_operations():
        if candidate is op:
            return trail
    raise ValueError(f"operation {op.name!r} is not part of this API")


def accessor(trail: tuple[Resource, ...], op: Operation, client: str = "client", via: str = "") -> str:
    """`client.videos.edit`, or `client.videos.with_raw_response.edit` with `via`."""
    return ".".join([client, *(r.name for r in trail), *([via] if via else []), op.name])


def example_args(
    op: Operation, api: Api, examples: Examples | None = None, overrides: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """`(argument, Python expression)` for every required parameter, in signature order."""
    ex = examples or Examples(api)
    given = overrides or {}
    return [(p.name, given.get(p.name) or ex.request(p.type)) for p in op.parameters if p.required]


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
    return accessor(_trail(api, op), op, client, via) + "(" + ", ".join(f"{k}={v}" for k, v in args) + ")"


def _wrap(prefix: str, call: str, args: list[tuple[str, str]], indent: str) -> str:
    """`prefix + call(args)` on one line, or one argument per line when it is too long."""
    line = f"{indent}{prefix}{call}(" + ", ".join(f"{k}={v}" for k, v in args) + ")"
    if len(line) <= WRAP_AT or not args:
        return line
    inner = "".join(f"{indent}    {k}={v},\n" for k, v in args)
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
    examples = Examples(api)
    args = example_args(op, api, examples)
    call = accessor(_trail(api, op), op, "client", via)
    uses_io = any("io.BytesIO(" in v for _, v in args)
    cls = ("Async" if asynchronous else "") + api.client_name
    head = ["import asyncio"] * asynchronous + ["import io"] * uses_io
    lines = [*head, *[""] * bool(head), f"from {api.package} import {cls}", "", f"client = {cls}({client_args})"]
    indent = "    " if asynchronous else ""
    empty = op.response.kind == "empty"
    var = result_name(op)
    body = [_wrap("" if empty else f"{var} = " + ("await " if asynchronous else ""), call, args, indent)]
    if op.response.kind == "sse":
        body.append(f"{indent}{'async for' if asynchronous else 'for'} event in {var}:\n{indent}    print(event)")
    elif not empty:
        body.append(f"{indent}print({var})")
    if asynchronous:
        lines += ["", "", "async def main() -> None:", *body, "", "", "asyncio.run(main())"]
    else:
        lines += body
    return "\n".join(lines) + "\n"


# -- api.md views ---------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One documented name (parameter, field, union member) and what it accepts.

    `values` are enum values as Python literals; `open_enum` means other strings are
    accepted too. `kind` is "param", "field", "model", "alias" or "file".
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


class _Views:
    """Builds the doc views of one API; shares one `Examples` (and its model index)."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.ex = Examples(api)

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

    def expand(self, t: TypeRef, side: str, depth: int) -> tuple[Item, ...]:
        """Items for the named types inside `t`; a lone object shows its fields directly."""
        items: list[Item] = []
        for leaf in self.leaves(t):
            model = self.ex.models.get(leaf.name) if leaf.kind in ("model", "alias") else None
            if leaf.kind == "file":
                items.append(Item("FileTypes", "", "file", description=FILE_FORMS))
            elif model is not None and model.kind == "object":
                fields = tuple(self.field(f, side, depth - 1) for f in _visible(model, side)) if depth > 0 else ()
                items.append(Item(model.name, "object", "model", description=model.description, children=fields))
            elif model is not None and model.alias_of is not None and not model.enum_values and depth > 0:
                label = self.ex.type_label(model.alias_of, side)
                children = self.expand(model.alias_of, side, depth - 1)
                items.append(Item(model.name, label, "alias", description=model.description, children=children))
        if len(items) == 1 and items[0].kind == "model":
            return items[0].children
        return tuple(items)

    def field(self, f: Field, side: str, depth: int) -> Item:
        values, open_enum = self.enum(f.type)
        tags = ("deprecated",) * f.deprecated + ("read-only",) * f.read_only + ("write-only",) * f.write_only
        return Item(
            _label(f, side), self.ex.type_label(f.type, side), "field", f.required, f.description,
            values, open_enum, tags, self.expand(f.type, side, depth) if depth > 0 else (),
        )

    def method(self, trail: tuple[Resource, ...], op: Operation) -> MethodDoc:
        returns = returns_label(op, self.ex)
        params = []
        for p in op.parameters:
            values, open_enum = self.enum(p.type)
            tags = (p.location,) * (p.location != "body") + ("deprecated",) * p.deprecated
            label = self.ex.type_label(p.type, "request", expand=True)
            params.append(
                Item(p.name, label, "param", p.required, p.description, values, open_enum, tags,
                     self.expand(p.type, "request", 1))
            )
        t = op.response.type
        model = self.ex.models.get(t.name) if t.kind in ("model", "alias") else None
        shown = op.response.kind in ("json", "sse")
        returns_item = Item(
            returns, "", "returns", description=model.description if model else "",
            children=self.expand(t, "response", 2) if shown else (),
        )
        response = json.dumps(example_response(op, self.api, self.ex), indent=2, ensure_ascii=False) if shown else ""
        call = accessor(trail, op)
        return MethodDoc(
            anchor="-".join([*(r.name for r in trail), op.name]),
            name=op.name,
            accessor=call,
            signature=f"{call}({'**kwargs' if op.parameters else ''}) -> {returns}",
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


def returns_label(op: Operation, examples: Examples) -> str:
    """What a method returns, as docs spell it (`Video`, `Stream[Event]`, `None`)."""
    kind = op.response.kind
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
                "-".join(r.name for r in here), ".".join(["client", *(r.name for r in here)]),
                len(trail), res.description, methods,
            )
        )
        for child in res.children:
            walk(child, here)

    for res in api.resources:
        walk(res, ())
    return out


# -- Markdown escaping (filters) --------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def md_code(text: object) -> str:
    """An inline code span that shows `text` verbatim, whatever backticks it contains."""
    flat = re.sub(r"\s+", " ", _CONTROL.sub(" ", str(text))).strip()
    runs = [len(r) for r in re.findall(r"`+", flat)]
    ticks = "`" * (max(runs, default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def fenced(text: str, lang: str = "") -> str:
    """A fenced code block that no line of `text` can close (the fence outgrows its runs)."""
    runs = [len(m.group(1)) for m in _FENCE.finditer(text) if m.group(1).startswith("`")]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{lang}\n{text.rstrip(chr(10))}\n{fence}"


def md_block(text: str) -> str:
    """Multi-line spec text as Markdown paragraphs that cannot swallow what follows.

    Descriptions may use Markdown, so it is kept; but a code fence left open is closed and
    an unterminated HTML comment is neutralised, either of which would otherwise hide the
    rest of the document. Control characters are removed.
    """
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    text = text.replace("<!--", "&lt;!--")
    open_fence = ""
    for m in _FENCE.finditer(text):
        marker = m.group(1)
        if not open_fence:
            open_fence = marker
        elif marker[0] == open_fence[0] and len(marker) >= len(open_fence):
            open_fence = ""
    return text + ("\n" + open_fence if open_fence else "")


# -- README ---------------------------------------------------------------------------

_UPLOAD_FORMS = (
    ("a pathlib.Path: the file is read for you and its name sent as the filename", 'Path("/path/to/file")'),
    ("bytes", 'b"raw file contents"'),
    ("an open binary file object", "f"),
    ("a (filename, content, mime type) tuple", '("file.bin", b"raw file contents", "application/octet-stream")'),
)


@dataclass(frozen=True)
class ReadmeDoc:
    """The first operation's example, as the README's sections show it.

    Statements are complete (`response = client.videos.with_raw_response.edit(...)`) and
    already wrapped, so the template only places them; `call` is meant for a block
    indented by four spaces. `imports` is what the call needs (`import io` for an
    in-memory file); `upload` is empty when no method takes a file.
    """

    imports: str
    result: str
    call: str
    retry_call: str
    timeout_call: str
    raw: str
    stream: str
    sync_example: str
    async_example: str
    upload: str


def readme_doc(api: Api) -> ReadmeDoc | None:
    """Examples for the README, from the first operation; None for an API without any."""
    ops = api.all_operations()
    if not ops:
        return None
    examples = Examples(api)
    trail, op = ops[0]
    args = example_args(op, api, examples)

    def statement(prefix: str, client: str = "client", via: str = "", indent: str = "") -> str:
        return _wrap(prefix, accessor(trail, op, client, via), args, indent).lstrip()

    return ReadmeDoc(
        imports="import io\n\n" if any("io.BytesIO(" in v for _, v in args) else "",
        result=result_name(op),
        call=statement("", indent="    "),
        retry_call=statement("", "client.with_options(max_retries=5)"),
        timeout_call=statement("", "client.with_options(timeout=5.0)"),
        raw=statement("response = ", via="with_raw_response"),
        stream=statement("with ", via="with_streaming_response") + " as response:",
        sync_example=example_snippet(op, api),
        async_example=example_snippet(op, api, asynchronous=True),
        upload=upload_snippet(api, examples),
    )


def upload_snippet(api: Api, examples: Examples) -> str:
    """A snippet passing a file in every form `FileTypes` accepts, or "" without uploads."""
    found = next(
        ((trail, op, p) for trail, op in api.all_operations() for p in op.parameters if p.is_file), None
    )
    if found is None:
        return ""
    trail, op, param = found
    call = accessor(trail, op)
    lines: list[str] = []
    for comment, value in _UPLOAD_FORMS:
        args = [(k, value if k == param.name else v) for k, v in example_args(op, api, examples)]
        if param.name not in dict(args):
            args.append((param.name, value))
        lines += ["", f"# {comment}"]
        if value == "f":
            lines += ['with open("/path/to/file", "rb") as f:', _wrap("", call, args, "    ")]
        else:
            lines.append(_wrap("", call, args, ""))
    text = "\n".join(lines)
    head = "import io\n" if "io.BytesIO(" in text else ""
    return f"{head}from pathlib import Path\n\nfrom {api.package} import {api.client_name}\n\nclient = {api.client_name}()\n{text}\n"
