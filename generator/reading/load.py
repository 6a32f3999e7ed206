"""Load an OpenAPI document from disk into plain Python data, safely and with locations.

Why not `yaml.safe_load`: PyYAML implements YAML 1.1, which silently turns `on`/`yes`/`no`
into booleans, `2024-01-01` into dates, `1:20` into 80 and, worst for OpenAPI, status-code
keys `200:` into ints. OpenAPI is defined over JSON (and YAML 1.2), so we resolve plain
scalars with the YAML 1.2 core schema and keep every mapping key as its source text.

The YAML work (and the hostile-input bounds) lives in `yaml12`; this module adds file
handling (size limit, UTF-8), JSON detection by content, and the lazy `SourceMap`.

Locations are only needed for diagnostics, so `SourceMap` is lazy: the first `locate` call
re-parses the text with position recording; the happy path never pays for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sdkforge.diagnostics import Diagnostic, SpecError, error
from sdkforge.reading.lenient import tolerate
from sdkforge.reading.yaml12 import MAX_DEPTH, MAX_NODES, Builder, Pos, fail_at, kind_name


class SourceMap:
    """Maps JSON pointers into a document to 1-based (line, col), built on first use.

    Locations come from re-parsing `text` with YAML (JSON is YAML here), recording positions;
    a mapping member is located at its key, a sequence item at its first character.
    """

    def __init__(self, text: str = "", file: str = "") -> None:
        self._text = text
        self._file = file
        self._tree: Pos | None = None
        self._built = not text

    @classmethod
    def empty(cls) -> SourceMap:
        """A map that knows nothing; `locate` always answers (0, 0)."""
        return cls()

    def _build(self) -> None:
        self._built = True
        try:
            builder = Builder(
                self._text, self._file, record=True, max_nodes=MAX_NODES, max_depth=MAX_DEPTH
            )
            self._tree = builder.run()[1]
        except SpecError:
            self._tree = None
        self._text = ""  # the tree replaces it; free the text

    def locate(self, pointer: str) -> tuple[int, int]:
        """Where `pointer` (`/a/b` or `#/a/b`) is; nearest known ancestor; (0, 0) if nothing."""
        if not self._built:
            self._build()
        node = self._tree
        if node is None:
            return (0, 0)
        best = (node[0], node[1])
        for token in split_pointer(pointer):
            children = node[2]
            child: Pos | None = None
            if isinstance(children, dict):
                child = children.get(token)
            elif isinstance(children, list) and token.isdigit() and int(token) < len(children):
                child = children[int(token)]
            if child is None:
                break
            node = child
            best = (node[0], node[1])
        return best


def split_pointer(pointer: str) -> list[str]:
    """Split a JSON pointer (optionally a `#`-prefixed, percent-encoded URI fragment)."""
    if pointer.startswith("#"):
        pointer = unquote(pointer[1:])
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


@dataclass(frozen=True)
class LoadedDocument:
    """One parsed file: its data (plain dict/list/str/int/float/bool/None) and where it came from.

    `data` may share sub-objects where YAML aliases were used; treat it as read-only.
    `diagnostics` holds non-fatal load warnings (e.g. unknown YAML tags).
    """

    path: Path
    data: object
    source_map: SourceMap
    diagnostics: tuple[Diagnostic, ...] = ()


def _read_text(path: Path, max_bytes: int) -> str:
    """Read and decode as UTF-8, refusing huge or undecodable files with a located error."""
    file = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise fail_at(
                f"file is {size:,} bytes, more than the {max_bytes:,} byte limit",
                file,
                hint="the limit bounds memory and time; split the description into files "
                "referenced with $ref (each file has the same limit)",
            )
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise fail_at(f"cannot read file: {exc.strerror or exc}", file) from None
    if len(raw) > max_bytes:
        raise fail_at(f"file is larger than the {max_bytes:,} byte limit", file)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail_at("file is UTF-16 encoded", file, 1, 1, "save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        message = f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})"
        raise fail_at(message, file, line, col, "re-save the file as UTF-8") from None


def _load_json(text: str, file: str, builder: Callable[[], Builder]) -> object:
    duplicates: list[str] = []

    def pairs_hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            duplicates.extend(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        raise fail_at(f"invalid JSON: {exc.msg}", file, exc.lineno, exc.colno) from None
    except RecursionError:
        raise fail_at("JSON nested too deeply (more than ~1,000 levels)", file) from None
    except ValueError as exc:
        raise fail_at(f"invalid JSON: {exc}", file) from None
    if duplicates:
        try:  # re-parse as YAML to locate every duplicate; JSON is (nearly always) YAML
            builder().run()
        except SpecError as located:
            if all("duplicate key" in d.message for d in located.diagnostics):
                raise
        raise SpecError([error(f"duplicate key {k!r}", file=file) for k in duplicates])
    return data


#: Larger files are refused before reading. The largest public API descriptions (Microsoft
#: Graph, the Azure specs) stay well under it; a bigger file costs gigabytes and minutes.
MAX_BYTES = 64_000_000


def load_document(
    path: Path,
    *,
    max_bytes: int = MAX_BYTES,
    max_nodes: int = MAX_NODES,
    max_depth: int = MAX_DEPTH,
) -> LoadedDocument:
    """Read one JSON or YAML OpenAPI file; raise `SpecError` (located) when it is unusable.

    JSON is detected by content (first non-blank character `{` or `[`), not by extension,
    because `.yaml` files that are really JSON (and vice versa) are common.
    """
    file = str(path)
    text = _read_text(path, max_bytes)
    stripped = text.lstrip()
    if not stripped or (stripped.startswith("#") and not _has_content(text)):
        raise fail_at("file is empty", file, hint="expected an OpenAPI document ('openapi: 3.1.0')")

    def make_builder(record: bool = False) -> Builder:
        return Builder(text, file, record=record, max_nodes=max_nodes, max_depth=max_depth)

    notes: list[Diagnostic] = []
    if stripped[0] in "{[":
        data = _load_json(text, file, make_builder)
    else:
        builder = make_builder()
        data = builder.run()[0]
        notes = builder.notes
    if data is None:
        raise fail_at("file is empty", file)
    if not isinstance(data, dict):
        raise fail_at(
            f"top level is a {kind_name(data)}, not a mapping",
            file,
            1,
            1,
            "an OpenAPI document is an object with 'openapi', 'info' and 'paths'",
        )
    source_map = SourceMap(text, file)
    notes.extend(tolerate(data, source_map, file))
    return LoadedDocument(path, data, source_map, tuple(notes))


def _has_content(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())
