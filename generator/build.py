"""Bundled document → IR (`Api`).

All decisions about the generated surface are made here, as data: which resource and
method each operation becomes, which parameters a method takes and where they go on the
wire, how the body is encoded and how the response is read. Every degradation becomes a
warning with its JSON pointer; no operation is ever dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator import naming
from generator.config import Config
from generator.diagnostics import Diagnostic, join_pointer, warning
from generator.ir import (
    Api,
    Operation,
    Parameter,
    RequestBody,
    Resource,
    Response,
    TypeRef,
)
from generator.schemas import ANY, NONE, SchemaRegistry, union
from generator.security import build_security

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_JSON_HINTS = ("json",)


@dataclass
class _ResourceNode:
    name: str
    operations: list[Operation] = field(default_factory=list)
    children: dict[str, _ResourceNode] = field(default_factory=dict)
    method_names: naming.Namespace = field(default_factory=naming.Namespace)


def build_api(
    doc: Mapping[str, Any], config: Config, file: str = ""
) -> tuple[Api, list[Diagnostic]]:
    """Turn a bundled OpenAPI 3.x document into the IR, with warnings for degradations."""
    registry = SchemaRegistry(doc, file)
    registry.build_components()
    info = _mapping(doc.get("info"))
    title = str(info.get("title") or "API")
    package = config.package or naming.module_name(title)
    schemes, default_security, sec_diags = build_security(doc, package, config, file)
    roots: dict[str, _ResourceNode] = {}
    seen_ids: set[str] = set()
    paths = _mapping(doc.get("paths"))
    for path, raw_item in paths.items():
        # A path item may be a `$ref` to another path item (3.1, or local in 3.0).
        item = registry.deref(raw_item)
        if not isinstance(item, Mapping):
            continue
        path_pointer = join_pointer("#/paths", path)
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            pointer = join_pointer(path_pointer, method)
            op_id = op.get("operationId")
            if isinstance(op_id, str) and op_id in seen_ids:
                op = {k: v for k, v in op.items() if k != "operationId"}  # duplicate: use the path
            seen_ids.add(str(op_id))
            trail, candidates = _target_name(str(path), method, op, config)
            node = _node_for(roots, trail)
            name = node.method_names.claim(*candidates, candidates[0] + "_" + method)
            node.operations.append(
                _operation(registry, str(path), method, item, op, pointer, name, default_security)
            )
    servers = doc.get("servers")
    base_url = config.base_url or _server_url(servers)
    tag_docs = _tag_descriptions(doc.get("tags"))
    modules = naming.Namespace({"__init__"})
    resources = tuple(_freeze(node, (), tag_docs, modules) for node in roots.values())
    api = Api(
        package=package,
        project_name=config.project_name or package.replace("_", "-"),
        title=title,
        version=config.version or _pep440(str(info.get("version") or "")),
        description=str(info.get("description") or "").strip(),
        base_url=base_url,
        base_url_env=config.base_url_env or naming.constant(package) + "_BASE_URL",
        log_env=config.log_env or naming.constant(package) + "_LOG",
        resources=resources,
        models=tuple(sorted(registry.models.values(), key=lambda m: m.name)),
        security_schemes=schemes,
        default_security=default_security,
        client_name=config.client_name,
    )
    return api, registry.diagnostics + sec_diags


def _pep440(version: str) -> str:
    """The spec's version when it is a valid package version (`v1`, dates and the like are not)."""
    version = version.strip().lstrip("vV")
    return (
        version
        if re.fullmatch(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?", version)
        else "0.1.0"
    )


def _server_url(servers: object) -> str:
    if isinstance(servers, list) and servers and isinstance(servers[0], Mapping):
        url = str(servers[0].get("url") or "")
        variables = servers[0].get("variables")
        if isinstance(variables, Mapping):
            for key, var in variables.items():
                if isinstance(var, Mapping) and "default" in var:
                    url = url.replace("{" + str(key) + "}", str(var["default"]))
        return url
    return "http://localhost"


def _target_name(
    path: str, method: str, op: Mapping[str, Any], config: Config
) -> tuple[list[str], list[str]]:
    """`(resource trail, method-name candidates)` from the config, else the tag and operationId.

    The preferred method name drops the words it shares with its resource, as users of
    the best SDKs expect (`client.pets.list`, not `client.pets.list_pets`); the full
    operationId name and then method + path are the fallbacks when names collide.
    """
    op_id = op.get("operationId")
    for key in (f"{method.upper()} {path}", str(op_id) if op_id else None):
        if key and key in config.operations:
            parts = [naming.attr_name(part) for part in config.operations[key].split(".")]
            return parts[:-1], [parts[-1]]
    tags = op.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str) and naming.words(tags[0]):
        resource_words = naming.words(tags[0])
    else:
        segments = [s for s in path.split("/") if s and not s.startswith("{")]
        resource_words = naming.words(segments[0]) if segments else ["root"]
    resource = naming.attr_name(" ".join(resource_words)) if resource_words else "root"
    by_path = naming.attr_name(f"{method} {path}")
    if not (isinstance(op_id, str) and naming.words(op_id)):
        return [resource], [by_path]
    full = naming.attr_name(op_id)
    noise = {w.lower() for w in resource_words} | {_singular(w.lower()) for w in resource_words}
    kept = [
        w
        for w in naming.words(op_id)
        if w.lower() not in noise and _singular(w.lower()) not in noise
    ]
    short = naming.attr_name(" ".join(kept)) if kept else full
    return [resource], list(dict.fromkeys([short, full, by_path]))


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ses") or word.endswith("xes"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _node_for(roots: dict[str, _ResourceNode], trail: list[str]) -> _ResourceNode:
    nodes = roots
    node: _ResourceNode | None = None
    for part in trail:
        node = nodes.setdefault(part, _ResourceNode(part))
        nodes = node.children
    assert node is not None
    return node


