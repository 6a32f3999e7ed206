"""Per-resource views: the IR turned into the pieces a resource module lays out.

Which imports a module needs, which builtins its signatures must spell `builtins.list`
and how the client sets up auth are decided here; each method's signature and call come
from `codegen.signatures`. Templates only place text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sdkforge.apimodel.ir import Api, Resource
from sdkforge.codegen.params import request_types
from sdkforge.codegen.pyexpr import annotation, names_in, py_str, qualify
from sdkforge.codegen.signatures import Arg, MethodView, Overload, method_view, py_tuple


@dataclass(frozen=True)
class ResourceView:
    """One resource module: its methods, child resources and the models it imports."""

    resource: Resource
    methods: tuple[MethodView, ...]
    uses_files: bool
    uses_stream: bool
    uses_pages: tuple[str, ...]
    """The runtime's page classes the module names (`SyncCursorPage`, `AsyncPaginator`...)."""
    uses_part_encoding: bool
    uses_binary: bool
    uses_deprecated: bool
    uses_builtins: bool
    uses_models: bool
    uses_params: bool
    """Whether signatures name `params` TypedDicts (imported for type checkers only)."""
    uses_param: bool
    typing_imports: tuple[str, ...]
    abc_imports: tuple[str, ...]


def resource_views(api: Api) -> list[ResourceView]:
    """A view for every resource, parents before children."""
    out: list[ResourceView] = []
    requests = request_types(api)

    def walk(res: Resource) -> None:
        methods = tuple(method_view(op, api.nested_style, requests) for op in res.operations)
        shadowed = {m.op.name for m in methods} & _BUILTIN_TYPES
        if shadowed:
            methods = tuple(_qualified(m, shadowed) for m in methods)
        # Every name the signatures, the page classes and the bodies' types read: what the
        # module imports.
        names = names_in(
            " ".join(
                [a.annotation for m in methods for a in m.args]
                + [t for m in methods for t in (m.returns, m.returns_async, *m.body_returns)]
                + [a.annotation for m in methods for o in m.overloads for a in o.args]
                + [t for m in methods for o in m.overloads for t in (o.returns, o.returns_async)]
                + [m.cast_to for m in methods]
                + [c for m in methods if m.page for c in m.page.runtime]
                + [m.page.definitions for m in methods if m.page]
            )
        )
        typing_names: list[str] = [n for n in ("Literal", "Optional", "Union") if n in names]
        typing_names += ["overload"] * any(m.overloads for m in methods)

        abc_names = tuple(n for n in ("Mapping", "Sequence") if n in names)
        if res.children or "params" in names or any(m.page and m.page.definitions for m in methods):
            typing_names.append("TYPE_CHECKING")
        out.append(
            ResourceView(
                resource=res,
                methods=methods,
                uses_files="FileTypes" in names,
                uses_stream=any(
                    m.op.response.kind == "sse" or m.op.stream_chunk is not None for m in methods
                ),
                uses_pages=_page_imports(methods),
                uses_part_encoding="PartEncoding("
                in " ".join(v for m in methods for _, v in m.request_kwargs),
                uses_binary=any(m.op.response.kind == "binary" for m in methods),
                uses_deprecated=any(m.op.deprecated for m in methods),
                uses_builtins="builtins" in names,  # an unused import fails pyright strict
                uses_models="models" in names,
                uses_params="params" in names,
                uses_param=any(key == "params" for m in methods for key, _ in m.request_kwargs),
                typing_imports=tuple(
                    sorted(
                        [
                            *typing_names,
                            *["cast"][: any(not m.page or m.page.definitions for m in methods)],
                        ]
                    )
                ),
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


def _page_imports(methods: tuple[MethodView, ...]) -> tuple[str, ...]:
    """`Paging` and the page classes the module's list methods return."""
    names: set[str] = set()
    for m in methods:
        if m.page is not None:
            cls = m.op.pagination.page_class if m.op.pagination else "Page"
            names |= {"Paging", "AsyncPaginator", f"Sync{cls}", f"Async{cls}"}
    return tuple(sorted(names))


def _qualified(m: MethodView, shadowed: set[str]) -> MethodView:
    """`m` with the builtin types its class shadows written `builtins.list` in its
    signature: a class with a `list` method makes `-> list[X]` in its body mean that
    method to a type checker. (Method bodies see the builtins; `cast_to` stays.)"""

    def q(text: str) -> str:
        return qualify(text, shadowed)

    def qualified_args(args: tuple[Arg, ...]) -> tuple[Arg, ...]:
        return tuple(replace(a, annotation=q(a.annotation)) for a in args)

    overloads = tuple(
        Overload(qualified_args(o.args), q(o.returns), q(o.returns_async)) for o in m.overloads
    )
    return replace(
        m,
        args=qualified_args(m.args),
        returns=q(m.returns),
        returns_async=q(m.returns_async),
        body_returns=(q(m.body_returns[0]), q(m.body_returns[1])),
        overloads=overloads,
    )


@dataclass(frozen=True)
class AuthView:
    """A security scheme as the client constructor sets it up."""

    name: str
    args: tuple[tuple[str, str], ...]
    expr: str
    auth_class: str
    callable_ok: bool = False
    """A bearer token or API key: the argument may be a function called per request."""
    required: bool = False
    """Every operation needs this scheme: constructing a client without it is an error."""

    def annotation(self, mode: str) -> str:
        """The constructor argument's type on the sync or async client."""
        if not self.callable_ok:
            return "str | None"
        if mode == "sync":
            return "str | Callable[[], str] | None"
        return "str | Callable[[], str | Awaitable[str]] | None"


def required_schemes(api: Api) -> frozenset[str]:
    """Schemes the API cannot be used without: those every alternative of the document's
    default security names (else of every operation's), when no operation may be called
    anonymously. An operation that names another scheme of its own (OpenAI's admin
    endpoints) does not make the default optional, as the official SDKs have it."""
    ops = [op for _, op in api.all_operations()]
    if not ops or any(not op.security or not all(op.security) for op in ops):
        return frozenset()
    alternatives = list(api.default_security) or [a for op in ops for a in op.security]
    if not alternatives:
        return frozenset()
    common = set(alternatives[0])
    for alternative in alternatives:
        common &= set(alternative)
    return frozenset(common)


def auth_views(api: Api) -> list[AuthView]:
    """Constructor arguments (with env fallbacks) and the runtime auth object per scheme."""
    out = []
    required = required_schemes(api)
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
            scopes = py_tuple([py_str(scope) for scope in s.scopes])
            call = (
                f"OAuth2ClientCredentials({py_str(s.token_url)}, {s.args[0]}, {s.args[1]}, "
                f"scopes={scopes})"
            )
        out.append(
            AuthView(
                s.name,
                tuple(zip(s.args, s.envs, strict=True)),
                f"{call} if {given} else None",
                cls,
                callable_ok=s.kind in ("bearer", "apiKey"),
                required=s.name in required,
            )
        )
    return out


@dataclass(frozen=True)
class WebhooksView:
    """The webhooks module: the event union's members and the `typing` names it needs."""

    members: tuple[str, ...]
    typing_imports: tuple[str, ...]


def webhooks_view(api: Api) -> WebhooksView | None:
    """The union `unwrap()` returns, one member per distinct payload type, in spec order."""
    if api.webhooks is None:
        return None
    members: list[str] = []
    for event in api.webhooks.events:
        text = annotation(event.type)
        if text not in members:
            members.append(text)
    joined = " ".join(members)
    names = {"cast"}
    if len(members) > 1:
        names.add("Union")
        if api.webhooks.discriminator:
            names.add("Annotated")
    names |= {n for n in ("Literal", "Optional", "Union") if n + "[" in joined}
    return WebhooksView(tuple(members), tuple(sorted(names)))
