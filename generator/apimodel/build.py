"""Bundled document → IR (`Api`).

The decisions about the generated surface as a whole are made here, as data: which
resource and method each operation becomes, the package, servers and security; what one
operation's method takes and returns is `operations`. Every degradation becomes a
warning with its JSON pointer; no operation is ever dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.apimodel import naming
from generator.apimodel.ir import (
    Api,
    Operation,
    Resource,
)
from generator.apimodel.operations import as_mapping, build_operation
from generator.apimodel.schemas import SchemaRegistry
from generator.apimodel.security import build_security
from generator.apimodel.typerefs import as_text
from generator.config import Config
from generator.diagnostics import Diagnostic, join_pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class _ResourceNode:
    name: str
    operations: list[Operation] = field(default_factory=list)
    children: dict[str, _ResourceNode] = field(default_factory=dict)
    method_names: naming.Namespace = field(
        default_factory=lambda: naming.Namespace(naming.RESERVED_METHODS)
    )


def build_api(
    doc: Mapping[str, Any], config: Config, file: str = ""
) -> tuple[Api, list[Diagnostic]]:
    """Turn a bundled OpenAPI 3.x document into the IR, with warnings for degradations."""
    registry = SchemaRegistry(doc, file)
    registry.build_components()
    info = as_mapping(doc.get("info"))
    title = str(info.get("title") or "API")
    package = config.package or naming.module_name(title)
    schemes, default_security, sec_diags = build_security(doc, package, config, file)
    roots: dict[str, _ResourceNode] = {}
    seen_ids: set[str] = set()
    paths = as_mapping(doc.get("paths"))
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
                build_operation(
                    registry, str(path), method, item, op, pointer, name, default_security
                )
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
        children=tuple(_freeze(child, here, {}, modules) for child in node.children.values()),
        description=tag_docs.get(node.name, ""),
    )