def _tag_descriptions(tags: object) -> dict[str, str]:
    """Resource name → its tag's description (top-level resources are named from tags)."""
    out: dict[str, str] = {}
    for tag in tags if isinstance(tags, list) else []:
        name = tag.get("name") if isinstance(tag, Mapping) else None
        if isinstance(tag, Mapping) and isinstance(name, str) and naming.words(name):
            out.setdefault(naming.attr_name(name), _text(tag.get("description")))
    return out


# Names a resource module imports; a resource class (or its Async twin) must not shadow them.
_RESOURCE_MODULE_NAMES = naming.RESERVED_CLASS_NAMES | {
    "SyncAPIResource",
    "AsyncAPIResource",
    "NOT_GIVEN",
    "TYPE_CHECKING",
}


def _freeze(
    node: _ResourceNode,
    trail: tuple[str, ...],
    tag_docs: Mapping[str, str],
    modules: naming.Namespace,
) -> Resource:
    """The frozen resource tree; module and class names unique across the whole tree.

    `a.b` and a top-level `a_b` would both want module `a_b` and class `AB`; the one
    met second gets the nesting spelt out (`a__b`, `ABResource`).
    """
    here = (*trail, node.name)
    stem = naming.module_file_stem("_".join(here))
    module = modules.claim(stem, naming.module_file_stem("__".join(here)))
    base_class = "".join(naming.pascal(p) for p in here)
    if {base_class, "Async" + base_class} & _RESOURCE_MODULE_NAMES:
        base_class += "Resource"  # `Query` would shadow the `Query` type the module imports
    class_name = modules.claim("class:" + base_class, "class:" + base_class + "Resource")[6:]
    return Resource(
        name=node.name,
        class_name=class_name,
        module=module,
        operations=tuple(node.operations),
        children=tuple(_freeze(child, here, {}, modules) for child in node.children.values()),
        description=tag_docs.get(node.name, ""),
    )


def _operation(
    reg: SchemaRegistry,
    path: str,
    method: str,
    item: Mapping[str, Any],
    op: Mapping[str, Any],
    pointer: str,
    name: str,
    default_security: tuple[tuple[str, ...], ...],
) -> Operation:
    context = naming.pascal(str(op.get("operationId") or f"{method} {path}"))
    taken = naming.Namespace(naming.RESERVED_ARGS)
    params = _parameters(reg, path, item, op, pointer, context, taken)
    body, body_params = _request_body(reg, op, pointer, context, taken)
    security = default_security
    if isinstance(op.get("security"), list):
        security = tuple(
            tuple(sorted(str(k) for k in req)) for req in op["security"] if isinstance(req, Mapping)
        )
    ordered = sorted([*params, *body_params], key=lambda p: not p.required)
    return Operation(
        name=name,
        http_method=method,
        path=path,
        operation_id=str(op.get("operationId") or ""),
        pointer=pointer,
        summary=_text(op.get("summary")),
        description=_text(op.get("description")),
        parameters=tuple(ordered),
        body=body,
        response=_response(reg, op, pointer, context),
        security=security,
        deprecated=bool(op.get("deprecated")),
    )


