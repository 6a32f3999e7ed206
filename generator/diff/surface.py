"""The client surface compared: the package, the client's arguments and every method.

Methods are matched by operation: the same HTTP method and path, else the same
operationId, and what is left by accessor (`client.beta.threads.create`), which keeps a
method whose path and operationId both changed. An operation under a new accessor is
reported as `method-renamed` (breaking: calls of the old name fail, or reach another
operation now holding that name) instead of a removal plus an addition, and then compared
like any other pair. When every method under a resource moved to another
resource under the same names (`client.threads` → `client.beta.threads`, `client.batch`
→ `client.batches`), that is one `resource-renamed` instead of a rename per method.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator

from sdkforge.apimodel.frozen import py_repr
from sdkforge.apimodel.ir import Api, Operation, Parameter
from sdkforge.diff.changes import B, Change, N, severity
from sdkforge.diff.types import narrows, same, seen, show, type_change


def _envs(api: Api) -> dict[str, str]:
    """Client constructor argument → the environment variable it falls back to."""
    out = {"base_url": api.base_url_env}
    for scheme in api.security_schemes:
        out.update(zip(scheme.args, scheme.envs, strict=False))
    return out


def compare_client(old: Api, new: Api) -> Iterator[Change]:
    """The package and client names, the default base URL and the client's arguments."""
    for kind, where, a, b in (
        ("package-renamed", "package", old.package, new.package),
        ("client-renamed", "client", old.client_name, new.client_name),
    ):
        if a != b:
            yield Change(kind, B, where, f"renamed to {b} (was {a})")
    if old.base_url != new.base_url:
        message = f"default base URL is now {new.base_url} (was {old.base_url})"
        yield Change("base-url-changed", N, "client", message)
    before, after = _envs(old), _envs(new)
    for arg in sorted(before.keys() - after.keys()):
        yield Change("parameter-removed", B, f"client({arg})", "client argument removed")
    for arg in sorted(after.keys() - before.keys()):
        yield Change("parameter-added", N, f"client({arg})", f"new client argument (${after[arg]})")
    for arg in sorted(before.keys() & after.keys()):
        if before[arg] != after[arg]:
            # A deployment that sets the old variable silently stops configuring the client.
            message = f"read from ${after[arg]} (was ${before[arg]})"
            yield Change("env-var-changed", B, f"client({arg})", message)


def _operations(api: Api) -> dict[str, Operation]:
    return {".".join([*(r.name for r in trail), op.name]): op for trail, op in api.all_operations()}


def _endpoint(op: Operation) -> str:
    return f"{op.http_method.upper()} {op.path}"


def compare_methods(old: Api, new: Api) -> Iterator[Change]:
    """Methods removed, added, renamed or moved, and what changed in each kept one."""
    before, after = _operations(old), _operations(new)
    pairs = _pairs(before, after)
    for name in sorted(before.keys() - {a for a, _ in pairs}):
        yield Change("method-removed", B, f"client.{name}()", "method removed")
    for name in sorted(after.keys() - {b for _, b in pairs}):
        message = f"new method ({_endpoint(after[name])})"
        yield Change("method-added", N, f"client.{name}()", message)
    yield from _renames([(a, b) for a, b in pairs if a != b], before)
    for a, b in pairs:
        yield from _method(f"client.{b}", before[a], after[b])


def _pairs(before: dict[str, Operation], after: dict[str, Operation]) -> list[tuple[str, str]]:
    """(old accessor, new accessor) of each method on both sides: the same operation (the
    same HTTP method and path, else the same operationId), else the same accessor."""
    identities: list[Callable[[str, Operation], str]] = [
        lambda _, op: _endpoint(op),
        lambda _, op: op.operation_id,
        lambda name, _: name,
    ]
    gone, added = dict(before), dict(after)
    pairs: list[tuple[str, str]] = []
    for identity in identities:
        index: dict[str, str] = {}
        for name in sorted(added):
            index.setdefault(identity(name, added[name]), name)
        for name in sorted(gone):
            key = identity(name, gone[name])
            match = index.get(key) if key else None
            if match is not None and match in added:
                pairs.append((name, match))
                del added[match]
        for name, _ in pairs:
            gone.pop(name, None)
    return sorted(pairs)


def _split(accessor: str) -> tuple[str, str]:
    trail, _, method = accessor.rpartition(".")
    return trail, method


def _roots(old_trail: str, new_trail: str) -> list[tuple[str, str]]:
    """The resource moves that could explain a trail change, widest first:
    `threads.runs` → `beta.threads.runs` is `threads` → `beta.threads` (common trailing
    resources dropped, one always kept) or `threads.runs` → `beta.threads.runs` itself."""
    a, b = old_trail.split("."), new_trail.split(".")
    out = [(old_trail, new_trail)]
    while len(a) > 1 and len(b) > 1 and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
        out.append((".".join(a), ".".join(b)))
    return out[::-1]


