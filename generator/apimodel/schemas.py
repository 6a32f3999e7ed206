"""Schemas → named models and `TypeRef`s.

Every object (and every named enum or union) in the spec becomes a `Model` with a name
decided here, from where it stands: component schemas keep their (sanitized) names, inline
schemas are named after their owner (`Video` + `error` → `VideoError`). Nothing is left for
a later tool to name, which is what keeps datamodel-code-generator from inventing `Type1`.
A construct that cannot be typed precisely becomes a looser type plus a warning with its
JSON pointer; nothing is dropped.

The document is plain data from sdkforge's loaders, so objects are tested with
`isinstance(x, dict)`: the `Mapping` ABC check is several times slower, and a big spec
asks it some 200,000 times.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from sdkforge.apimodel import naming
from sdkforge.apimodel.docview import DocumentView, Properties
from sdkforge.apimodel.ir import Field, Model, TypeRef
from sdkforge.apimodel.typerefs import (
    ANY,
    NONE,
    annotates_only,
    annotation_description,
    as_text,
    constraints,
    example_of,
    literal_value,
    nullable,
    union,
)
from sdkforge.diagnostics import Diagnostic, join_pointer, warning

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_SCHEMA_PREFIX = "#/components/schemas/"

#: How many named models may be under construction at once. A component met deeper than
#: this (a long `$ref` chain A -> B -> C ...) is left for `build_components`' own loop, so
#: chains of any length build without deep recursion; normal specs never get there.
_MAX_NESTED_BUILDS = 32
#: Wider objects become `dict[str, Any]` with a warning: datamodel-code-generator needs
#: about a second per thousand fields and pydantic as long to build the class at import,
#: so 50,000 properties would take minutes (issue 7's bound is 30 s).
MAX_MODEL_FIELDS = 10_000


class SchemaRegistry(DocumentView):
    """Names and types every schema of one document; collects models and warnings.

    `doc` is the bundled document (only local `$ref`s). Component schemas are registered
    up front so that references resolve to their final names regardless of visit order.
    """

    def __init__(self, doc: Mapping[str, Any], file: str = "") -> None:
        super().__init__(doc)
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self.models: dict[str, Model] = {}
        self._names = naming.Namespace(naming.RESERVED_CLASS_NAMES)
        self._by_pointer: dict[str, str] = {}
        self._by_fingerprint: dict[str, str] = {}
        self._building: set[str] = set()
        self._open_builds = 0
        self._deferrable = False  # True while build_components' loop will visit every component
        comps = doc.get("components")
        schemas = comps.get("schemas") if isinstance(comps, dict) else None
        self._components: Mapping[str, Any] = schemas if isinstance(schemas, dict) else {}
        # Keys that already are the class name they map to claim it first, so that
        # `UserProfile` keeps its name when `user-profile` also exists.
        keys = sorted(self._components, key=lambda k: naming.class_name(str(k)) != str(k))
        for key in keys:
            pointer = join_pointer("#/components/schemas", key)
            self._by_pointer[pointer] = self._names.claim(naming.class_name(str(key)))

    # -- public -----------------------------------------------------------------------

    def build_components(self) -> None:
        """Create a model for every component schema, used or not (nothing dropped)."""
        self._deferrable = True
        try:
            for key, schema in self._components.items():
                pointer = join_pointer("#/components/schemas", key)
                self._named(pointer, schema, self._by_pointer[pointer])
        finally:
            self._deferrable = False

    def type_of(
        self,
        schema: object,
        context: str,
        pointer: str,
        *,
        hoist: bool = True,
        alternatives: tuple[str, ...] = (),
    ) -> TypeRef:
        """The `TypeRef` for `schema`, creating models for objects found inside it.

        `context` is the PascalCase name an inline object here would get; `pointer` is
        where the schema stands (for names of nested types and for warnings).
        """
        if not isinstance(schema, dict):
            if schema is not True and schema is not None and schema != {}:
                self._warn(pointer, "schema is not an object; typed as Any")
            return ANY
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._ref(ref, pointer)
        t = self._type_of_inline(schema, context, pointer, hoist, alternatives)
        if schema.get("nullable") is True and not t.nullable:
            t = nullable(t)
        return t

    # -- internals --------------------------------------------------------------------

    def _warn(self, pointer: str, message: str) -> None:
        self.diagnostics.append(warning(message, file=self.file, pointer=pointer))

    def _ref(self, ref: str, pointer: str) -> TypeRef:
        name = self._by_pointer.get(ref)
        if name is None:
            target = self.lookup(ref)
            if target is None:
                self._warn(pointer, f"unresolvable $ref {ref!r}; typed as Any")
                return ANY
            if ref in self._building:
                self._warn(pointer, f"$ref {ref!r} refers to itself with no schema between; Any")
                return ANY
            self._building.add(ref)
            try:
                context = naming.class_name(ref.rsplit("/", 1)[-1])
                return self.type_of(target, context, ref)
            finally:
                self._building.discard(ref)
        model = self._named(ref, self._components_node(ref), name)
        return TypeRef("model" if model.kind == "object" else "alias", name=name)

    def _components_node(self, pointer: str) -> object:
        return self.lookup(pointer)

    def _named(self, pointer: str, schema: object, name: str) -> Model:
        """Build (once) the model for a named schema; recursion sees a placeholder."""
        existing = self.models.get(name)
        if existing is not None:
            return existing
        kind: Literal["object", "alias"] = "object" if self.is_object(schema) else "alias"
        collected = None
        if kind == "object" and isinstance(schema, dict):
            collected = self.collect_properties(schema, pointer)
            width = len(collected[0])
            if width > MAX_MODEL_FIELDS:
                kind, collected = "alias", None  # typed as the object it is: dict[str, Any]
                self._warn(
                    pointer,
                    f"object with {width:,} properties (over {MAX_MODEL_FIELDS:,}); typed as "
                    "a dict, since a class this wide takes minutes to generate and to import",
                )
        placeholder = Model(name=name, pointer=pointer, kind=kind)
        if (
            self._deferrable
            and self._open_builds >= _MAX_NESTED_BUILDS
            and self._by_pointer.get(pointer) == name
            and pointer.startswith(_SCHEMA_PREFIX)
            and "/" not in pointer[len(_SCHEMA_PREFIX) :]
        ):
            return placeholder  # a component: its turn in build_components' loop comes
        self.models[name] = placeholder
        self._open_builds += 1
        try:
            model = self._build_model(name, pointer, schema, kind, collected)
        finally:
            self._open_builds -= 1
        self.models[name] = model
        return model

    def _inline_name(
        self, s: Mapping[str, Any], context: str, alternatives: tuple[str, ...]
    ) -> str:
        """An inline object is named for the call it belongs to (`RecordListResponse`);
        one the spec titles, by its title, a neutral name: the same titled shape pasted
        in many places (GitHub: 43 shapes, 1,084 places) is one class under that name."""
        title = s.get("title")
        if not (isinstance(title, str) and naming.words(title)):
            return self._names.claim(context, *alternatives, context + "Object")
        fingerprint = json.dumps(s, sort_keys=True, default=str)
        name = self._by_fingerprint.get(fingerprint)
        if name is None:
            name = self._names.claim(naming.class_name(title), context, *alternatives)
            self._by_fingerprint[fingerprint] = name
        return name

    def _build_model(
        self,
        name: str,
        pointer: str,
        schema: object,
        kind: Literal["object", "alias"],
        collected: Properties | None = None,
    ) -> Model:
        s: Mapping[str, Any] = schema if isinstance(schema, dict) else {}
        description = as_text(s.get("description")) or as_text(s.get("title"))
        if kind == "object":
            return Model(
                name=name,
                pointer=pointer,
                kind="object",
                description=description,
                fields=self._fields(s, name, pointer, collected),
                example=s.get("example"),
            )
        alias = self._type_of_inline(s, name, pointer, hoist=False)
        if s.get("nullable") is True:
            alias = nullable(alias)
        enum_values: tuple[Any, ...] = ()
        open_enum = False
        if alias.kind == "literal":
            enum_values = alias.values
        elif alias.kind == "union":
            lits = [v for m in alias.items if m.kind == "literal" for v in m.values]
            enum_values = tuple(lits)
            open_enum = bool(lits) and any(m.kind == "str" for m in alias.items)
        return Model(
            name=name,
            pointer=pointer,
            kind="alias",
            description=description,
            alias_of=alias,
            open_enum=open_enum,
            enum_values=enum_values,
            example=s.get("example"),
        )

    def _fields(
        self,
        schema: Mapping[str, Any],
        owner: str,
        pointer: str,
        collected: Properties | None = None,
    ) -> tuple[Field, ...]:
        """The fields of an object schema (`collected`: its properties, when already known)."""
        props, required = collected or self.collect_properties(schema, pointer)
        fields: list[Field] = []
        taken = naming.Namespace({"model_config", "model_fields"})
        for wire, (prop, prop_pointer) in props.items():
            target = self.deref(prop)
            t = self.type_of(prop, owner + naming.pascal(wire), prop_pointer)
            p: Mapping[str, Any] = prop if isinstance(prop, dict) else {}
            tp: Mapping[str, Any] = target if isinstance(target, dict) else {}
            desc = (
                as_text(p.get("description"))
                or annotation_description(p)
                or as_text(tp.get("description"))
            )
            fields.append(
                Field(
                    name=taken.claim(naming.field_name(wire), naming.field_name(wire) + "_"),
                    wire_name=wire,
                    type=t,
                    required=wire in required,
                    description=desc,
                    default=tp.get("default"),
                    has_default="default" in tp,
                    deprecated=bool(p.get("deprecated") or tp.get("deprecated")),
                    read_only=bool(p.get("readOnly") or tp.get("readOnly")),
                    write_only=bool(p.get("writeOnly") or tp.get("writeOnly")),
                    example=example_of(p) if example_of(p) is not None else example_of(tp),
                )
            )
        return tuple(fields)

    def _type_of_inline(
        self,
        s: Mapping[str, Any],
        context: str,
        pointer: str,
        hoist: bool,
        alternatives: tuple[str, ...] = (),
    ) -> TypeRef:
        if "const" in s:
            return TypeRef("literal", values=(literal_value(s["const"]),))
        enum = s.get("enum")
        if isinstance(enum, list) and enum:
            # Keyed by type too: in Python `1 == True`, but they are different enum values.
            values = tuple({(type(v), v): v for v in map(literal_value, enum)}.values())
            lit = TypeRef("literal", values=tuple(v for v in values if v is not None))
            if None in values:
                return nullable(lit) if lit.values else NONE
            return lit
        for key in ("oneOf", "anyOf"):
            members = s.get(key)
            if isinstance(members, list) and members:
                base = {
                    k: v
                    for k, v in s.items()
                    if k not in (key, "description", "title", "nullable", "discriminator")
                }
                real = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
                out = []
                for i, m in enumerate(members):
                    inline = base and isinstance(m, dict) and "$ref" not in m
                    sub = _overlay(base, m) if inline else m
                    names = [context] if len(real) == 1 else naming.variant_names(context, m, i)
                    out.append(
                        self.type_of(
                            sub,
                            names[0],
                            join_pointer(pointer, key, i),
                            alternatives=tuple(names[1:]),
                        )
                    )
                return union(out)
        if "allOf" in s:
            parts = (
                [(i, p) for i, p in enumerate(s["allOf"]) if p and not annotates_only(p)]
                if isinstance(s["allOf"], list)
                else []
            )
            if len(parts) == 1 and not s.get("properties"):
                i, part = parts[0]
                return self.type_of(part, context, join_pointer(pointer, "allOf", i))
        typ = s.get("type")
        if isinstance(typ, list):
            kinds = [t for t in typ if t != "null"]
            inner = [self._type_of_inline({**s, "type": k}, context, pointer, hoist) for k in kinds]
            t = union(inner) if inner else NONE
            return nullable(t) if "null" in typ else t
        if typ == "null":
            return NONE
        if hoist and self.is_object(s):
            name = self._by_pointer.get(pointer)
            if name is None:
                name = self._inline_name(s, context, alternatives)
                self._by_pointer[pointer] = name
            self._named(pointer, s, name)
            return TypeRef("model", name=name)
        if typ == "array" or "items" in s:
            items = s.get("items")
            return TypeRef(
                "list",
                items=(self.type_of(items, context + "Item", join_pointer(pointer, "items")),),
                constraints=constraints(s),
            )
        if typ == "object" or "properties" in s or "additionalProperties" in s:
            extra = s.get("additionalProperties")
            value = (
                self.type_of(
                    extra, context + "Value", join_pointer(pointer, "additionalProperties")
                )
                if isinstance(extra, dict)
                else ANY
            )
            return TypeRef("map", items=(value,))
        if typ == "string":
            fmt = str(s.get("format") or "")
            if fmt == "binary":
                return TypeRef("file", fmt=fmt)
            return TypeRef("str", fmt=fmt, constraints=constraints(s))
        if isinstance(typ, str) and typ in _PRIMITIVES:
            return TypeRef(
                _PRIMITIVES[typ],  # type: ignore[arg-type]
                fmt=str(s.get("format") or ""),
                constraints=constraints(s),
            )
        if typ is not None:
            self._warn(pointer, f"unknown schema type {typ!r}; typed as Any")
        return ANY


def _overlay(base: Mapping[str, Any], arm: Mapping[str, Any]) -> dict[str, Any]:
    """An `anyOf`/`oneOf` arm read with the keywords of the schema around it: the arm adds
    to the object's `required` and `properties` rather than replacing them (`required:
    [type]` with `oneOf: [{required: [id]}, ...]` requires `type` and `id`)."""
    out = {**base, **arm}
    for key, merge in (("required", _union_list), ("properties", _union_map)):
        if key in base and key in arm:
            out[key] = merge(base[key], arm[key])
    return out


def _union_list(a: object, b: object) -> object:
    if not (isinstance(a, list) and isinstance(b, list)):
        return b
    return [*a, *(x for x in b if x not in a)]


def _union_map(a: object, b: object) -> object:
    return {**a, **b} if isinstance(a, dict) and isinstance(b, dict) else b