def _parameters(
    reg: SchemaRegistry,
    path: str,
    item: Mapping[str, Any],
    op: Mapping[str, Any],
    pointer: str,
    context: str,
    taken: naming.Namespace,
) -> list[Parameter]:
    merged: dict[tuple[str, str], tuple[Mapping[str, Any], str]] = {}
    for owner, owner_pointer in ((item, pointer.rsplit("/", 1)[0]), (op, pointer)):
        for i, raw in enumerate(owner.get("parameters") or []):
            p = reg.deref(raw)
            if isinstance(p, Mapping) and isinstance(p.get("name"), str):
                merged[(str(p.get("in")), p["name"])] = (
                    p,
                    join_pointer(owner_pointer, "parameters", i),
                )
    for name in re.findall(r"{([^{}]+)}", path):
        # Undeclared path parameters (validation warned) still become arguments.
        merged.setdefault(
            ("path", name), ({"name": name, "in": "path", "schema": {"type": "string"}}, pointer)
        )
    out: list[Parameter] = []
    for (location, wire), (p, p_pointer) in merged.items():
        if location not in ("path", "query", "header", "cookie"):
            reg.diagnostics.append(
                warning(
                    f"parameter location {location!r} unknown; skipped as a query",
                    file=reg.file,
                    pointer=p_pointer,
                )
            )
            location = "query"
        schema = p.get("schema")
        if schema is None and isinstance(p.get("content"), Mapping) and p["content"]:
            schema = next(iter(p["content"].values())).get("schema")
        t = reg.type_of(schema, context + naming.pascal(wire), join_pointer(p_pointer, "schema"))
        required = bool(p.get("required")) or location == "path"
        if location == "header" and wire.lower() in ("accept", "content-type", "authorization"):
            continue
        base = naming.arg_name(wire)
        out.append(
            Parameter(
                name=taken.claim(base, f"{base}_{location}", f"{location}_{base}"),
                wire_name=wire,
                location=location,  # type: ignore[arg-type]
                type=t,
                required=required,
                description=_text(p.get("description")),
                style=str(p.get("style") or ""),
                explode=p["explode"] if isinstance(p.get("explode"), bool) else None,
                deprecated=bool(p.get("deprecated")),
            )
        )
    return out


def _request_body(
    reg: SchemaRegistry, op: Mapping[str, Any], pointer: str, context: str, taken: naming.Namespace
) -> tuple[RequestBody | None, list[Parameter]]:
    raw = reg.deref(op.get("requestBody"))
    if not isinstance(raw, Mapping) or not isinstance(raw.get("content"), Mapping):
        return None, []
    content: Mapping[str, Any] = raw["content"]
    body_pointer = join_pointer(pointer, "requestBody")
    required = bool(raw.get("required"))
    media_types = [str(m) for m in content]
    # Object bodies whose every offered media type is an object are flattened into
    # keyword arguments (`edit(prompt=..., video=...)`); anything else is one `body` arg.
    fields: dict[str, list[tuple[TypeRef, bool, str, bool]]] = {}
    first_required: list[str] = []
    flattened = True
    encoding: dict[str, str] = {}
    for media in media_types:
        media_obj = content[media] if isinstance(content[media], Mapping) else {}
        schema = media_obj.get("schema")
        target = reg.deref(schema)
        if not (isinstance(target, Mapping) and reg._is_object(target)) or media.startswith(
            ("application/octet-stream", "text/")
        ):
            flattened = False
            break
        owner = reg.type_of(
            schema, context + "Body", join_pointer(body_pointer, "content", media, "schema")
        )
        model = reg.models.get(owner.name)
        if media == media_types[0]:
            first_required = [f.wire_name for f in model.fields if f.required] if model else []
            first_required += _alternative_required(target)
        for f in model.fields if model else ():
            if f.read_only:
                continue
            is_file = _is_file(f.type)
            fields.setdefault(f.wire_name, []).append((f.type, f.required, f.description, is_file))
        enc = media_obj.get("encoding")
        if isinstance(enc, Mapping):
            for key, spec in enc.items():
                if isinstance(spec, Mapping) and isinstance(spec.get("contentType"), str):
                    encoding[str(key)] = spec["contentType"].split(",")[0].strip()
    if not flattened:
        types = []
        for media in media_types:
            media_obj = content[media] if isinstance(content[media], Mapping) else {}
            t = reg.type_of(
                media_obj.get("schema"),
                context + "Body",
                join_pointer(body_pointer, "content", media, "schema"),
            )
            if media.startswith("application/octet-stream") or (
                t.kind == "str" and t.fmt == "binary"
            ):
                t = TypeRef("file")
            elif media.startswith("text/") and t.kind == "any":
                t = TypeRef("str")
            types.append(t)
        t = union(types) if types else ANY
        param = Parameter(
            name=taken.claim("body", "request_body"),
            wire_name="body",
            location="body",
            type=t,
            required=required,
            description=_text(raw.get("description")),
            is_file=_is_file(t),
        )
        return RequestBody(
            tuple(media_types), False, required, description=_text(raw.get("description"))
        ), [param]
    params: list[Parameter] = []
    file_fields: list[str] = []
    for wire, variants in fields.items():
        t = union([v[0] for v in variants])
        is_file = any(v[3] for v in variants)
        if is_file:
            file_fields.append(wire)
        field_required = (
            required and len(variants) == len(media_types) and all(v[1] for v in variants)
        )
        desc = next((v[2] for v in variants if v[2]), "")
        base = naming.arg_name(wire)
        params.append(
            Parameter(
                name=taken.claim(base, f"{base}_body", f"body_{base}"),
                wire_name=wire,
                location="body",
                type=t,
                required=field_required,
                description=desc,
                is_file=is_file,
            )
        )
    return (
        RequestBody(
            tuple(media_types),
            True,
            required,
            tuple(file_fields),
            tuple(sorted(encoding.items())),
            _text(raw.get("description")),
            tuple(w for w in first_required if w in fields),
        ),
        params,
    )