def _renames(pairs: Iterable[tuple[str, str]], before: dict[str, Operation]) -> Iterator[Change]:
    """One `resource-renamed` for the widest resource whose every method moved with it
    under the same names, else one `method-renamed` per method."""
    moved = {
        a: b for a, b in pairs if _split(a)[1] == _split(b)[1] and _split(a)[0] != _split(b)[0]
    }

    @functools.cache
    def whole(old_root: str, new_root: str) -> bool:
        under = [name for name in before if name.startswith(old_root + ".")]
        return all(moved.get(name) == new_root + name[len(old_root) :] for name in under)

    groups: dict[tuple[str, str], int] = {}
    singles: list[tuple[str, str]] = []
    for a, b in pairs:
        roots = _roots(_split(a)[0], _split(b)[0]) if a in moved else []
        root = next((r for r in roots if whole(*r)), None)
        if root is not None:
            groups[root] = groups.get(root, 0) + 1
        else:
            singles.append((a, b))
    for (old_root, new_root), count in sorted(groups.items()):
        verb = "moved" if _split(old_root)[1] == _split(new_root)[1] else "renamed"
        message = f"{verb} to client.{new_root} (its {count} methods keep their names)"
        yield Change("resource-renamed", B, f"client.{old_root}", message)
    for a, b in sorted(singles):
        message = f"renamed to client.{b}() (same operation: {_endpoint(before[a])})"
        yield Change("method-renamed", B, f"client.{a}()", message)


def _method(where: str, old: Operation, new: Operation) -> Iterator[Change]:
    call = where + "()"
    if _endpoint(old) != _endpoint(new):
        message = f"now calls {_endpoint(new)} (was {_endpoint(old)})"
        yield Change("method-endpoint-changed", N, call, message)
    if new.deprecated and not old.deprecated:
        yield Change("method-deprecated", N, call, "method is now deprecated")
    yield from _response(call, old, new)
    yield from _positions(where, old, new)
    before = {p.name: p for p in old.parameters}
    after = {p.name: p for p in new.parameters}
    gone = {(p.location, p.wire_name): p.name for p in old.parameters if p.name not in after}
    renamed = {
        gone[(p.location, p.wire_name)]: p.name
        for p in new.parameters
        if p.name not in before and (p.location, p.wire_name) in gone
    }
    for a, b in sorted(renamed.items()):
        same_key = f"{before[a].location} {py_repr(before[a].wire_name)}"
        message = f"argument renamed to {b} (same {same_key})"
        yield Change("parameter-renamed", B, f"{where}({a})", message)
        yield from _parameter(f"{where}({b})", before[a], after[b])
    for name in sorted(before.keys() - after.keys() - renamed.keys()):
        yield Change("parameter-removed", B, f"{where}({name})", "argument removed")
    for name in sorted(after.keys() - before.keys() - set(renamed.values())):
        p = after[name]
        state = "required" if p.required else "optional"
        message = f"new {state} argument of type {show(p.type)}"
        yield Change("parameter-added", severity(p.required), f"{where}({name})", message)
    for name in sorted(before.keys() & after.keys()):
        if before[name] != after[name]:
            yield from _parameter(f"{where}({name})", before[name], after[name])


def _positional(op: Operation) -> dict[str, int]:
    """Argument name → its position, for the arguments a call may pass positionally (the
    path's, in path order: `Operation.positional` many; an IR without it has none)."""
    count = int(getattr(op, "positional", 0))
    return {p.name: i + 1 for i, p in enumerate(op.parameters[:count])}


def _positions(where: str, old: Operation, new: Operation) -> Iterator[Change]:
    """A positional argument that moves or becomes keyword-only breaks positional calls,
    silently when the ids it swaps share a type; keyword calls never notice."""
    before, after = _positional(old), _positional(new)
    kept = {p.name for p in new.parameters}
    for name, was in sorted(before.items()):
        now = after.get(name)
        if name in kept and now != was:
            place = f"positional argument {now}" if now else "keyword-only"
            message = f"now {place} (was positional argument {was})"
            yield Change("parameter-position-changed", B, f"{where}({name})", message)
    for name, now in sorted(after.items()):
        if name not in before and name in {p.name for p in old.parameters}:
            message = f"may now be passed as positional argument {now}"
            yield Change("parameter-position-changed", N, f"{where}({name})", message)


def _returns(op: Operation) -> str:
    prefix = {"sse": "a stream of ", "binary": "binary ", "text": "text "}
    return prefix.get(op.response.kind, "") + show(op.response.type)


def _response(call: str, old: Operation, new: Operation) -> Iterator[Change]:
    """What a call returns may narrow. A method that returned None may start returning
    JSON or text: no caller could use the None (type checkers forbid it)."""
    a, b = old.response, new.response
    if a.kind == b.kind and same(a.type, b.type):
        return
    message = f"returns {_returns(new)} (was {_returns(old)})"
    if a.kind == b.kind and seen(a.type, False) == seen(b.type, False):
        yield Change("spec-type-changed", N, call, message + "; the Python type is unchanged")
    elif a.kind == "empty" and b.kind in ("json", "text"):
        yield Change("response-changed", N, call, message)
    else:
        narrower = a.kind == b.kind and narrows(seen(b.type, False), seen(a.type, False))
        yield Change("response-changed", severity(not narrower), call, message)


def _parameter(where: str, old: Parameter, new: Parameter) -> Iterator[Change]:
    if old.required != new.required:
        state = "required" if new.required else "optional"
        yield Change(
            f"parameter-{state}", severity(new.required), where, f"argument is now {state}"
        )
    if (old.location, old.wire_name) != (new.location, new.wire_name):
        now, was = (f"{p.location} {py_repr(p.wire_name)}" for p in (new, old))
        message = f"sent as {now} (was {was})"
        yield Change("parameter-moved", N, where, message)
    kind = "parameter-type-changed"
    yield from type_change(kind, where, old.type, new.type, {"request"}, in_model=False)
