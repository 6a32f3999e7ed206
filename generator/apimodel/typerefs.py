"""Small pure helpers on types and schema values, shared by the schema and operation
builders: the `Any` and `None` types, unions and nullability, the validation keywords a
synthesized value must respect, how example, literal and text values are read, and
which `allOf` parts only document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sdkforge.apimodel.ir import TypeRef

ANY = TypeRef("any")
NONE = TypeRef("none")
_CONSTRAINTS = (
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
)


def constraints(s: Mapping[str, Any]) -> tuple[tuple[str, object], ...]:
    """The validation keywords of `s` that a synthesized value must respect, sorted."""
    return tuple(sorted((k, s[k]) for k in _CONSTRAINTS if k in s and not isinstance(s[k], dict)))


def union(members: list[TypeRef]) -> TypeRef:
    """A flattened, de-duplicated union; a single member is returned as itself."""
    flat: list[TypeRef] = []
    for m in members:
        for item in m.items if m.kind == "union" else (m,):
            if item not in flat:
                flat.append(item)
    if any(m.kind == "any" for m in flat):
        return ANY
    # None last, as people write `X | None`.
    flat.sort(key=lambda t: t.kind == "none")
    return flat[0] if len(flat) == 1 else TypeRef("union", items=tuple(flat))


def nullable(t: TypeRef) -> TypeRef:
    """`t | None`."""
    return union([t, NONE])


def example_of(schema: Mapping[str, Any]) -> object:
    """`example`, else the first of 3.1's `examples` list (docs show one value)."""
    if schema.get("example") is not None:
        return schema["example"]
    examples = schema.get("examples")
    return examples[0] if isinstance(examples, list) and examples else None


def as_text(value: object) -> str:
    """`value` stripped when it is a string, else "" (validation reports the problem)."""
    return value.strip() if isinstance(value, str) else ""


def literal_value(value: object) -> str | int | float | bool | None:
    """An enum or const value as a `Literal` member: scalars as they are, others as text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# Keywords that say something about a value without constraining it.
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "deprecated", "externalDocs", "$comment"}
)


def annotates_only(part: object) -> bool:
    """An `allOf` part that only documents (AWS: `allOf: [{$ref: X}, {description: ...}]`,
    the way 3.0 gives a reference its own description): it adds nothing to the type, which
    is the other part's, not `Any`."""
    return isinstance(part, dict) and all(
        k in _ANNOTATIONS or str(k).startswith("x-") for k in part
    )


def annotation_description(schema: Mapping[str, Any]) -> str:
    """The description an `allOf` part that only documents gives (`annotates_only`)."""
    parts = schema.get("allOf")
    for part in parts if isinstance(parts, list) else []:
        if annotates_only(part) and as_text(part.get("description")):
            return as_text(part.get("description"))
    return ""
