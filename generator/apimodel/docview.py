"""A bundled document, navigated: `$ref`s followed, object schemas and their properties.

What every part of the IR builder asks of the document itself, before any typing or
naming: where a reference points, whether a schema is an object (its `allOf` parts
included), and an object's properties with their `allOf` parts merged in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sdkforge.diagnostics import join_pointer

Properties = tuple[dict[str, tuple[object, str]], set[str]]
"""An object's properties (wire name → (schema, pointer)) and its required names."""


class DocumentView:
    """Read-only navigation of one bundled document (only local `$ref`s)."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc

    def deref(self, node: object, limit: int = 64) -> object:
        """Follow local `$ref`s to the node they name (bounded, cycles end as `{}`)."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and limit > 0:
            node = self.lookup(node["$ref"])
            limit -= 1
        return node

    def lookup(self, ref: str) -> object:
        """The node a local `#/...` reference names, or None."""
        if not ref.startswith("#"):
            return None
        node: object = self.doc
        for token in ref[1:].split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict):
                node = node.get(token)
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def properties(self, schema: Mapping[str, Any]) -> Properties:
        """An object schema's properties (its `allOf` parts merged in) and required names."""
        return self.collect_properties(schema, "#")

    def is_object(self, schema: object, depth: int = 0) -> bool:
        if not isinstance(schema, dict) or depth > 32:
            return False
        if "allOf" in schema and "oneOf" not in schema and "anyOf" not in schema:
            parts = schema["allOf"] or [{}]
            return all(self.is_object(self.deref(part), depth + 1) for part in parts)
        props = schema.get("properties")
        typ = schema.get("type")
        if isinstance(props, dict) and props:
            return typ in (None, "object") or (isinstance(typ, list) and "object" in typ)
        return False

    def collect_properties(
        self, schema: Mapping[str, Any], pointer: str, depth: int = 0
    ) -> Properties:
        """Properties and required names of a schema with its `allOf` parts merged in."""
        props: dict[str, tuple[object, str]] = {}
        required: set[str] = set()
        for i, part in enumerate(schema.get("allOf") or []):
            part_pointer = join_pointer(pointer, "allOf", i)
            if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                part_pointer = part["$ref"]
            target = self.deref(part)
            if isinstance(target, dict) and depth < 32:
                sub_props, sub_req = self.collect_properties(target, part_pointer, depth + 1)
                props.update(sub_props)
                required |= sub_req
        own = schema.get("properties")
        if isinstance(own, dict):
            for key, value in own.items():
                props[str(key)] = (value, join_pointer(pointer, "properties", key))
        req = schema.get("required")
        if isinstance(req, list):
            required |= {r for r in req if isinstance(r, str)}
        return props, required
