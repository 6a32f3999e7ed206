"""Compare two generated API surfaces: what changed for the people who use the client.

It runs on the IR, not the spec text, because users never see the spec: they call
`client.videos.edit(prompt=...)` and read `models.Video.status`. Reformatting a spec must
not show up here; a new operationId that silently renames a method must.

One principle decides severity, the variance of inputs and outputs: what users send
(arguments, models they construct) may only accept *more*, what they read (return types,
response models) may only promise *more*. Concretely:

* removing anything (method, argument, model, field, enum value) is breaking;
* a new required argument or request field, or one becoming required, is breaking; a
  response field becoming optional (so it may be missing) is breaking;
* a request type change is non-breaking only if it widens: the new type accepts every
  value the old one did (`Any`, a union containing the old type, more enum values,
  `int` → `float`, a dropped string format); any response type change is breaking;
* new enum values are non-breaking, with a note where users read them (an exhaustive
  `match` may need a branch);
* a method that keeps its Python name but calls another HTTP method or path is
  non-breaking (same call, same result) but reported, as is a new base URL.

Generated methods take keyword-only arguments, so argument order never matters. The body
models a method flattens into keyword arguments are diffed once, as the arguments.
Everything here is a pure function of two `Api`s; the CLI does the printing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Literal

from generator.apimodel.ir import Api, Model, Operation, Parameter, TypeRef

Severity = Literal["breaking", "non-breaking"]
Bump = Literal["major", "minor", "patch", "none"]
Role = Literal["request", "response"]
B: Severity = "breaking"
N: Severity = "non-breaking"

# Non-breaking kinds that change no Python signature or type: they alone suggest a patch.
PATCH_KINDS = frozenset({"method-endpoint-changed", "parameter-moved", "base-url-changed"})


@dataclass(frozen=True)
class Change:
    """One observable difference, located where users meet it in their code."""

    kind: str
    severity: Severity
    location: str
    message: str

    def as_json(self) -> dict[str, str]:
        """A plain dict with stable keys."""
        return asdict(self)


@dataclass(frozen=True)
class ApiDiff:
    """Every change between two versions, sorted: breaking first, then by location."""

    old_version: str
    new_version: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The breaking changes (empty, hence falsy, when there are none)."""
        return tuple(c for c in self.changes if c.severity == "breaking")

    @property
    def non_breaking(self) -> tuple[Change, ...]:
        """Everything else: additions, relaxations and notes."""
        return tuple(c for c in self.changes if c.severity == "non-breaking")

    @property
    def suggested_bump(self) -> Bump:
        """Semantic-versioning advice: major for breaks, minor for additions, patch otherwise."""
        if self.breaking:
            return "major"
        if any(c.kind not in PATCH_KINDS for c in self.changes):
            return "minor"
        return "patch" if self.changes else "none"


def _sev(breaking: bool) -> Severity:
    return B if breaking else N


def diff_apis(old: Api, new: Api) -> ApiDiff:
    """Compare the client surfaces of two IRs built with the same config."""
    changes = {*_client(old, new), *_methods(old, new), *_models(old, new)}
    order = sorted(changes, key=lambda c: (c.severity == N, c.location, c.kind, c.message))
    return ApiDiff(old.version, new.version, tuple(order))


def _envs(api: Api) -> dict[str, str]:
    """Client constructor argument → the environment variable it falls back to."""
    out = {"base_url": api.base_url_env}
    for scheme in api.security_schemes:
        out.update(zip(scheme.args, scheme.envs, strict=False))
    return out


def _client(old: Api, new: Api) -> Iterator[Change]:
    for kind, where, a, b in (
        ("package-renamed", "package", old.package, new.package),
        ("client-renamed", "client", old.client_name, new.client_name),
    ):
        if a != b:
            yield Change(kind, B, where, f"renamed to {b} (was {a})")
    if old.base_url != new.base_url:
        yield Change(
            "base-url-changed",
            N,
            "client",
            f"default base URL is now {new.base_url} (was {old.base_url})",
        )
    before, after = _envs(old), _envs(new)
    for arg in sorted(before.keys() - after.keys()):
        yield Change("parameter-removed", B, f"client({arg})", "client argument removed")
    for arg in sorted(after.keys() - before.keys()):
        yield Change("parameter-added", N, f"client({arg})", f"new client argument (${after[arg]})")
    for arg in sorted(before.keys() & after.keys()):
        if before[arg] != after[arg]:
            # A deployment that sets the old variable silently stops configuring the client.
            yield Change(
                "env-var-changed",
                B,
                f"client({arg})",
                f"read from ${after[arg]} (was ${before[arg]})",
            )


