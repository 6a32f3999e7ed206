"""`$ref` resolution and bundling: after this stage only local `#/...` refs remain.

Why bundle instead of dereferencing everything: recursive schemas (a tree node whose
children are tree nodes) cannot be expanded, and later stages want one named model per
component anyway. So external targets are copied into `components` under a derived name and
refs are rewritten to point there; local refs are kept as refs, cycles included.

Why the path checks: a spec is untrusted input. A `$ref` must not read files outside the
spec's directory tree (`../../etc/passwd`, absolute paths, symlinks pointing out) unless the
user allowed that directory, and never fetches URLs by surprise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .diagnostics import Diagnostic, SpecError, Trail, error, join_pointer, spell
from .load import LoadedDocument, load_document, split_pointer

MAX_REF_HOPS = 64
_MISSING: Any = object()
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


@dataclass(frozen=True)
class Resolved:
    """What a `$ref` points at: the value, the (real) file it lives in and its JSON pointer."""

    value: object
    file: Path
    pointer: str


def get_pointer(data: object, pointer: str) -> object:
    """The value at `pointer` (plain or `#`-fragment form) in `data`, or `_MISSING`."""
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict):
            node = node.get(token, _MISSING)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


def is_missing(value: object) -> bool:
    """True when `get_pointer` found nothing."""
    return value is _MISSING


class Resolver:
    """Resolves `$ref` strings relative to the file they appear in, loading each file once."""

    def __init__(
        self,
        root: LoadedDocument,
        *,
        allow_external: Sequence[Path] = (),
        allow_remote: bool = False,
        loader: Callable[[Path], LoadedDocument] = load_document,
    ) -> None:
        self.root = root
        self.root_file = Path(os.path.realpath(root.path))
        self.allowed = [self.root_file.parent] + [Path(os.path.realpath(p)) for p in allow_external]
        self.allow_remote = allow_remote
        self.loader = loader
        self.documents: dict[Path, LoadedDocument] = {self.root_file: root}

    def document(self, file: Path) -> LoadedDocument:
        """The loaded document for a real path (cached; `SpecError` if it cannot load)."""
        real = Path(os.path.realpath(file))
        if real not in self.documents:
            self.documents[real] = self.loader(real)
        return self.documents[real]

    def where(self, file: Path, pointer: str) -> dict[str, Any]:
        """Diagnostic location keywords for the `$ref` at `pointer` in `file`."""
        line, col = (0, 0)
        real = Path(os.path.realpath(file))
        if real in self.documents:
            line, col = self.documents[real].source_map.locate(join_pointer(pointer, "$ref"))
        return {"file": str(file), "line": line, "col": col, "pointer": pointer}

    def resolve(self, ref: str, base_file: Path, ref_pointer: str = "") -> Resolved:
        """Resolve `ref` found at `ref_pointer` in `base_file`; `SpecError` located at the ref."""
        at = self.where(base_file, ref_pointer)
        uri, _, fragment = ref.partition("#")
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", uri):
            if uri.lower().startswith(("http://", "https://")):
                message = (
                    "remote $ref fetching is not supported yet"
                    if self.allow_remote
                    else "remote $ref not fetched; pass --allow-remote-refs"
                )
                raise SpecError([error(f"{message}: {ref}", **at)])
            raise SpecError([error(f"unsupported $ref scheme: {ref}", **at)])
        file = Path(os.path.realpath(base_file))
        if uri:
            file = self._file_for(unquote(uri), file, ref, at)
        try:
            document = self.document(file)
        except SpecError as exc:
            note = error(f"cannot load the file {ref!r} refers to", **at)
            raise SpecError([note, *exc.diagnostics]) from None
        pointer = unquote(fragment)
        if pointer and not pointer.startswith("/"):
            raise SpecError(
                [
                    error(
                        f"$ref fragment must be a JSON pointer: {ref}",
                        **at,
                        hint="write '#/components/schemas/Name'",
                    )
                ]
            )
        value = get_pointer(document.data, pointer)
        if value is _MISSING:
            raise SpecError(
                [
                    error(
                        f"$ref target not found: {ref}",
                        **at,
                        hint=f"nothing at {pointer or '/'} in {file.name}",
                    )
                ]
            )
        return Resolved(value, file, pointer)

    def _file_for(self, uri: str, base: Path, ref: str, at: dict[str, Any]) -> Path:
        if uri.startswith("file:"):
            raise SpecError([error(f"file: URIs are not followed: {ref}", **at)])
        candidate = Path(uri)
        real = Path(os.path.realpath(base.parent / candidate))
        inside = [d for d in self.allowed if real.is_relative_to(d)]
        if candidate.is_absolute() and not any(d != self.allowed[0] for d in inside):
            raise SpecError(
                [
                    error(
                        f"$ref to an absolute path is not allowed: {ref}",
                        **at,
                        hint="use a path relative to the spec, or allow its directory with "
                        "--allow-external-refs DIR",
                    )
                ]
            )
        if not inside:
            raise SpecError(
                [
                    error(
                        f"$ref leaves the spec's directory: {ref} (resolves to {real})",
                        **at,
                        hint=f"only files under {self.allowed[0]} are read; allow more directories"
                        " explicitly with --allow-external-refs DIR",
                    )
                ]
            )
        return real


def deref(data: object, node: object, *, max_hops: int = MAX_REF_HOPS) -> object:
    """Follow a chain of local `$ref`s from `node` to the first non-ref object in `data`."""
    seen: list[str] = []
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        if not ref.startswith("#"):
            raise SpecError([error(f"external $ref left after bundling: {ref}")])
        if ref in seen or len(seen) >= max_hops:
            chain = " -> ".join([*seen, ref])
            raise SpecError(
                [error(f"$ref cycle with no object in between: {chain}", pointer=seen[0][1:])]
            )
        seen.append(ref)
        node = get_pointer(data, ref)
        if node is _MISSING:
            raise SpecError([error(f"$ref target not found: {ref}", pointer=ref[1:])])
    return node


def bundle(
    resolver: Resolver, refs: list[str] | None = None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """One self-contained copy of the root document: every external `$ref` inlined into
    `components` and rewritten to a local ref; all problems returned, not raised.

    `refs`: what `local_refs` gave for the root document, when it was already walked.
    """
    return _Bundler(resolver).run(refs)


def local_refs(data: object) -> list[str] | None:
    """The pointer of every `$ref` object in `data` (the order `_Bundler` visits them in),
    or None when one of them is not a local `#...` ref (or `data` is no mapping), so the
    document needs bundling. Only containers are visited, and a pointer is spelled out
    only for a `$ref`."""
    if not isinstance(data, dict):
        return None
    refs: list[str] = []
    stack: list[tuple[object, Trail]] = [(data, None)]
    while stack:
        node, trail = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith("#"):
                    return None
                refs.append(spell(trail))
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
        self.refs: list[str] = []  # dst pointers of every $ref object in the output
        self.stack: list[_Work] = []

    def run(self, refs: list[str] | None = None) -> tuple[dict[str, Any], list[Diagnostic]]:
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
            self.refs.append(dptr)
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
        for start in self.refs:
            node = get_pointer(out, start)
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
