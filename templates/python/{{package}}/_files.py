"""File inputs and JSON: what request bodies are made of.

Files are read into memory when a body is encoded (once, before the first attempt),
so a retry re-sends an identical body even when the caller passed a one-shot stream.
Choosing and encoding the body itself is ``_body``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from ._qs import normalize
from ._utils import is_model

__all__ = [
    "FilePart",
    "is_file_content",
    "is_file_input",
    "is_json_type",
    "json_dumps",
    "read_file_input",
]


@functools.lru_cache(maxsize=256)  # asked several times per request, of a few types
def is_json_type(media_type: str) -> bool:
    """``application/json``, ``application/vnd.x+json``, ``...; charset=utf-8`` ..."""
    mt = media_type.split(";", 1)[0].strip().lower()
    return mt == "application/json" or mt.endswith("+json") or mt == "text/json"


_NEVER_FILES = frozenset({str, int, float, bool, type(None), dict, list})


def is_file_content(value: object) -> bool:
    """Bytes, a binary file object, or a filesystem path."""
    if type(value) in _NEVER_FILES:  # exact types: skips the ABC checks on every field
        return False
    if isinstance(value, (bytes, bytearray, memoryview, os.PathLike, io.IOBase)):
        return True
    return callable(getattr(value, "read", None)) and not isinstance(value, (str, Mapping))


def is_file_input(value: object) -> bool:
    """A ``FileTypes`` value: file content or ``(filename, content[, mime])``."""
    if isinstance(value, tuple):
        parts = cast("tuple[object, ...]", value)
        return len(parts) in (2, 3) and is_file_content(parts[1])
    return is_file_content(value)


@dataclass(frozen=True)
class FilePart:
    filename: str | None
    content: bytes
    content_type: str | None


def _read(content: object) -> tuple[bytes, str | None]:
    """Read content fully; a seekable stream is put back where it was."""
    if isinstance(content, (bytes, bytearray)):
        return bytes(content), None
    if isinstance(content, memoryview):
        return cast("memoryview[int]", content).tobytes(), None
    if isinstance(content, os.PathLike):
        path = str(os.fspath(cast("os.PathLike[str]", content)))
        with open(path, "rb") as fh:
            return fh.read(), os.path.basename(path)
    stream: Any = content
    start: int | None = None
    if getattr(stream, "seekable", lambda: False)():
        start = stream.tell()
    data: Any = stream.read()
    if start is not None:
        stream.seek(start)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    name = getattr(stream, "name", None)
    return raw, os.path.basename(name) if isinstance(name, str) and name else None


def read_file_input(value: object) -> FilePart:
    """Normalize any ``FileTypes`` value, keeping the file's own name when it has one."""
    if isinstance(value, tuple):
        parts = cast("tuple[str | None, object, str | None]", (*value, None)[:3])
        data, own_name = _read(parts[1])
        return FilePart(parts[0] if parts[0] is not None else own_name, data, parts[2])
    data, own_name = _read(value)
    return FilePart(own_name, data, None)


def _json_default(value: object) -> object:
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if is_model(value):
        return normalize(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def json_dumps(value: object) -> bytes:
    """Compact UTF-8 JSON; models are dumped by alias without unset fields."""
    if is_file_content(value):
        raise TypeError("file content cannot be sent in a JSON body")
    text = json.dumps(
        normalize(value), default=_json_default, separators=(",", ":"), ensure_ascii=False
    )
    return text.encode("utf-8")
