"""Schema checks for `validate`: every schema reachable from the usual places, each
schema's keywords (types, `required`, `items`), and a bound on inline nesting.

Kept apart from the document-level checks in `validate.py`; they share its checker through
the small `Checks` protocol.
"""

from __future__ import annotations

from typing import Any, Protocol

from sdkforge.diagnostics import Trail, join_pointer, spell
from sdkforge.reading.lenient import DATA_KEYS
from sdkforge.reading.resolve import get_pointer

_SCHEMA_TYPES = {"string", "number", "integer", "boolean", "array", "object", "null", "file"}
_SUBSCHEMA_ONE = ("items", "additionalProperties", "not", "if", "then", "else", "contains")
_SUBSCHEMA_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SUBSCHEMA_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
#: Inline schemas nested deeper than this are refused: no real API needs it, and the later
#: stages (and datamodel-code-generator) recurse per level.
MAX_SCHEMA_DEPTH = 100


class Checks(Protocol):
    """What the schema checks use of `validate`'s checker."""

    data: dict[str, Any]
    major: str
    minor: str

    def error(self, pointer: str, message: str, hint: str = "") -> None: ...
    def warn(self, pointer: str, message: str, hint: str = "") -> None: ...
    def expect(self, value: object, want: str, pointer: str, what: str) -> bool: ...
    def fields(self, obj: dict[str, Any], kind: str, pointer: str) -> None: ...


def check_schemas(self: Checks) -> None:
    """Check schema keywords in every schema reachable from the usual places."""
    roots: list[tuple[object, str]] = []
    for section in ("/components/schemas", "/definitions"):
        found = get_pointer(self.data, section)
        if isinstance(found, dict):
            roots.extend((v, join_pointer(section, k)) for k, v in found.items())
    stack: list[tuple[object, Trail]] = [(self.data, None)]
    while stack:  # find `schema` keys in parameters, media types, headers
        node, trail = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "schema" and isinstance(value, (dict, bool)):
                    roots.append((value, spell(trail, key)))
                elif (
                    isinstance(value, (dict, list))
                    and (trail is not None or key not in ("components", "definitions"))
                    and not (key.startswith("x-") or key in DATA_KEYS)
                ):
                    stack.append((value, (trail, key)))
        elif isinstance(node, list):
            stack.extend((v, (trail, str(i))) for i, v in enumerate(node))
    seen: set[int] = set()
    todo = [(schema, pointer, 0, pointer) for schema, pointer in roots]
    too_deep: set[str] = set()  # roots already reported, once each
    while todo:
        schema, pointer, depth, root = todo.pop()
        if isinstance(schema, bool) or id(schema) in seen:
            continue
        seen.add(id(schema))
        if not self.expect(schema, "object", pointer, "schema"):
            continue
        assert isinstance(schema, dict)
        if "$ref" in schema:
            continue
        if depth > MAX_SCHEMA_DEPTH:
            if root not in too_deep:
                too_deep.add(root)
                self.error(
                    pointer,
                    f"schema nested more than {MAX_SCHEMA_DEPTH} levels deep",
                    "move inner schemas to components/schemas and $ref them",
                )
            continue
        _schema(self, schema, pointer)
        for key in _SUBSCHEMA_ONE:
            if key in schema and not isinstance(schema[key], bool):
                todo.append((schema[key], join_pointer(pointer, key), depth + 1, root))
        for key in _SUBSCHEMA_MAP:
            if isinstance(schema.get(key), dict):
                todo.extend(
                    (v, join_pointer(pointer, key, k), depth + 1, root)
                    for k, v in schema[key].items()
                )
        for key in _SUBSCHEMA_LIST:
            if isinstance(schema.get(key), list):
                todo.extend(
                    (v, join_pointer(pointer, key, i), depth + 1, root)
                    for i, v in enumerate(schema[key])
                )


def _schema(self: Checks, schema: dict[str, Any], pointer: str) -> None:
    self.fields(schema, "schema", pointer)
    kind = schema.get("type")
    t_pointer = join_pointer(pointer, "type")
    kinds = kind if isinstance(kind, list) and self.minor == "1" else [kind]
    for each in kinds if "type" in schema else ():
        if (
            not isinstance(each, str)
            or each not in _SCHEMA_TYPES
            or (each == "file" and self.major != "2")
        ):
            self.error(
                t_pointer,
                f"schema type {each!r} is not a JSON Schema type",
                "use string, number, integer, boolean, array, object"
                + (" or null" if self.minor == "1" else ""),
            )
        elif each == "null" and self.major == "3" and self.minor == "0":
            self.warn(t_pointer, "type: null is OpenAPI 3.1; in 3.0 use nullable: true")
    required = schema.get("required")
    if isinstance(required, list):
        for i, name in enumerate(required):
            if not isinstance(name, str):
                self.error(
                    join_pointer(pointer, "required", i),
                    f"'required' entries must be property names, not {name!r}",
                )
    if kind == "array" and "items" not in schema and self.major == "3" and self.minor == "0":
        self.warn(pointer, "array schema has no 'items'", "add items: {} for any item")
