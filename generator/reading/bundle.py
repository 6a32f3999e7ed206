"""Bundling: one self-contained document, in which only local `#/...` refs remain.

Why bundle instead of dereferencing everything: recursive schemas (a tree node whose
children are tree nodes) cannot be expanded, and later stages want one named model per
component anyway. So external targets are copied into `components` under a derived name and
refs are rewritten to point there; local refs are kept as refs, cycles included. A document
with local refs only (nearly every big spec) is its own bundle and is not copied.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sdkforge.diagnostics import Diagnostic, SpecError, Trail, error, join_pointer, spell
from sdkforge.reading.load import split_pointer
from sdkforge.reading.resolve import MAX_REF_HOPS, Resolved, Resolver, get_pointer, is_missing

_SCHEMA_KEYS = frozenset(
    {
        "schema",
        "schemas",
        "properties",
        "items",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "additionalProperties",
        "definitions",
        "$defs",
        "patternProperties",
        "prefixItems",
        "contains",
        "if",
        "then",
        "else",
        "dependentSchemas",
    }
)
_SECTION_BY_PARENT = {
    "parameters": "parameters",
    "responses": "responses",
    "headers": "headers",
    "examples": "examples",
    "links": "links",
    "callbacks": "callbacks",
    "securitySchemes": "securitySchemes",
    "requestBodies": "requestBodies",
}


def bundle(
    resolver: Resolver, refs: list[Ref] | None = None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """One self-contained copy of the root document: every external `$ref` inlined into
    `components` and rewritten to a local ref; all problems returned, not raised.

    `refs`: what `local_refs` gave for the root document, when it was already walked.
    """
    return _Bundler(resolver).run(refs)


Ref = tuple[str, str | None]
"""A `$ref` object in the bundle: its pointer, and its `$ref` string when already known."""


def local_refs(data: object) -> list[Ref] | None:
    """The pointer of every `$ref` object in `data` (the order `_Bundler` visits them in),
    or None when one of them is not a local `#...` ref (or `data` is no mapping), so the
    document needs bundling. Only containers are visited, and a pointer is spelled out
    only for a `$ref`."""
    if not isinstance(data, dict):
        return None
    refs: list[Ref] = []
    stack: list[tuple[object, Trail]] = [(data, None)]
    while stack:
        node, trail = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith("#"):
                    return None
                refs.append((spell(trail), ref))
            children = [(v, (trail, k)) for k, v in node.items() if isinstance(v, (dict, list))]
        elif isinstance(node, list):
            children = [
                (v, (trail, str(i))) for i, v in enumerate(node) if isinstance(v, (dict, list))
            ]
        else:
            continue
        children.reverse()
        stack.extend(children)
    return refs


def _section_for(dst_pointer: str) -> str:
    """Which `components` section a ref at `dst_pointer` belongs in ("" = inline it)."""
    tokens = split_pointer(dst_pointer)
    if len(tokens) == 2 and tokens[0] in ("paths", "webhooks"):
        return ""
    if len(tokens) == 3 and tokens[0] == "components" and tokens[1] != "pathItems":
        return tokens[1]
    if any(t in _SCHEMA_KEYS for t in tokens):
        return "schemas"
    if tokens and tokens[-1] == "requestBody":
        return "requestBodies"
    if len(tokens) >= 2 and tokens[-2] in _SECTION_BY_PARENT:
        return _SECTION_BY_PARENT[tokens[-2]]
    return "schemas"


_Work = tuple[object, Any, Any, Path, str, str]  # src, parent, key, base file, src ptr, dst ptr


class _Bundler:
    def __init__(self, resolver: Resolver) -> None:
        self.r = resolver
        self.diagnostics: list[Diagnostic] = []
        self.inlined: dict[tuple[Path, str], str] = {}
        self.added: dict[str, dict[str, object]] = {}
        self.taken: set[tuple[str, str]] = set()
        components = get_pointer(resolver.root.data, "/components")
        if isinstance(components, dict):
            for section, entries in components.items():
                if isinstance(entries, dict):
                    self.taken.update((section, name) for name in entries)
        self.refs: list[Ref] = []  # every $ref object in the output
        self.stack: list[_Work] = []

    def run(self, refs: list[Ref] | None = None) -> tuple[dict[str, Any], list[Diagnostic]]:
        root = self.r.root.data
        local = refs if refs is not None else local_refs(root)
        if local is not None and isinstance(root, dict):
            # Nothing to inline or rewrite: the root document already is its own bundle.
            # (Later stages only read it; a copy would cost a second walk of every node.)
            self.refs = local
            self._check_chains(root)
            return root, self.diagnostics
        holder: dict[str, Any] = {}
        self.stack.append((self.r.root.data, holder, "root", self.r.root_file, "", ""))
        while self.stack:
            self._step(*self.stack.pop())
        out: dict[str, Any] = holder["root"]
        if self.added:
            components = out.setdefault("components", {})
            for section, entries in self.added.items():
                components.setdefault(section, {}).update(entries)
        self._check_chains(out)
        return out, self.diagnostics

    def _step(self, src: object, parent: Any, key: Any, base: Path, sptr: str, dptr: str) -> None:
        if isinstance(src, list):
            parent[key] = dst_list = [None] * len(src)
            for i in reversed(range(len(src))):
                self.stack.append((src[i], dst_list, i, base, f"{sptr}/{i}", f"{dptr}/{i}"))
            return
        if not isinstance(src, dict):
            parent[key] = src
            return
        ref = src.get("$ref")
        items: list[tuple[str, object, Path, str]] = [(k, v, base, sptr) for k, v in src.items()]
        if isinstance(ref, str):
            self.refs.append((dptr, None))  # its string may still be rewritten
            if base != self.r.root_file or not ref.startswith("#"):
                items = self._rewrite(ref, items, base, sptr, dptr)
        parent[key] = dst = dict.fromkeys(k for k, *_ in items)
        for k, v, item_base, item_sptr in reversed(items):
            if k == "$ref" and isinstance(v, str):
                dst[k] = v
            else:
                child_sptr = join_pointer(item_sptr, k)
                self.stack.append((v, dst, k, item_base, child_sptr, join_pointer(dptr, k)))

    def _rewrite(
        self, ref: str, items: list[tuple[str, object, Path, str]], base: Path, sptr: str, dptr: str
    ) -> list[tuple[str, object, Path, str]]:
        """Point an external ref at its bundled copy (or inline a path item)."""
        try:
            target = self.r.resolve(ref, base, sptr)
        except SpecError as exc:
            self.diagnostics.extend(exc.diagnostics)
            return items
        siblings = [item for item in items if item[0] != "$ref"]
        section = _section_for(dptr)
        if target.file == self.r.root_file:
            local = "#" + target.pointer
        elif not section:  # path items cannot live in components in 3.0: inline them
            self.refs.pop()
            return self._inline_path_item(target, siblings, base, sptr)
        else:
            local = self._inline(target, section)
        return [("$ref", local, base, sptr), *siblings]

    def _inline_path_item(
        self, target: Resolved, items: list[tuple[str, object, Path, str]], base: Path, sptr: str
    ) -> list[tuple[str, object, Path, str]]:
        """Replace a path-item `$ref` by the target's members (following chains, bounded)."""
        seen: set[tuple[Path, str]] = set()
        where = self.r.where(base, sptr)
        while True:
            if (target.file, target.pointer) in seen or len(seen) > MAX_REF_HOPS:
                self.diagnostics.append(
                    error("path item $ref cycle with no object in between", **where)
                )
                return items
            seen.add((target.file, target.pointer))
            value = target.value if isinstance(target.value, dict) else {}
            own = [(k, v, target.file, target.pointer) for k, v in value.items() if k != "$ref"]
            items = own + [item for item in items if item[0] not in value]
            nested = value.get("$ref")
            if not isinstance(nested, str):
                return items
            try:
                target = self.r.resolve(nested, target.file, target.pointer)
            except SpecError as exc:
                self.diagnostics.extend(exc.diagnostics)
                return items

    def _inline(self, target: Resolved, section: str) -> str:
        """Copy an external target into components once; return its local ref."""
        key = (target.file, target.pointer)
        if key in self.inlined:
            return self.inlined[key]
        tokens = split_pointer(target.pointer)
        if len(tokens) == 3 and tokens[0] == "components":
            section = tokens[1]
        raw = tokens[-1] if tokens else target.file.stem
        name = re.sub(r"[^A-Za-z0-9._-]", "_", raw) or "Inlined"
        unique, n = name, 1
        while (section, unique) in self.taken:
            n += 1
            unique = f"{name}_{n}"
        self.taken.add((section, unique))
        local = "#" + join_pointer("/components", section, unique)
        self.inlined[key] = local
        entries = self.added.setdefault(section, {})
        self.stack.append((target.value, entries, unique, target.file, target.pointer, local[1:]))
        return local

    def _check_chains(self, out: dict[str, Any]) -> None:
        """Report `$ref` cycles that never reach an object (a -> b -> a), once per cycle."""
        good: set[str] = set()
        for start, known in self.refs:
            node = {"$ref": known} if known is not None else get_pointer(out, start)
            seen: list[str] = [start]
            while isinstance(node, dict) and isinstance(node.get("$ref"), str):
                ref: str = node["$ref"]
                if not ref.startswith("#"):
                    break
                pointer = unquote(ref[1:])
                if pointer in good:
                    break
                if pointer in seen or len(seen) > MAX_REF_HOPS:
                    loop = seen[seen.index(pointer) :] if pointer in seen else seen
                    chain = " -> ".join("#" + p for p in [*loop, pointer])
                    what = (
                        "cycle with no object in between" if pointer in seen else "chain too long"
                    )
                    # Located in the root file when the ref is one of its own (bundled
                    # copies of other files' refs only have the pointer).
                    in_root = not is_missing(get_pointer(self.r.root.data, loop[0]))
                    where = (
                        self.r.where(self.r.root_file, loop[0])
                        if in_root
                        else {"file": str(self.r.root_file), "pointer": loop[0]}
                    )
                    self.diagnostics.append(
                        error(
                            f"$ref {what}: {chain}",
                            **where,
                            hint="one of these must be a schema (or other object), not a $ref",
                        )
                    )
                    break
                seen.append(pointer)
                node = get_pointer(out, pointer)
            good.update(seen)
