"""Request bodies: choosing the media type and encoding JSON, form, multipart, raw, text.

Every body is encoded to ``bytes`` exactly once, before the first attempt, so retries
resend identical bytes. Form and multipart bodies follow the spec's per-property
``encoding`` (contentType, style, explode) when generated code passes it, and the
``nested_style`` switch: ``"brackets"`` sends nested objects and arrays the way form
parsers (and the official OpenAI SDK) expect, ``expires_after[anchor]=created_at``,
``include[]=logprobs``.
"""

from __future__ import annotations

import enum
import mimetypes
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast
from urllib.parse import quote

from ._files import is_file_input, is_json_type, json_dumps, read_file_input
from ._qs import encode_form, normalize, query_fragments, to_text
from ._types import NestedStyle, NotGiven, Omit, PartEncoding
from ._utils import is_dict, is_list, is_mapping, is_model

__all__ = ["EncodedBody", "encode_body", "encode_multipart"]

MULTIPART = "multipart/form-data"
FORM = "application/x-www-form-urlencoded"
OCTET = "application/octet-stream"

Part = tuple[str, str | None, str | None, bytes]
"""``(name, filename, content_type, data)`` of one multipart part."""


def _quote_param(text: str) -> str:
    # WHATWG form-data rules: quotes and line breaks are percent-encoded.
    return text.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")


def encode_multipart(parts: Sequence[Part], boundary: str | None = None) -> tuple[bytes, str]:
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


def _file_part(name: str, value: object, types: Sequence[str]) -> Part:
    part = read_file_input(value)
    filename = part.filename or "upload"
    guessed = mimetypes.guess_type(filename)[0]
    ctype = part.content_type or _specific(types) or guessed or OCTET
    return name, filename, ctype, part.content


def _leaf(value: object) -> object:
    return value if is_file_input(value) else normalize(value)


def _nested(name: str, value: object, list_suffix: str) -> list[tuple[str, object]]:
    """``a[b][c]=v`` pairs; arrays add ``list_suffix`` (``"[]"``, or ``""`` to repeat)."""
    if is_file_input(value):
        return [(name, value)]
    if is_model(value) or isinstance(value, enum.Enum):
        value = normalize(value)
    if is_mapping(value):
        return [
            pair
            for k, v in value.items()
            if v is not None and not isinstance(v, (NotGiven, Omit))
            for pair in _nested(f"{name}[{k}]", v, list_suffix)
        ]
    if isinstance(value, (list, tuple)):
        items = cast("Sequence[object]", value)
        return [
            p for v in items if v is not None for p in _nested(name + list_suffix, v, list_suffix)
        ]
    return [(name, _leaf(value))]


def _styled(name: str, value: object, enc: PartEncoding) -> list[tuple[str, object]]:
    """Pairs for a property with an explicit ``style``/``explode`` (like a query parameter)."""
    style = enc.style or "form"
    explode = enc.explode if enc.explode is not None else style == "form"
    plain = value if is_file_input(value) else normalize(value)
    if style == "deepObject" and is_dict(plain):
        return _nested(name, plain, "")
    delim = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    if is_list(plain):
        if explode:
            return [(name, _leaf(v)) for v in plain]
        return [(name, delim.join(to_text(v) for v in plain))]
    if is_dict(plain):
        if explode:
            return [(k, v) for k, v in plain.items()]
        return [(name, delim.join(to_text(x) for pair in plain.items() for x in pair))]
    return [(name, plain)]


def _encoding(value: str | PartEncoding | None) -> PartEncoding:
    if isinstance(value, PartEncoding):
        return value
    return PartEncoding(content_type=value or "")


def _text_parts(pairs: list[tuple[str, object]], types: Sequence[str]) -> list[Part]:
    return [
        _file_part(k, v, types) if is_file_input(v) else (k, None, None, to_text(v).encode())
        for k, v in pairs
    ]


def _multipart(
    fields: Mapping[str, object],
    encoding: Mapping[str, str | PartEncoding],
    nested_style: NestedStyle,
) -> tuple[bytes, str]:
    parts: list[Part] = []
    for name, value in fields.items():
        if value is None:
            continue
        enc = _encoding(encoding.get(name))
        types = [t.strip() for t in enc.content_type.split(",") if t.strip()]
        if enc.style or enc.explode is not None:
            parts.extend(_text_parts(_styled(name, value, enc), types))
            continue
        if is_file_input(value):
            parts.append(_file_part(name, value, types))
            continue
        if is_list(value) and value and all(is_file_input(v) for v in value):
            key = name + "[]" if nested_style == "brackets" else name
            parts.extend(_file_part(key, v, types) for v in value)
            continue
        plain = normalize(value)
        if is_dict(plain) or is_list(plain):
            json_types = [t for t in types if is_json_type(t)]
            if nested_style == "brackets" and not json_types:
                parts.extend(_text_parts(_nested(name, value, "[]"), types))
                continue
            if types and not json_types and is_list(plain):
                # Encoding asks for non-JSON: repeat the field, one text part per item.
                parts.extend((name, None, None, to_text(v).encode()) for v in plain)
                continue
            ctype = json_types[0] if json_types else "application/json"
            parts.append((name, None, ctype, json_dumps(plain)))
        else:
            parts.append((name, None, _specific(types), to_text(plain).encode("utf-8")))
    return encode_multipart(parts)


def _form(
    fields: Mapping[str, object],
    encoding: Mapping[str, str | PartEncoding],
    nested_style: NestedStyle,
) -> bytes:
    if not encoding and nested_style == "openapi":
        return encode_form(fields).encode("ascii")
    fragments: list[str] = []
    for name, value in fields.items():
        if value is None:
            continue
        enc = _encoding(encoding.get(name))
        if enc.style or enc.explode is not None:
            pairs = _styled(name, value, enc)
        elif nested_style == "brackets":
            pairs = _nested(name, value, "[]")
        else:
            fragments.extend(query_fragments({name: value})[name])
            continue
        fragments.extend(f"{quote(k, safe='[]')}={quote(to_text(v), safe='')}" for k, v in pairs)
    return "&".join(fragments).encode("ascii")


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
    multipart_encoding: Mapping[str, str | PartEncoding] | None = None,
    nested_style: NestedStyle = "openapi",
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
        encoding = multipart_encoding or {}
        if media == MULTIPART or media.startswith(MULTIPART):
            return EncodedBody(*_multipart(fields, encoding, nested_style))
        if media == FORM:
            return EncodedBody(_form(fields, encoding, nested_style), FORM)
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