def _operations(api: Api) -> dict[str, Operation]:
    return {".".join([*(r.name for r in trail), op.name]): op for trail, op in api.all_operations()}


def _endpoint(op: Operation) -> str:
    return f"{op.http_method.upper()} {op.path}"


def _methods(old: Api, new: Api) -> Iterator[Change]:
    before, after = _operations(old), _operations(new)
    by_endpoint = {_endpoint(op): name for name, op in after.items()}
    for name in sorted(before.keys() - after.keys()):
        moved = by_endpoint.get(_endpoint(before[name]))
        hint = f"; {_endpoint(before[name])} is now client.{moved}()" if moved else ""
        yield Change("method-removed", B, f"client.{name}()", f"method removed{hint}")
    for name in sorted(after.keys() - before.keys()):
        message = f"new method ({_endpoint(after[name])})"
        yield Change("method-added", N, f"client.{name}()", message)
    for name in sorted(before.keys() & after.keys()):
        yield from _method(f"client.{name}", before[name], after[name])


def _method(where: str, old: Operation, new: Operation) -> Iterator[Change]:
    call = where + "()"
    if _endpoint(old) != _endpoint(new):
        message = f"now calls {_endpoint(new)} (was {_endpoint(old)})"
        yield Change("method-endpoint-changed", N, call, message)
    if new.deprecated and not old.deprecated:
        yield Change("method-deprecated", N, call, "method is now deprecated")
    if old.response.kind != new.response.kind or not same(old.response.type, new.response.type):
        yield Change("response-changed", B, call, f"returns {_returns(new)} (was {_returns(old)})")
    before = {p.name: p for p in old.parameters}
    after = {p.name: p for p in new.parameters}
    for name in sorted(before.keys() - after.keys()):
        yield Change("parameter-removed", B, f"{where}({name})", "argument removed")
    for name in sorted(after.keys() - before.keys()):
        p = after[name]
        state = "required" if p.required else "optional"
        message = f"new {state} argument of type {show(p.type)}"
        yield Change("parameter-added", _sev(p.required), f"{where}({name})", message)
    for name in sorted(before.keys() & after.keys()):
        yield from _parameter(f"{where}({name})", before[name], after[name])


def _returns(op: Operation) -> str:
    prefix = {"sse": "a stream of ", "binary": "binary ", "text": "text "}
    return prefix.get(op.response.kind, "") + show(op.response.type)


def _parameter(where: str, old: Parameter, new: Parameter) -> Iterator[Change]:
    if old.required != new.required:
        state = "required" if new.required else "optional"
        yield Change(f"parameter-{state}", _sev(new.required), where, f"argument is now {state}")
    if (old.location, old.wire_name) != (new.location, new.wire_name):
        message = f"sent as {new.location} {new.wire_name!r} (was {old.location} {old.wire_name!r})"
        yield Change("parameter-moved", N, where, message)
    yield from _type_change("parameter-type-changed", where, old.type, new.type, {"request"})


def show(t: TypeRef) -> str:
    """A type as a reader of the generated code would write it (a format as `str<uuid>`)."""
    if t.kind in ("model", "alias"):
        return t.name
    if t.kind == "list":
        return f"list[{show(t.items[0])}]"
    if t.kind == "map":
        return f"dict[str, {show(t.items[0])}]"
    if t.kind == "union":
        return " | ".join(show(m) for m in t.items)
    if t.kind == "literal":
        return "Literal[" + ", ".join(repr(v) for v in t.values) + "]"
    names = {"none": "None", "any": "Any", "file": "FileTypes"}
    return names.get(t.kind, t.kind) + (f"<{t.fmt}>" if t.fmt and t.kind != "file" else "")


def same(a: TypeRef, b: TypeRef) -> bool:
    """Equal up to the order of union members and enum values (which users cannot observe)."""
    return _canonical(a) == _canonical(b)


