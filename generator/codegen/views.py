"""Per-method and per-resource views: the IR turned into the pieces templates lay out.

Everything that needs a decision (argument order, annotations, defaults, what the runtime
call receives) is computed here so that templates only place text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from generator.apimodel.ir import Api, Operation, Parameter, Resource
from generator.codegen.pyexpr import annotation, py_str

RESPONSE_WRAPPERS = {"binary": "BinaryResponse", "text": "str", "empty": "None"}


@dataclass(frozen=True)
class Arg:
    """One keyword argument in a method signature."""

    name: str
    annotation: str
    default: str
    description: str
    param: Parameter


@dataclass(frozen=True)
class MethodView:
    """What a template needs to write one sync and one async method."""

    op: Operation
    args: tuple[Arg, ...]
    returns: str
    cast_to: str
    request_kwargs: tuple[tuple[str, str], ...]


def method_view(op: Operation) -> MethodView:
    """Signature and runtime call for `op`."""
    args = []
    for p in op.parameters:
        ann = annotation(p.type, "request")
        if p.required:
            args.append(Arg(p.name, ann, "", p.description, p))
        else:
            args.append(Arg(p.name, f"{ann} | NotGiven", "NOT_GIVEN", p.description, p))
    kind = op.response.kind
    if kind == "json":
        returns = cast_to = annotation(op.response.type)
    elif kind == "sse":
        item = annotation(op.response.type)
        returns, cast_to = f"Stream[{item}]", item
    else:
        returns = cast_to = RESPONSE_WRAPPERS[kind]
    kwargs: list[tuple[str, str]] = [("method", py_str(op.http_method)), ("path", py_str(op.path))]
    located = [p for p in op.parameters if p.location != "body"]
    if located:
        kwargs.append(("params", _tuple_of([f"({_param_expr(p)}, {p.name})" for p in located])))
    if op.body is not None:
        if op.body.flattened:
            fields = ", ".join(
                f"{py_str(p.wire_name)}: {p.name}" for p in op.parameters if p.location == "body"
            )
            kwargs.append(("body", "{" + fields + "}"))
        else:
            body = next(p for p in op.parameters if p.location == "body")
            kwargs.append(("body", body.name))
        kwargs.append(("content_types", _tuple(op.body.content_types)))
        if op.body.file_fields:
            kwargs.append(("file_fields", _tuple(op.body.file_fields)))
        if op.body.multipart_encoding:
            enc = ", ".join(f"{py_str(k)}: {py_str(v)}" for k, v in op.body.multipart_encoding)
            kwargs.append(("multipart_encoding", "{" + enc + "}"))
    if op.security:
        kwargs.append(("security", _tuple_of([_tuple(req) for req in op.security])))
    if kind != "json":
        kwargs.append(("response_kind", py_str(kind)))
    return MethodView(op, tuple(args), returns, cast_to, tuple(kwargs))


def _param_expr(p: Parameter) -> str:
    parts = [py_str(p.wire_name), py_str(p.location)]
    if p.style:
        parts.append(f"style={py_str(p.style)}")
    if p.explode is not None:
        parts.append(f"explode={p.explode!r}")
    return "Param(" + ", ".join(parts) + ")"


def _tuple(values: tuple[str, ...]) -> str:
    return _tuple_of([py_str(v) for v in values])


def _tuple_of(items: list[str]) -> str:
    """A tuple display as black writes it on one line (a one-tuple keeps its comma; any
    other trailing comma would make black explode the tuple)."""
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


@dataclass(frozen=True)
class ResourceView:
    """One resource module: its methods, child resources and the models it imports."""

    resource: Resource
    methods: tuple[MethodView, ...]
    uses_files: bool
    uses_stream: bool
    uses_binary: bool
    uses_deprecated: bool
    uses_builtins: bool
    uses_models: bool
    uses_param: bool
    typing_imports: tuple[str, ...]
    abc_imports: tuple[str, ...]


def resource_views(api: Api) -> list[ResourceView]:
    """A view for every resource, parents before children."""
    out: list[ResourceView] = []

    def walk(res: Resource) -> None:
        methods = tuple(method_view(op) for op in res.operations)
        shadowed = {m.op.name for m in methods} & _BUILTIN_TYPES
        plain = methods
        if shadowed:
            methods = tuple(_qualified(m, shadowed) for m in methods)
        text = " ".join(
            [a.annotation for m in methods for a in m.args] + [m.returns for m in methods]
        )
        typing_names = [n for n in ("Literal", "Optional", "Union") if n + "[" in text]
        abc_names = tuple(n for n in ("Mapping", "Sequence") if n + "[" in text)
        if res.children:
            typing_names.append("TYPE_CHECKING")
        out.append(
            ResourceView(
                resource=res,
                methods=methods,
                uses_files="FileTypes" in text,
                uses_stream=any(m.op.response.kind == "sse" for m in methods),
                uses_binary=any(m.op.response.kind == "binary" for m in methods),
                uses_deprecated=any(m.op.deprecated for m in methods),
                uses_builtins=methods != plain,  # an unused import fails pyright strict
                uses_models="models." in text,
                uses_param=any(key == "params" for m in methods for key, _ in m.request_kwargs),
                typing_imports=tuple(sorted([*typing_names, "cast"])),
                abc_imports=abc_names,
            )
        )
        for child in res.children:
            walk(child)

    for res in api.resources:
        walk(res)
    return out


_BUILTIN_TYPES = frozenset(
    {
        "list",
        "dict",
        "set",
        "frozenset",
        "tuple",
        "type",
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "object",
    }
)
_STRING_OR_NAME = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')|(?<![\w.])([A-Za-z_]\w*)")


def _qualified(m: MethodView, shadowed: set[str]) -> MethodView:
    """`m` with the builtin types its class shadows written `builtins.list` in its
    signature: a class with a `list` method makes `-> list[X]` in its body mean that
    method to a type checker. (Method bodies see the builtins; `cast_to` stays.)"""

    def qualify(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(2)
            return f"builtins.{name}" if name in shadowed else match.group(0)

        return _STRING_OR_NAME.sub(one, text)

    args = tuple(replace(a, annotation=qualify(a.annotation)) for a in m.args)
    return replace(m, args=args, returns=qualify(m.returns))


@dataclass(frozen=True)
class AuthView:
    """A security scheme as the client constructor sets it up."""

    name: str
    args: tuple[tuple[str, str], ...]
    expr: str
    auth_class: str


def auth_views(api: Api) -> list[AuthView]:
    """Constructor arguments (with env fallbacks) and the runtime auth object per scheme."""
    out = []
    for s in api.security_schemes:
        given = " and ".join(f"{a} is not None" for a in s.args)
        if s.kind == "bearer":
            cls, call = "BearerAuth", f"BearerAuth({s.args[0]})"
        elif s.kind == "apiKey":
            cls = "APIKeyAuth"
            call = f"APIKeyAuth({py_str(s.param_name)}, {py_str(s.location)}, {s.args[0]})"
        elif s.kind == "basic":
            cls, call = "BasicAuth", f"BasicAuth({s.args[0]}, {s.args[1]})"
        else:
            cls = "OAuth2ClientCredentials"
            scopes = _tuple(s.scopes)
            call = (
                f"OAuth2ClientCredentials({py_str(s.token_url)}, {s.args[0]}, {s.args[1]}, "
                f"scopes={scopes})"
            )
        out.append(
            AuthView(
                s.name, tuple(zip(s.args, s.envs, strict=True)), f"{call} if {given} else None", cls
            )
        )
    return out
