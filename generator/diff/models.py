"""The `models` package compared: which models users send or read, and what changed in each.

A model's role decides what may change: reachable from an argument, users build and send
it; reachable from a return type, they read it; both, and it may only change in ways both
tolerate. A model no operation reaches (a webhook payload, say) may be built by users or
parsed by them, so it gets both roles. Body models whose fields a method takes as keyword
arguments are compared once, as those arguments (see `surface`).
"""

from __future__ import annotations

from collections.abc import Iterator

from sdkforge.apimodel.frozen import py_repr
from sdkforge.apimodel.ir import Api, Field, Model, TypeRef
from sdkforge.diff.changes import B, Change, N, severity
from sdkforge.diff.types import Role, Roles, narrows, optional, seen, show, type_change

BOTH: Roles = frozenset({"request", "response"})


def roles(api: Api) -> dict[str, set[Role]]:
    """Which models users send (reachable from arguments) and read (from return types)."""
    models = {m.name: m for m in api.models}
    out: dict[str, set[Role]] = {}

    def visit(t: TypeRef, role: Role) -> None:
        if t.kind in ("model", "alias") and role not in out.setdefault(t.name, set()):
            out[t.name].add(role)
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
    return {k: v for k, v in out.items() if v}


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


def compare_models(old: Api, new: Api) -> Iterator[Change]:
    """Models removed, added and changed, each change judged by the model's roles."""
    before = {m.name: m for m in old.models}
    after = {m.name: m for m in new.models}
    for name in sorted(before.keys() - after.keys()):
        yield Change("model-removed", B, f"models.{name}", "model removed")
    for name in sorted(after.keys() - before.keys()):
        yield Change("model-added", N, f"models.{name}", "new model")
    old_roles, new_roles = roles(old), roles(new)
    skip = _flattened_bodies(old, set(old_roles)) | _flattened_bodies(new, set(new_roles))
    for name in sorted(before.keys() & after.keys()):
        used = old_roles.get(name, set()) | new_roles.get(name, set())
        yield from _model(before[name], after[name], used or BOTH, name in skip)


def _model(old: Model, new: Model, used: Roles, flattened: bool) -> Iterator[Change]:
    where = f"models.{old.name}"
    if old.kind != new.kind:
        was, now = ("a class" if m.kind == "object" else "a type alias" for m in (old, new))
        yield Change("model-kind-changed", B, where, f"is now {now} (was {was})")
        return
    if old.alias_of and new.alias_of:
        kind = "model-type-changed"
        yield from type_change(kind, where, old.alias_of, new.alias_of, used, in_model=True)
    if flattened:
        return
    # Write-only fields are not in the generated class: users never see them there.
    before = {f.name: f for f in old.fields if not f.write_only}
    after = {f.name: f for f in new.fields if not f.write_only}
    renamed = _renamed_fields(before, after)
    for old_name, new_name in renamed:
        message = f"renamed to {new_name} (same JSON key {py_repr(after[new_name].wire_name)})"
        yield Change("field-renamed", B, f"{where}.{old_name}", message)
        yield from _field(f"{where}.{new_name}", before[old_name], after[new_name], used)
    sends = "request" in used
    for name in sorted(before.keys() - after.keys() - {o for o, _ in renamed}):
        yield Change("field-removed", B, f"{where}.{name}", "field removed")
    for name in sorted(after.keys() - before.keys() - {n for _, n in renamed}):
        f = after[name]
        message = f"new {'required' if f.required else 'optional'} field of type {show(f.type)}"
        yield Change("field-added", severity(f.required and sends), f"{where}.{name}", message)
    for name in sorted(before.keys() & after.keys()):
        if before[name] != after[name]:
            yield from _field(f"{where}.{name}", before[name], after[name], used)


def _renamed_fields(before: dict[str, Field], after: dict[str, Field]) -> list[tuple[str, str]]:
    """(old name, new name) of fields that kept their JSON key under a new Python name."""
    gone = {f.wire_name: name for name, f in before.items() if name not in after}
    return sorted(
        (gone[f.wire_name], name)
        for name, f in after.items()
        if name not in before and f.wire_name in gone
    )


def _field(where: str, a: Field, b: Field, used: Roles) -> Iterator[Change]:
    """A field present on both sides. Readers see `type | None` when it is not required,
    so nullability and requiredness are judged together for them; senders must pass a
    required field and may pass any value of its type."""
    if a.required != b.required:
        state = "required" if b.required else "optional"
        if b.required:
            breaking = "request" in used  # senders must now pass it
        else:  # readers may now get None, unless the type already allowed it
            now = optional(seen(b.type, True))
            breaking = "response" in used and not narrows(now, seen(b.type, True))
        yield Change(f"field-{state}", severity(breaking), where, f"field is now {state}")
    kind = "field-type-changed"
    yield from type_change(
        kind, where, a.type, b.type, used, in_model=True, may_be_missing=not a.required
    )
