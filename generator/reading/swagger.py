"""Swagger 2.0 → OpenAPI 3.0, in memory, so the rest of the pipeline knows one format.

Covers what changes between the two for client generation: `host`/`basePath`/`schemes`
→ `servers`; `definitions`/`parameters`/`responses`/`securityDefinitions` → `components`;
body and formData parameters → `requestBody` (consumes → media types); response `schema`
→ `content` (produces → media types); `type: file` → binary strings; `x-nullable`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_REF_MOVES = {
    "#/definitions/": "#/components/schemas/",
    "#/parameters/": "#/components/parameters/",
    "#/responses/": "#/components/responses/",
}
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


def openapi3(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` itself when it is OpenAPI 3, else its conversion (a Swagger 2.0 document)."""
    return convert(doc) if str(doc.get("swagger", "")).startswith("2") else doc


def convert(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Return an OpenAPI 3.0.3 document equivalent to the Swagger 2.0 `doc`."""
    doc = _rewrite_refs(doc)
    consumes = _list(doc.get("consumes")) or ["application/json"]
    produces = _list(doc.get("produces")) or ["application/json"]
    out: dict[str, Any] = {"openapi": "3.0.3", "info": doc.get("info") or {}}
    host = doc.get("host")
    schemes = _list(doc.get("schemes")) or ["https"]
    base = str(doc.get("basePath") or "")
    out["servers"] = [{"url": f"{schemes[0]}://{host}{base}" if host else base or "/"}]
    for key in ("tags", "security", "externalDocs"):
        if key in doc:
            out[key] = doc[key]
    components: dict[str, Any] = {
        "schemas": {k: _schema(v) for k, v in _map(doc.get("definitions")).items()},
        "parameters": {
            k: _param(v)
            for k, v in _map(doc.get("parameters")).items()
            if _map(v).get("in") not in ("body", "formData")
        },
        "responses": {k: _response(v, produces) for k, v in _map(doc.get("responses")).items()},
        "securitySchemes": {
            k: _security(v) for k, v in _map(doc.get("securityDefinitions")).items()
        },
    }
    out["components"] = {k: v for k, v in components.items() if v}
    shared_params = _map(doc.get("parameters"))
    paths: dict[str, Any] = {}
    for path, item in _map(doc.get("paths")).items():
        new_item: dict[str, Any] = {}
        item = _map(item)
        path_params = _list(item.get("parameters"))
        if path_params:
            new_item["parameters"] = [
                _param(p)
                for p in path_params
                if _where(p, shared_params) not in ("body", "formData")
            ]
        for method in _METHODS:
            op = _map(item.get(method))
            if not op:
                continue
            new_op = {
                k: v
                for k, v in op.items()
                if k not in ("parameters", "responses", "consumes", "produces")
            }
            params = [*path_params, *_list(op.get("parameters"))]
            op_consumes = _list(op.get("consumes")) or consumes
            body = _request_body(params, shared_params, op_consumes)
            if body:
                new_op["requestBody"] = body
            plain = [
                _param(p)
                for p in _list(op.get("parameters"))
                if _where(p, shared_params) not in ("body", "formData")
            ]
            if plain:
                new_op["parameters"] = plain
            op_produces = _list(op.get("produces")) or produces
            new_op["responses"] = {
                str(c): _response(r, op_produces) for c, r in _map(op.get("responses")).items()
            }
            new_item[method] = new_op
        paths[str(path)] = new_item
    out["paths"] = paths
    return out


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, Mapping):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                for old, new in _REF_MOVES.items():
                    if v.startswith(old):
                        v = new + v[len(old) :]
                out[k] = v
            else:
                out[k] = _rewrite_refs(v)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def _schema(s: Any) -> Any:
    if isinstance(s, Mapping):
        out = {k: _schema(v) for k, v in s.items() if k != "x-nullable"}
        if s.get("type") == "file":
            out = {**out, "type": "string", "format": "binary"}
        if s.get("x-nullable") is True:
            out["nullable"] = True
        return out
    if isinstance(s, list):
        return [_schema(v) for v in s]
    return s


_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "pattern",
    "maxLength",
    "minLength",
)


def _param(p: Any) -> Any:
    p = _map(p)
    if "$ref" in p:
        return dict(p)
    out = {
        k: v
        for k, v in p.items()
        if k not in (*_SCHEMA_KEYS, "collectionFormat", "allowEmptyValue")
    }
    out["schema"] = _schema({k: p[k] for k in _SCHEMA_KEYS if k in p})
    fmt = p.get("collectionFormat")
    if fmt == "multi":
        out["style"], out["explode"] = "form", True
    elif fmt in ("csv", None) and p.get("type") == "array":
        out["explode"] = False
    elif fmt == "ssv":
        out["style"] = "spaceDelimited"
    elif fmt == "pipes":
        out["style"] = "pipeDelimited"
    return out


def _where(p: Any, shared: Mapping[str, Any]) -> str:
    p = _map(p)
    ref = p.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
        p = _map(shared.get(ref.rsplit("/", 1)[-1]))
    return str(p.get("in") or "")


def _request_body(
    params: list[Any], shared: Mapping[str, Any], consumes: list[str]
) -> dict[str, Any] | None:
    resolved = []
    for p in params:
        p = _map(p)
        ref = p.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
            p = _map(shared.get(ref.rsplit("/", 1)[-1]))
        resolved.append(p)
    body = next((p for p in resolved if p.get("in") == "body"), None)
    if body is not None:
        media = [m for m in consumes if "form" not in m] or ["application/json"]
        return {
            "required": bool(body.get("required")),
            "description": body.get("description", ""),
            "content": {m: {"schema": _schema(body.get("schema") or {})} for m in media},
        }
    form = [p for p in resolved if p.get("in") == "formData"]
    if not form:
        return None
    has_file = any(p.get("type") == "file" for p in form)
    form_media = (
        "multipart/form-data"
        if has_file or "multipart/form-data" in consumes
        else "application/x-www-form-urlencoded"
    )
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            str(p.get("name")): {
                **_schema({k: p[k] for k in _SCHEMA_KEYS if k in p}),
                **({"description": p["description"]} if "description" in p else {}),
            }
            for p in form
        },
    }
    required = [str(p.get("name")) for p in form if p.get("required")]
    if required:
        schema["required"] = required
    return {"required": bool(required), "content": {form_media: {"schema": schema}}}


def _response(r: Any, produces: list[str]) -> Any:
    r = _map(r)
    if "$ref" in r:
        return dict(r)
    out: dict[str, Any] = {"description": r.get("description", "")}
    if "schema" in r:
        out["content"] = {m: {"schema": _schema(r["schema"])} for m in produces}
    if "headers" in r:
        out["headers"] = {k: {"schema": _schema(v)} for k, v in _map(r["headers"]).items()}
    return out


def _security(s: Any) -> Any:
    s = _map(s)
    typ = s.get("type")
    if typ == "basic":
        return {"type": "http", "scheme": "basic", "description": s.get("description", "")}
    if typ == "oauth2":
        flow = {
            "implicit": "implicit",
            "password": "password",
            "application": "clientCredentials",
            "accessCode": "authorizationCode",
        }
        name = flow.get(str(s.get("flow")), "implicit")
        body = {k: s[k] for k in ("authorizationUrl", "tokenUrl") if k in s}
        return {"type": "oauth2", "flows": {name: {**body, "scopes": s.get("scopes") or {}}}}
    return dict(s)


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []
