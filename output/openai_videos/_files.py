"""File inputs and request-body encoding (JSON, multipart, form, raw, text).

Every body is encoded to ``bytes`` exactly once, before the first attempt:
files are read into memory then, so a retry re-sends an identical body even
when the caller passed a one-shot stream.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import json
import mimetypes
import os
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from ._qs import encode_form, normalize, to_text
from ._types import NotGiven, Omit
from ._utils import is_dict, is_list, is_mapping, is_model

__all__ = [
    "EncodedBody",
    "FilePart",
    "encode_body",
    "encode_multipart",
    "is_file_content",
    "is_file_input",
    "json_dumps",
    "read_file_input",
]

MULTIPART = "multipart/form-data"
FORM = "application/x-www-form-urlencoded"
OCTET = "application/octet-stream"


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


def _quote_param(text: str) -> str:
    # WHATWG form-data rules: quotes and line breaks are percent-encoded.
    return text.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")


def encode_multipart(
    parts: Sequence[tuple[str, str | None, str | None, bytes]],
    boundary: str | None = None,
) -> tuple[bytes, str]:
    """Encode ``(name, filename, content_type, data)`` parts as multipart/form-data."""
    boundary = boundary or secrets.token_hex(16)
    out = bytearray()
    for name, filename, content_type, data in parts:
        disposition = f'form-data; name="{_quote_param(name)}"'
        if filename is not None:
            disposition += f'; filename="{_quote_param(filename)}"'
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        if content_type:
            out += f"Content-Type: {content_type}\r\n".encode()
        out += b"\r\n" + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"{MULTIPART}; boundary={boundary}"


def _specific(types: Sequence[str]) -> str | None:
    """A concrete non-JSON media type from a spec ``encoding`` list, if any."""
    for t in types:
        if not is_json_type(t) and "*" not in t and t != OCTET:
            return t
    return None


def _file_part(
    name: str, value: object, types: Sequence[str]
) -> tuple[str, str | None, str | None, bytes]:
    part = read_file_input(value)
    filename = part.filename or "upload"
    guessed = mimetypes.guess_type(filename)[0]
    ctype = part.content_type or _specific(types) or guessed or OCTET
    return name, filename, ctype, part.content


def _multipart(fields: Mapping[str, object], encoding: Mapping[str, str]) -> tuple[bytes, str]:
    parts: list[tuple[str, str | None, str | None, bytes]] = []
    for name, value in fields.items():
        if value is None:
            continue
        types = [t.strip() for t in encoding.get(name, "").split(",") if t.strip()]
        if is_file_input(value):
            parts.append(_file_part(name, value, types))
            continue
        if is_list(value) and value and all(is_file_input(v) for v in value):
            parts.extend(_file_part(name, v, types) for v in value)
            continue
        plain = normalize(value)
        if is_dict(plain) or is_list(plain):
            json_types = [t for t in types if is_json_type(t)]
            if types and not json_types and is_list(plain):
                # Encoding asks for non-JSON: repeat the field, one text part per item.
                parts.extend((name, None, None, to_text(v).encode()) for v in plain)
                continue
            ctype = json_types[0] if json_types else "application/json"
            parts.append((name, None, ctype, json_dumps(plain)))
        else:
            parts.append((name, None, _specific(types), to_text(plain).encode("utf-8")))
    return encode_multipart(parts)


def _holds_file(value: object) -> bool:
    """A file, or a non-empty list of files (sent as repeated parts, like `files[]`)."""
    if is_list(value) and value:
        return all(is_file_input(v) for v in value)
    return is_file_input(value)


@dataclass(frozen=True)
class EncodedBody:
    content: bytes | None
    content_type: str | None


def _pick(content_types: Sequence[str], *, has_file: bool) -> str:
    offered = list(content_types)
    if has_file:
        for t in offered:
            if t.lower().startswith(MULTIPART):
                return MULTIPART
        if offered and all(is_json_type(t) or t == FORM for t in offered):
            raise TypeError("this operation does not accept file uploads; pass a JSON value")
    for t in offered:
        if is_json_type(t):
            return t
    return offered[0] if offered else "application/json"


def encode_body(
    body: object,
    *,
    extra_body: object = None,
    content_types: Sequence[str] = (),
    file_fields: Sequence[str] = (),
    multipart_encoding: Mapping[str, str] | None = None,
) -> EncodedBody:
    """Choose the media type among ``content_types`` and encode ``body`` to bytes.

    A dict body is an object of top-level fields (``NOT_GIVEN`` dropped); JSON is
    preferred unless a file is present, then multipart. Anything else is a raw
    body: files/bytes go as-is, ``str`` as text when text is offered, else JSON.
    ``file_fields`` names the fields the spec declares as binary; every field is
    inspected anyway (a file can also come through ``extra_body``).
    """
    if is_model(body):
        body = normalize(body)  # a model body is an object body: extra_body can merge
    if isinstance(body, NotGiven):
        if extra_body is None:
            return EncodedBody(None, None)
        body = extra_body
    elif extra_body is not None:
        if not (is_mapping(body) and is_mapping(extra_body)):
            raise TypeError("extra_body can only be merged into an object body")
        body = {**body, **extra_body}
    if is_mapping(body):
        fields = {str(k): v for k, v in body.items() if not isinstance(v, (NotGiven, Omit))}
        # Every field is looked at, not only the declared file fields: a file passed
        # through `extra_body` or an untyped field must still go as multipart.
        has_file = any(_holds_file(v) for v in fields.values())
        media = _pick(content_types, has_file=has_file)
        if media == MULTIPART or media.startswith(MULTIPART):
            return EncodedBody(*_multipart(fields, multipart_encoding or {}))
        if media == FORM:
            return EncodedBody(encode_form(fields).encode("ascii"), FORM)
        return EncodedBody(json_dumps(fields), media if is_json_type(media) else "application/json")
    if is_file_input(body):
        raw = [t for t in content_types if not is_json_type(t) and not t.startswith(MULTIPART)]
        media = raw[0] if raw and "*" not in raw[0] else OCTET
        return EncodedBody(read_file_input(body).content, media)
    if isinstance(body, str) and any(t.startswith("text/") for t in content_types):
        media = next(t for t in content_types if t.startswith("text/"))
        return EncodedBody(body.encode("utf-8"), media)
    json_media = next((t for t in content_types if is_json_type(t)), "application/json")
    return EncodedBody(json_dumps(body), json_media)
