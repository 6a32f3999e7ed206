"""One operation → IR: its parameters, its request body and how its response is read.

Split from `build`, which decides where each operation goes (resource, method name);
everything here concerns a single operation and the schemas it touches. Degradations
become warnings with the operation's JSON pointer; nothing is dropped.

The document is plain data from sdkforge's loaders, so objects are tested with
`isinstance(x, dict)`: the `Mapping` ABC check is several times slower, and a big spec
asks it some 200,000 times.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sdkforge.apimodel import naming
from sdkforge.apimodel.choices import response_choice
from sdkforge.apimodel.ir import Field, Operation, Parameter, RequestBody, TypeRef
from sdkforge.apimodel.responses import build_response
from sdkforge.apimodel.schemas import SchemaRegistry
from sdkforge.apimodel.typerefs import ANY, as_text, union
from sdkforge.diagnostics import join_pointer, warning


def build_operation(
    reg: SchemaRegistry,
    path: str,
    method: str,
    item: Mapping[str, Any],
    op: Mapping[str, Any],
    pointer: str,
    name: str,
    default_security: tuple[tuple[str, ...], ...],
    context: str,
) -> Operation:
    """One operation as a method; `context` names its inline types (`FileCreate` →
    `FileCreateParams`, `FileCreateResponse`), as the call users read them next to."""
    taken = naming.Namespace(naming.RESERVED_ARGS)
    params = _parameters(reg, path, item, op, pointer, context, taken)
    body, body_params = _request_body(reg, op, pointer, context, taken)
    security = default_security
    if isinstance(op.get("security"), list):
        security = tuple(
            tuple(sorted(str(k) for k in req)) for req in op["security"] if isinstance(req, dict)
        )
    # Path parameters first, in path order: they are the positional arguments
    # (`client.threads.runs.retrieve(thread_id, run_id)`); then required ones.
    in_path = sorted(
        (p for p in params if p.location == "path"),
        key=lambda p: path.find("{" + p.wire_name + "}") % (len(path) + 1),
    )
    rest = sorted(
        [p for p in [*params, *body_params] if p.location != "path"], key=lambda p: not p.required
    )
    ordered = [*in_path, *rest]
    response, chunk = build_response(reg, op, pointer, context)
    flag = next((p for p in body_params if p.wire_name == "stream"), None)
    kinds = (
        {t.kind for t in (flag.type.items if flag.type.kind == "union" else (flag.type,))}
        if flag
        else set()
    )
    if not (flag and body and body.flattened and "bool" in kinds and kinds <= {"bool", "none"}):
        chunk = None  # a stream only by a boolean `stream` field of a flattened body
    elif chunk is None and response.kind == "json" and _SSE_WORDS.search(flag.description):
        # The flag says it streams server-sent events but no event schema is declared:
        # the chunks are typed as the JSON answer (so they are for OpenAI's completions).
        chunk = response.type
        reg.diagnostics.append(
            warning(
                "`stream` sends server-sent events the spec does not describe; "
                "each chunk is typed as the JSON response",
                file=reg.file,
                pointer=pointer,
            )
        )
    return Operation(
        name=name,
        http_method=method,
        path=path,
        operation_id=str(op.get("operationId") or ""),
        pointer=pointer,
        summary=as_text(op.get("summary")),
        description=as_text(op.get("description")),
        parameters=tuple(ordered),
        positional=len(in_path),
        body=body,
        response=response,
        stream_chunk=chunk,
        response_choice=response_choice(response.type, ordered, reg.models),
        security=security,
        deprecated=bool(op.get("deprecated")),
    )


_SSE_WORDS = re.compile(r"server[- ]sent events?|text/event-stream", re.IGNORECASE)


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
            if isinstance(p, dict) and isinstance(p.get("name"), str):
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
        t = reg.type_of(
            schema, context + "Params" + naming.pascal(wire), join_pointer(p_pointer, "schema")
        )
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
                description=as_text(p.get("description")),
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
    if not isinstance(raw, dict) or not isinstance(raw.get("content"), Mapping):
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
    encoding: dict[str, tuple[str, str, bool | None]] = {}
    for media in media_types:
        media_obj = content[media] if isinstance(content[media], dict) else {}
        schema = media_obj.get("schema")
        target = reg.deref(schema)
        if not (isinstance(target, dict) and reg.is_object(target)) or media.startswith(
            ("application/octet-stream", "text/")
        ):
            flattened = False
            break
        owner = reg.type_of(
            schema, context + "Params", join_pointer(body_pointer, "content", media, "schema")
        )
        body_fields = _body_fields(reg, owner, target)
        if media == media_types[0]:
            first_required = [f.wire_name for f in body_fields if f.required]
            first_required += _alternative_required(target)
        for f in body_fields:
            if f.read_only:
                continue
            is_file = _is_file(f.type)
            fields.setdefault(f.wire_name, []).append((f.type, f.required, f.description, is_file))
        enc = media_obj.get("encoding")
        if isinstance(enc, dict):
            for key, spec in enc.items():
                if not isinstance(spec, dict):
                    continue
                ctype = spec.get("contentType")
                style = spec.get("style")
                explode = spec.get("explode")
                entry = (
                    ctype.split(",")[0].strip() if isinstance(ctype, str) else "",
                    style if isinstance(style, str) else "",
                    explode if isinstance(explode, bool) else None,
                )
                if entry != ("", "", None):
                    encoding[str(key)] = entry
    if not flattened:
        types = []
        for media in media_types:
            media_obj = content[media] if isinstance(content[media], dict) else {}
            t = reg.type_of(
                media_obj.get("schema"),
                context + "Params",
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
            description=as_text(raw.get("description")),
            is_file=_is_file(t),
        )
        return RequestBody(
            tuple(media_types), False, required, description=as_text(raw.get("description"))
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
            tuple((k, *v) for k, v in sorted(encoding.items())),
            as_text(raw.get("description")),
            tuple(w for w in first_required if w in fields),
        ),
        params,
    )


def _body_fields(reg: SchemaRegistry, owner: TypeRef, schema: Mapping[str, Any]) -> list[Field]:
    """The fields a flattened body offers as arguments. An object whose `anyOf`/`oneOf`
    arms only add constraints (`anyOf: [{required: [state]}, {required: [assignees]}]`)
    is typed as a union of variants of itself; its arguments are the object's own
    properties, each required only when every variant requires it (GitHub 23's alert
    updates lost `state` and `dismissed_reason` otherwise)."""
    model = reg.models.get(owner.name) if owner.kind == "model" else None
    if model is not None:
        return list(model.fields)
    if owner.kind != "union" or not isinstance(schema.get("properties"), dict):
        return []
    arms = [reg.models.get(t.name) for t in owner.items if t.kind == "model"]
    if not arms or any(m is None for m in arms) or len(arms) != len(owner.items):
        return []
    by_wire: dict[str, Field] = {}
    for arm in arms:
        for f in arm.fields if arm else ():
            kept = by_wire.get(f.wire_name)
            by_wire[f.wire_name] = (
                f if kept is None else replace(kept, required=kept.required and f.required)
            )
    own = set(schema["properties"])
    counts = {
        w: sum(1 for arm in arms if arm and any(f.wire_name == w for f in arm.fields))
        for w in by_wire
    }
    return [
        f if counts[w] == len(arms) else replace(f, required=False)
        for w, f in by_wire.items()
        if w in own or counts[w] == len(arms)
    ]


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
            and all(isinstance(a, dict) and set(a) == {"required"} for a in alts)
        ):
            names = alts[0]["required"]
            return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
    return []


def _is_file(t: TypeRef) -> bool:
    return t.kind == "file" or (t.kind == "union" and any(m.kind == "file" for m in t.items))


def as_mapping(value: object) -> Mapping[str, Any]:
    """`value` when it is a mapping, else an empty one (validation reports the problem)."""
    return value if isinstance(value, dict) else {}