def _canonical(t: TypeRef) -> TypeRef:
    items = tuple(_canonical(i) for i in t.items)
    items = tuple(sorted(items, key=repr)) if t.kind == "union" else items
    values = tuple(sorted(t.values, key=lambda v: (type(v).__name__, repr(v))))
    return TypeRef(t.kind, t.name, items, values, t.fmt)


def accepts(new: TypeRef, old: TypeRef) -> bool:
    """True when every value of `old` is also a value of `new` (a widening)."""
    if new == old or new.kind == "any":
        return True
    if old.kind == "union":
        return all(accepts(new, m) for m in old.items)
    if new.kind == "union":
        return any(accepts(m, old) for m in new.items)
    if old.kind == "literal":
        if new.kind == "literal":
            return _keys(old.values) <= _keys(new.values)
        py: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float)}
        ok = py.get(new.kind, (bool,) if new.kind == "bool" else ())
        return bool(ok) and all(isinstance(v, ok) for v in old.values)
    if old.kind == new.kind in ("list", "map"):
        return accepts(new.items[0], old.items[0])
    if old.kind == "int" and new.kind == "float":
        return True
    return old.kind == new.kind and old.name == new.name and bool(old.fmt) and not new.fmt


_Value = str | int | float | bool | None


def _keys(values: Iterable[_Value]) -> set[tuple[str, str]]:
    """Enum values as hashable keys that keep `1`, `1.0` and `True` apart."""
    return {(type(v).__name__, repr(v)) for v in values}


def _literal_split(t: TypeRef) -> tuple[tuple[_Value, ...], TypeRef] | None:
    """(enum values, union of the other members) when `t` is an enum, maybe open or nullable."""
    literals = [t] if t.kind == "literal" else [m for m in t.items if m.kind == "literal"]
    if t.kind not in ("literal", "union") or not literals:
        return None
    rest = tuple(m for m in t.items if m.kind != "literal") if t.kind == "union" else ()
    return tuple(v for m in literals for v in m.values), TypeRef("union", items=rest)


def _type_change(
    kind: str, where: str, old: TypeRef, new: TypeRef, roles: set[Role]
) -> Iterator[Change]:
    """Enum value changes when only the values differ, else one type change, by role."""
    if same(old, new):
        return
    old_enum, new_enum = _literal_split(old), _literal_split(new)
    if old_enum and new_enum and same(old_enum[1], new_enum[1]):
        # An open enum (`str` among the members) still accepts a value it stops listing.
        still = any(m.kind == "str" for m in new_enum[1].items)
        yield from _enum_change(where, old_enum[0], new_enum[0], roles, still)
        return
    if roles == {"request"} and accepts(new, old):
        yield Change(kind, N, where, f"type widened to {show(new)} (was {show(old)})")
        return
    detail = f"type changed to {show(new)} (was {show(old)})"
    if show(old) == show(new):
        detail = f"format changed to {new.fmt or 'none'} (was {old.fmt or 'none'})"
    yield Change(kind, B, where, detail)


def _enum_change(
    where: str, old: tuple[_Value, ...], new: tuple[_Value, ...], roles: set[Role], still: bool
) -> Iterator[Change]:
    before, after = _keys(old), _keys(new)
    note = "; code reading it may meet a value it does not handle" if "response" in roles else ""
    for v in old:
        if (type(v).__name__, repr(v)) not in after:
            message = f"enum value {v!r} " + ("no longer listed" if still else "removed")
            yield Change("enum-value-removed", _sev(not still), where, message)
    for v in new:
        if (type(v).__name__, repr(v)) not in before:
            yield Change("enum-value-added", N, where, f"enum value {v!r} added{note}")


def _roles(api: Api) -> dict[str, set[Role]]:
    """Which models users send (reachable from arguments) and read (from return types)."""
    models = {m.name: m for m in api.models}
    roles: dict[str, set[Role]] = {}

    def visit(t: TypeRef, role: Role) -> None:
        if t.kind in ("model", "alias") and role not in roles.setdefault(t.name, set()):
            roles[t.name].add(role)
            model = models.get(t.name)
            for f in model.fields if model else ():
                visit(f.type, role)
            if model and model.alias_of:
                visit(model.alias_of, role)
        for item in t.items:
            visit(item, role)

    for _, op in api.all_operations():
        for p in op.parameters:
            visit(p.type, "request")
        visit(op.response.type, "response")
    return {k: v for k, v in roles.items() if v}


