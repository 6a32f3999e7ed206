"""Bundled document → IR (`Api`).

The decisions about the generated surface as a whole are made here, as data: which
resource and method each operation becomes, the package, servers and security; what one
operation's method takes and returns is `operations`. Every degradation becomes a
warning with its JSON pointer; no operation is ever dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sdkforge.apimodel import moves, naming, pagination, surface
from sdkforge.apimodel.errors import error_envelope
from sdkforge.apimodel.identity import short_name
from sdkforge.apimodel.ir import (
    Api,
    ClientOption,
    Operation,
    Resource,
    SecurityScheme,
)
from sdkforge.apimodel.operations import as_mapping, build_operation
from sdkforge.apimodel.publishing import publishing
from sdkforge.apimodel.responses import response_lists
from sdkforge.apimodel.schemas import SchemaRegistry
from sdkforge.apimodel.security import build_security
from sdkforge.apimodel.typerefs import as_text
from sdkforge.apimodel.webhooks import build_webhooks
from sdkforge.config import Config
from sdkforge.diagnostics import Diagnostic, SpecError, error, join_pointer, warning

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class _ResourceNode:
    name: str
    operations: list[Operation] = field(default_factory=list)
    children: dict[str, _ResourceNode] = field(default_factory=dict)


def build_api(
    doc: Mapping[str, Any], config: Config, file: str = ""
) -> tuple[Api, list[Diagnostic]]:
    """Turn a bundled OpenAPI 3.x document into the IR, with warnings for degradations."""
    registry = SchemaRegistry(doc, file)
    registry.build_components()
    info = as_mapping(doc.get("info"))
    title = str(info.get("title") or "API")
    package = config.package or short_name(title, doc.get("servers"))
    found = list(_operations(registry, doc, config))
    endpoints = [e for *_, e in found]
    placed, surface_diags = surface.place(endpoints, package)
    placed, config_problems = moves.apply(placed, endpoints, config)
    if config_problems:
        raise SpecError(config_problems)
    placed, verb_diags = _clear_client_verbs(placed, endpoints, file)
    top = {trail[0] for trail, _ in placed if trail}
    schemes, default_security, sec_diags = build_security(doc, package, config, file, top)
    published, publishing_diags = publishing(doc, config.license, file)
    roots: dict[str, _ResourceNode] = {}
    contexts = naming.Namespace(naming.RESERVED_CLASS_NAMES)
    paging_problems: list[Diagnostic] = []
    used_keys: set[str] = set()

    def _config_key(
        entries: Mapping[str, object], method: str, path: str, op: Mapping[str, Any]
    ) -> str:
        """The config key naming this operation (`GET /things` or its operationId)."""
        for key in (f"{method.upper()} {path}", str(op.get("operationId") or "")):
            if key in entries:
                used_keys.add(key)
                return key
        return ""

    for (path, method, item, op, pointer, _), (trail, name) in zip(found, placed, strict=True):
        node = _node_for(roots, list(trail))
        # Inline types are named for the call they belong to (`FileListResponse`).
        short = naming.pascal(surface.singular(trail[-1]) + " " + name)
        full = naming.pascal(" ".join([*(surface.singular(t) for t in trail), name]))
        context = contexts.claim(short, full)
        built = build_operation(
            registry, path, method, item, op, pointer, name, default_security, context
        )
        key = _config_key(config.pagination, method, path, op)
        paged, problem = pagination.paging(registry, built, op, config.pagination.get(key))
        if problem:
            paging_problems.append(_paging_problem(config, key, problem))
        node.operations.append(replace(built, pagination=paged))
    unused = sorted(set(config.pagination) - used_keys)
    if unused:  # the keys a config may use, listed only for the did-you-mean
        keys = moves.operation_keys(endpoints)
        paging_problems += [
            moves.unknown_entry(config, "pagination", k, "operation", keys) for k in unused
        ]
    if paging_problems:
        raise SpecError(paging_problems)
    servers = doc.get("servers")
    base_url = config.base_url or _server_url(servers)
    tag_docs = _tag_descriptions(doc.get("tags"))
    # The client's classes come first: `_client.py` imports every top-level resource class
    # beside them (client_name `Videos` and a `videos` resource: `VideosResource`).
    client = config.client_name
    modules = naming.Namespace({"__init__", f"class:{client}", f"class:Async{client}"})
    if client.startswith("Async"):
        modules.claim("class:" + client.removeprefix("Async"))  # its own Async twin
    resources = tuple(_freeze(node, (), tag_docs, modules) for node in roots.values())
    _check_options(config, top, schemes)
    envelope, error_fields = error_envelope(registry, doc)
    webhooks, hook_diags = build_webhooks(registry, doc, config, package, schemes, top)
    if any(d.severity == "error" for d in hook_diags):
        raise SpecError([d for d in hook_diags if d.severity == "error"])
    api = Api(
        package=package,
        project_name=config.project_name or package.strip("_").replace("_", "-"),
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
        nested_style="brackets" if config.nested_style == "brackets" else "openapi",
        license=published.license,
        project_urls=published.urls,
        webhooks=webhooks,
        error_envelope=envelope,
        error_fields=error_fields,
        client_options=tuple(
            ClientOption(o.name, o.header, o.query, o.env, o.description)
            for o in config.client_options
        ),
    )
    diags = registry.diagnostics + surface_diags + verb_diags + sec_diags + hook_diags
    diags += publishing_diags
    return api, diags


CLIENT_VERBS = frozenset({"get", "post", "put", "patch", "delete"})
"""The client's own HTTP verbs (`client.get(path, cast_to=...)`): no resource takes them."""


