"""Types as users see them, and whether a change of one breaks them.

The IR keeps the spec's annotation (`int<int64>`, `str<uuid>`). Users see the annotation
the generator writes, which keeps a format only where it changes the Python type: a model
field's `str<uuid>` is `UUID` and its `str<date-time>` an `AwareDatetime` (datamodel-code-
generator keeps the formats `codegen.models.type_schema` passes it), while a method's
`str<uuid>` argument or return value is a `str`, and `int<int64>` is `int` everywhere.
`seen` gives that type. `accepts` (a widening: every old value is still a value) and
`narrows` (every new value was already one) compare two of them, and `type_change` turns
a change into `Change`s by role: what users send may widen, what they read may narrow,
and a type on both sides may do neither.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Set
from typing import Literal

from sdkforge.apimodel.frozen import py_repr
from sdkforge.apimodel.ir import TypeRef
from sdkforge.codegen.models import type_schema
from sdkforge.diff.changes import Change, N, severity

Role = Literal["request", "response"]
Roles = Set[Role]
Value = str | int | float | bool | None


def show(t: TypeRef) -> str:
    """A type as the spec annotates it (a format as `str<uuid>`), for messages."""
    if t.kind in ("model", "alias"):
        return t.name
    if t.kind == "list":
        return f"list[{show(t.items[0])}]"
    if t.kind == "map":
        return f"dict[str, {show(t.items[0])}]"
    if t.kind == "union":
        return " | ".join(show(m) for m in t.items)
    if t.kind == "literal":
        return "Literal[" + ", ".join(_repr(v) for v in t.values) + "]"
    names = {"none": "None", "any": "Any", "file": "FileTypes"}
    return names.get(t.kind, t.kind) + (f"<{t.fmt}>" if t.fmt and t.kind != "file" else "")


def _repr(v: Value) -> str:
    return py_repr(v) if isinstance(v, str) else repr(v)


def same(a: TypeRef, b: TypeRef) -> bool:
    """Equal as the spec says, up to the order of union members and enum values."""
    return _canonical(a) == _canonical(b)


@functools.cache
def _canonical(t: TypeRef) -> TypeRef:
    items = tuple(_canonical(i) for i in t.items)
    items = tuple(sorted(items, key=repr)) if t.kind == "union" else items
    values = tuple(sorted(t.values, key=_key))
    return TypeRef(t.kind, t.name, items, values, t.fmt)


def _key(v: Value) -> tuple[str, str]:
    """An enum value as a hashable, sortable key that keeps `1`, `1.0` and `True` apart."""
    return type(v).__name__, repr(v)


@functools.cache
def _format_visible(kind: str, fmt: str) -> bool:
    """Whether a model field of this kind and format gets its own Python type."""
    return bool(fmt) and kind == "str" and "format" in type_schema(TypeRef("str", fmt=fmt))


@functools.cache
def seen(t: TypeRef, in_model: bool) -> TypeRef:
    """`t` as the Python annotation users see: in a model (`in_model`) or in a method
    signature. Unions are flat, ordered and without repeats."""
    items = tuple(seen(i, in_model) for i in t.items)
    if t.kind == "union":
        flat: list[TypeRef] = []
        for member in items:
            flat += [m for m in (member.items if member.kind == "union" else (member,))]
        unique = sorted(set(flat), key=repr)
        return unique[0] if len(unique) == 1 else TypeRef("union", items=tuple(unique))
    fmt = t.fmt if in_model and _format_visible(t.kind, t.fmt) else ""
    return TypeRef(t.kind, t.name, items, tuple(sorted(t.values, key=_key)), fmt)


def optional(t: TypeRef) -> TypeRef:
    """`t | None`, flat: what readers get from a field that may be missing."""
    return seen(TypeRef("union", items=(t, TypeRef("none"))), False)


def accepts(new: TypeRef, old: TypeRef, *, reading: bool = False) -> bool:
    """True when every value of `old` is also a value of `new` (a widening of `old`).

    `reading`: the values are read back, so `Any` (raw JSON) no longer accepts a model or
    alias, which the client returns as an object rather than the JSON it came from.
    """
    if new == old:
        return True
    if new.kind == "any":
        return not (reading and _has_objects(old))
    if old.kind == "union":
        return all(accepts(new, m, reading=reading) for m in old.items)
    if new.kind == "union":
        return any(accepts(m, old, reading=reading) for m in new.items)
    if old.kind == "literal":
        if new.kind == "literal":
            return {_key(v) for v in old.values} <= {_key(v) for v in new.values}
        py: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float)}
        ok = py.get(new.kind, (bool,) if new.kind == "bool" else ())
        return bool(ok) and all(isinstance(v, ok) for v in old.values)
    if old.kind == new.kind in ("list", "map"):
        return accepts(new.items[0], old.items[0], reading=reading)
    return old.kind == "int" and new.kind == "float"


def narrows(new: TypeRef, old: TypeRef) -> bool:
    """True when every value readers get from `new` is one `old` could give them."""
    return accepts(old, new, reading=True)


def _has_objects(t: TypeRef) -> bool:
    return t.kind in ("model", "alias") or any(_has_objects(i) for i in t.items)


def _enum(t: TypeRef) -> tuple[tuple[Value, ...], TypeRef] | None:
    """(enum values, union of the other members) when `t` is an enum, maybe open or nullable."""
    literals = [t] if t.kind == "literal" else [m for m in t.items if m.kind == "literal"]
    if t.kind not in ("literal", "union") or not literals:
        return None
    rest = tuple(m for m in t.items if m.kind != "literal") if t.kind == "union" else ()
    return tuple(v for m in literals for v in m.values), TypeRef("union", items=rest)


def type_change(
    kind: str,
    where: str,
    old: TypeRef,
    new: TypeRef,
    roles: Roles,
    *,
    in_model: bool,
    may_be_missing: bool = False,
) -> Iterator[Change]:
    """The change from `old` to `new` for users who send it and/or read it (`roles`).

    Enum values are reported one by one when only they changed. `may_be_missing`: a
    model field that is not required, annotated `type | None` on both sides, so making
    the type nullable (or no longer nullable) changes nothing users see.
    """
    if same(old, new):
        return
    a, b = seen(old, in_model), seen(new, in_model)
    if may_be_missing:
        a, b = optional(a), optional(b)
    if a == b:
        message = f"now {show(new)} (was {show(old)}); the Python type is unchanged"
        yield Change("spec-type-changed", N, where, message)
        return
    old_enum, new_enum = _enum(a), _enum(b)
    if old_enum and new_enum and old_enum[1] == new_enum[1]:
        # An open enum (`str` among the members) still accepts a value it stops listing.
        still = any(m.kind == "str" for m in new_enum[1].items)
        yield from _enum_change(where, old_enum[0], new_enum[0], roles, still)
        return
    widens, narrower = accepts(b, a), narrows(b, a)
    breaking = ("request" in roles and not widens) or ("response" in roles and not narrower)
    word = "widened" if widens else "narrowed" if narrower else "changed"
    yield Change(kind, severity(breaking), where, f"type {word} to {show(new)} (was {show(old)})")


def _enum_change(
    where: str, old: Iterable[Value], new: Iterable[Value], roles: Roles, still: bool
) -> Iterator[Change]:
    """Removed values break senders (unless the enum is open); added ones break nobody,
    with a note where users read them (an exhaustive `match` may need a branch)."""
    before, after = {_key(v) for v in old}, {_key(v) for v in new}
    note = "; code reading it may meet a value it does not handle" if "response" in roles else ""
    for v in old:
        if _key(v) not in after:
            message = f"enum value {_repr(v)} " + ("no longer listed" if still else "removed")
            yield Change(
                "enum-value-removed", severity("request" in roles and not still), where, message
            )
    for v in new:
        if _key(v) not in before:
            yield Change("enum-value-added", N, where, f"enum value {_repr(v)} added{note}")