def _flattened_bodies(api: Api, reachable: set[str]) -> set[str]:
    """Unreferenced models whose fields some method takes as its keyword arguments."""
    bodies = [
        {p.wire_name for p in op.parameters if p.location == "body"}
        for _, op in api.all_operations()
        if op.body and op.body.flattened
    ]
    out: set[str] = set()
    for m in api.models:
        wires = {f.wire_name for f in m.fields if not f.read_only}
        if m.name not in reachable and wires and any(wires <= b for b in bodies):
            out.add(m.name)
    return out


def _models(old: Api, new: Api) -> Iterator[Change]:
    before = {m.name: m for m in old.models}
    after = {m.name: m for m in new.models}
    for name in sorted(before.keys() - after.keys()):
        yield Change("model-removed", B, f"models.{name}", "model removed")
    for name in sorted(after.keys() - before.keys()):
        yield Change("model-added", N, f"models.{name}", "new model")
    old_roles, new_roles = _roles(old), _roles(new)
    skip = _flattened_bodies(old, set(old_roles)) | _flattened_bodies(new, set(new_roles))
    for name in sorted(before.keys() & after.keys()):
        roles = old_roles.get(name, set()) | new_roles.get(name, set())
        # Unreferenced models can only be built by hand, so they follow the request rules.
        yield from _model(before[name], after[name], roles or {"request"}, name in skip)


def _model(old: Model, new: Model, roles: set[Role], flattened: bool) -> Iterator[Change]:
    where = f"models.{old.name}"
    if old.kind != new.kind:
        was, now = ("a class" if m.kind == "object" else "a type alias" for m in (old, new))
        yield Change("model-kind-changed", B, where, f"is now {now} (was {was})")
        return
    if old.alias_of and new.alias_of:
        yield from _type_change("model-type-changed", where, old.alias_of, new.alias_of, roles)
    if flattened:
        return
    sends, reads = "request" in roles, "response" in roles
    before = {f.name: f for f in old.fields}
    after = {f.name: f for f in new.fields}
    for name in sorted(before.keys() - after.keys()):
        yield Change("field-removed", B, f"{where}.{name}", "field removed")
    for name in sorted(after.keys() - before.keys()):
        f = after[name]
        message = f"new {'required' if f.required else 'optional'} field of type {show(f.type)}"
        yield Change("field-added", _sev(f.required and sends), f"{where}.{name}", message)
    for name in sorted(before.keys() & after.keys()):
        a, b = before[name], after[name]
        if a.required != b.required:
            # Required breaks senders (must now pass it); optional breaks readers (may be None).
            state = "required" if b.required else "optional"
            severity = _sev(sends if b.required else reads)
            yield Change(f"field-{state}", severity, f"{where}.{name}", f"field is now {state}")
        yield from _type_change("field-type-changed", f"{where}.{name}", a.type, b.type, roles)


def as_text(d: ApiDiff) -> str:
    """Plain lines for a terminal: one change per line, then the suggested bump."""
    if not d.changes:
        return f"No changes to the client surface ({d.old_version} -> {d.new_version}).\n"
    lines = [f"{c.severity.upper():12} {c.kind:24} {c.location}: {c.message}" for c in d.changes]
    counts = f"{len(d.breaking)} breaking, {len(d.non_breaking)} other"
    lines.append(f"{counts}; suggested bump: {d.suggested_bump}")
    return "\n".join(lines) + "\n"


def as_json(d: ApiDiff) -> str:
    """A JSON document with stable, sorted keys for CI tools."""
    doc = {
        "old_version": d.old_version,
        "new_version": d.new_version,
        "breaking": len(d.breaking),
        "suggested_bump": d.suggested_bump,
        "changes": [c.as_json() for c in d.changes],
    }
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def as_markdown(d: ApiDiff) -> str:
    """A section fit for a changelog or a pull-request comment."""
    out = [f"## API changes ({d.old_version} → {d.new_version})", ""]
    if not d.changes:
        return "\n".join([*out, "No changes to the client surface.", ""])
    out += [f"Suggested version bump: **{d.suggested_bump}**", ""]
    for title, group in (("Breaking changes", d.breaking), ("Other changes", d.non_breaking)):
        out += [f"### {title}", ""]
        out += [f"- `{c.location}`: {c.message} ({c.kind})" for c in group] or ["None."]
        out.append("")
    return "\n".join(out)