def _clear_client_verbs(
    placed: list[tuple[tuple[str, ...], str]], endpoints: list[surface.Endpoint], file: str
) -> tuple[list[tuple[tuple[str, ...], str]], list[Diagnostic]]:
    """A top-level resource named like a client verb gets a `_` (`client.delete_`)."""
    out: list[tuple[tuple[str, ...], str]] = []
    diags: list[Diagnostic] = []
    for (trail, name), endpoint in zip(placed, endpoints, strict=True):
        if trail and trail[0] in CLIENT_VERBS:
            if not any(d.message.startswith(f"resource {trail[0]!r}") for d in diags):
                diags.append(
                    warning(
                        f"resource {trail[0]!r} would hide the client's own "
                        f"client.{trail[0]}(path, ...); it is client.{trail[0]}_",
                        file=file,
                        pointer=endpoint.pointer,
                    )
                )
            trail = (trail[0] + "_", *trail[1:])
        out.append((trail, name))
    return out, diags


def _check_options(
    config: Config, resources: set[str], schemes: tuple[SecurityScheme, ...]
) -> None:
    """A client option may not take the name of a resource or a credential argument."""
    taken = resources | {a for s in schemes for a in s.args}
    problems = [
        error(
            f"client_options: {o.name!r} is already the client's "
            + ("resource" if o.name in resources else "credential argument")
            + f" client.{o.name}",
            file=config.source,
            line=config.lines.get(f"/client_options/{o.name}", 0),
            pointer=f"/client_options/{o.name}",
            hint="choose another argument name",
        )
        for o in config.client_options
        if o.name in taken
    ]
    if problems:
        raise SpecError(problems)


def _paging_problem(config: Config, key: str, why: str) -> Diagnostic:
    return error(
        f"pagination: {key!r} cannot apply: {why}",
        file=config.source,
        line=config.lines.get(f"/pagination/{key}", 0),
        pointer=f"/pagination/{key}",
        hint="keys are 'METHOD /path' or an operationId of a list operation",
    )


def _operations(
    registry: SchemaRegistry, doc: Mapping[str, Any], config: Config
) -> Iterator[tuple[str, str, Mapping[str, Any], Mapping[str, Any], str, surface.Endpoint]]:
    """Every operation in spec order: `(path, method, path item, operation, pointer, how
    naming sees it)`."""
    seen_ids: set[str] = set()
    for path, raw_item in as_mapping(doc.get("paths")).items():
        # A path item may be a `$ref` to another path item (3.1, or local in 3.0).
        item = registry.deref(raw_item)
        if not isinstance(item, Mapping):
            continue
        path_pointer = join_pointer("#/paths", path)
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            op_id = op.get("operationId")
            if isinstance(op_id, str) and op_id in seen_ids:
                op = {k: v for k, v in op.items() if k != "operationId"}  # duplicate: use the path
            seen_ids.add(str(op_id))
            yield (
                str(path),
                method,
                item,
                op,
                join_pointer(path_pointer, method),
                _endpoint(registry, str(path), method, op, config),
            )


def _endpoint(
    registry: SchemaRegistry, path: str, method: str, op: Mapping[str, Any], config: Config
) -> surface.Endpoint:
    """What naming needs of an operation, with the config's and the spec's explicit names."""
    op_id = op.get("operationId")
    fixed = None
    for key in (f"{method.upper()} {path}", str(op_id) if op_id else None):
        if key and key in config.operations:
            parts = [naming.attr_name(part) for part in config.operations[key].split(".")]
            fixed = (tuple(parts[:-1]), parts[-1])
            break
    tags = op.get("tags")
    group, name = surface.from_extensions(op)
    return surface.Endpoint(
        method=method,
        path=path,
        pointer=join_pointer("#/paths", path, method),
        operation_id=str(op_id) if isinstance(op_id, str) else "",
        summary=as_text(op.get("summary")),
        tag=str(tags[0]) if isinstance(tags, list) and tags and isinstance(tags[0], str) else "",
        lists=response_lists(registry, op, path),
        group=group,
        name=name,
        fixed=fixed,
    )


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
            out.setdefault(naming.attr_name(name), as_text(tag.get("description")))
    return out


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
    base_class = naming.resource_class_name(here)
    class_name = modules.claim("class:" + base_class, "class:" + base_class + "Resource")[6:]
    return Resource(
        name=node.name,
        class_name=class_name,
        module=module,
        operations=tuple(node.operations),
        children=tuple(_freeze(child, here, tag_docs, modules) for child in node.children.values()),
        description=tag_docs.get(node.name, ""),
    )
