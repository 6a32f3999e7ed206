"""`$ref` resolution: what a reference names, in which file, and whether it may be read.

Why the path checks: a spec is untrusted input. A `$ref` must not read files outside the
spec's directory tree (`../../etc/passwd`, absolute paths, symlinks pointing out) unless the
user allowed that directory, and never fetches URLs by surprise. Bundling (`bundle`) uses
this to make one self-contained document.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sdkforge.diagnostics import SpecError, error, join_pointer
from sdkforge.reading.load import LoadedDocument, load_document, split_pointer

MAX_REF_HOPS = 64
_MISSING: Any = object()


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