def _alternative_required(schema: Mapping[str, Any]) -> list[str]:
    """`anyOf: [{required: [a]}, {required: [b]}]` (one of these fields must be sent): a.

    Such required-only alternatives type nothing, so the IR keeps no trace of them except
    here, where a body that must be valid (the smoke tests') needs the first one.
    """
    for key in ("anyOf", "oneOf"):
        alts = schema.get(key)
        if (
            isinstance(alts, list)
            and alts
            and all(isinstance(a, Mapping) and set(a) == {"required"} for a in alts)
        ):
            names = alts[0]["required"]
            return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
    return []


def _is_file(t: TypeRef) -> bool:
    return t.kind == "file" or (t.kind == "union" and any(m.kind == "file" for m in t.items))


def _response(reg: SchemaRegistry, op: Mapping[str, Any], pointer: str, context: str) -> Response:
    responses = _mapping(op.get("responses"))
    codes = sorted(str(c) for c in responses if str(c).startswith("2") or str(c).upper() == "2XX")
    if not codes and "default" in responses:
        codes = ["default"]
    types: list[TypeRef] = []
    kind: Literal["json", "text", "binary", "empty", "sse"] = "empty"
    content_type = ""
    example: object = None
    for code in codes:
        resp = reg.deref(responses.get(code))
        content = resp.get("content") if isinstance(resp, Mapping) else None
        if not isinstance(content, Mapping) or not content:
            types.append(NONE)
            continue
        media, media_obj = _pick_media(content)
        media_obj = media_obj if isinstance(media_obj, Mapping) else {}
        media_pointer = join_pointer(pointer, "responses", code, "content", media)
        mt = media.split(";")[0].strip().lower()
        if mt == "text/event-stream":
            kind, content_type = "sse", media
            item_schema = media_obj.get("itemSchema") or media_obj.get("schema")
            types.append(
                reg.type_of(item_schema, context + "Event", join_pointer(media_pointer, "schema"))
            )
        elif _is_json(mt):
            kind, content_type = "json", media
            types.append(
                reg.type_of(
                    media_obj.get("schema"),
                    context + "Response",
                    join_pointer(media_pointer, "schema"),
                )
            )
            example = media_obj.get("example", example)
        elif mt.startswith("text/"):
            if kind == "empty":
                kind, content_type = "text", media
            types.append(TypeRef("str"))
        else:
            if kind == "empty":
                kind, content_type = "binary", media
            types.append(TypeRef("file"))
    if kind in ("json", "sse"):
        types = [t for t in types if t.kind not in ("none", "file", "str")] or [ANY]
    t = union(types) if types else NONE
    if kind == "empty":
        t = NONE
    return Response(
        type=t, kind=kind, status_codes=tuple(codes), content_type=content_type, example=example
    )


def _pick_media(content: Mapping[str, Any]) -> tuple[str, object]:
    for media, obj in content.items():
        if _is_json(str(media).split(";")[0].strip().lower()):
            return str(media), obj
    media = next(iter(content))
    return str(media), content[media]


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json") or "json" in media.split("/")[-1]


def _mapping(value: object) -> Mapping[str, Any]:
    """`value` when it is a mapping, else an empty one (validation reports the problem)."""
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
