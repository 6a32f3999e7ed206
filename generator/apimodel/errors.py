"""The API's error envelope: the one property its error bodies wrap the error object in.

OpenAI answers `{"error": {"message", "type", "param", "code"}}`; users want `e.body` to be
the error object and `e.code` its code, as the official SDK gives them. The spec says it
in its error responses (4XX, 5XX, `default`): when they are an object with exactly one
property, itself an object, that property is the envelope and the inner object's
properties are the error's fields. The envelope most error responses share wins; an API
without one keeps the whole body.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from sdkforge.apimodel.responses import is_json
from sdkforge.apimodel.schemas import SchemaRegistry

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def error_envelope(
    registry: SchemaRegistry, doc: Mapping[str, Any]
) -> tuple[str, tuple[str, ...]]:
    """`(envelope property, the error object's field names)`, or `("", ())`."""
    seen: Counter[tuple[str, tuple[str, ...]]] = Counter()
    paths = doc.get("paths")
    for raw_item in paths.values() if isinstance(paths, dict) else ():
        item = registry.deref(raw_item)
        if not isinstance(item, dict):
            continue
        for method in _HTTP_METHODS:
            op = item.get(method)
            responses = op.get("responses") if isinstance(op, dict) else None
            for status, raw in responses.items() if isinstance(responses, dict) else ():
                code = str(status).upper()
                if code == "DEFAULT" or code.startswith(("4", "5")):
                    found = _envelope(registry, registry.deref(raw))
                    if found is not None:
                        seen[found] += 1
    if not seen:
        return "", ()
    (best, _), *_ = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))
    return best


def _envelope(registry: SchemaRegistry, response: object) -> tuple[str, tuple[str, ...]] | None:
    content = response.get("content") if isinstance(response, dict) else None
    if not isinstance(content, dict):
        return None
    for media, obj in content.items():
        if not (is_json(str(media).split(";")[0].strip().lower()) and isinstance(obj, dict)):
            continue
        schema = registry.deref(obj.get("schema"))
        if not (isinstance(schema, dict) and registry.is_object(schema)):
            return None
        props, _ = registry.properties(schema)
        if len(props) != 1:
            return None
        (key, (inner_schema, _)), = props.items()
        inner = registry.deref(inner_schema)
        if not (isinstance(inner, dict) and registry.is_object(inner)):
            return None
        fields, _ = registry.properties(inner)
        names = tuple(sorted(n for n in fields if n.isidentifier()))
        return key, names
    return None
