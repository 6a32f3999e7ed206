"""OpenAPI parameter serialization (path, query, header, cookie).

Generated code describes each parameter with a :class:`Param` and hands the
values to the client; this module turns them into wire text following the
OpenAPI 3.x ``style``/``explode`` rules. Every value is percent-encoded before
delimiters are added, so a value can never inject ``/``, ``?``, ``&`` or ``=``.

Choices where the specification is silent:

* ``None`` is sent as an *empty* value (``?name=``, ``;name``, empty header);
  use ``NOT_GIVEN`` (or leave the argument out) to omit a parameter.
* Booleans are ``true``/``false``; dates are ISO 8601; enums send ``.value``;
  models are dumped by alias; nested objects inside a flat style become JSON.
* ``deepObject`` recurses (``a[b][c]=1``) and repeats the key for arrays.
* ``allowReserved`` keeps ``:/?@!$'()*,;[]`` literal but still encodes ``&=#+``
  so a value cannot split the query string.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import quote

from ._types import NotGiven, Omit, Param
from ._utils import is_dict, is_list, is_mapping, is_model

__all__ = ["EncodedParams", "encode_form", "encode_params", "format_path", "query_fragments"]

_RESERVED_SAFE = ":/?@!$'()*,;[]"
_DELIMITERS = {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "%7C"}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass
class EncodedParams:
    """Wire-ready pieces of a request produced from ``Param`` values."""

    path: dict[str, str] = field(default_factory=lambda: {})
    query: dict[str, list[str]] = field(default_factory=lambda: {})
    """Top-level parameter name -> encoded ``k=v`` fragments (lets extra_query replace a key)."""
    headers: dict[str, str] = field(default_factory=lambda: {})
    cookies: list[str] = field(default_factory=lambda: [])


_PLAIN = frozenset({str, int, float, bool, type(None)})


def normalize(value: object) -> object:
    """Reduce models, enums, mappings and tuples to plain dict/list/scalars."""
    kind = type(value)
    if kind in _PLAIN:  # exact types: a str-valued Enum is not plain
        return value
    if kind is dict or is_mapping(value):  # a dict skips the ABC check; models are not mappings
        items = cast("Mapping[object, object]", value).items()
        return {str(k): normalize(v) for k, v in items if not isinstance(v, NotGiven)}
    if is_model(value):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, enum.Enum):
        return normalize(value.value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [normalize(v) for v in cast("Iterable[object]", value)]
    return value


def to_text(value: object) -> str:
    """The textual form of one (normalized) scalar."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _enc_path(text: str) -> str:
    encoded = quote(text, safe="")
    # "." and ".." would be collapsed by URL normalisation and change the route.
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def _enc_query(allow_reserved: bool) -> Callable[[str], str]:
    safe = _RESERVED_SAFE if allow_reserved else ""
    return lambda text: quote(text, safe=safe)


def _enc_header(text: str) -> str:
    if "\r" in text or "\n" in text:
        raise ValueError("header parameter values must not contain line breaks")
    return text


def _pairs(value: dict[str, object], enc: Callable[[str], str]) -> list[tuple[str, str]]:
    return [(enc(k), enc(to_text(v))) for k, v in value.items()]


def _simple_family(
    name: str, value: object, style: str, explode: bool, enc: Callable[[str], str]
) -> str:
    """simple / label / matrix styles (path and header parameters)."""
    prefix = {"label": ".", "matrix": ";"}.get(style, "")
    sep = "." if style == "label" and explode else ";" if style == "matrix" and explode else ","
    if is_list(value):
        items = [enc(to_text(v)) for v in value]
        if style == "matrix":
            if explode:
                return "".join(f";{name}={i}" for i in items)
            return f";{name}=" + ",".join(items)
        return prefix + sep.join(items)
    if is_dict(value):
        pairs = _pairs(value, enc)
        if explode:
            return prefix + sep.join(f"{k}={v}" for k, v in pairs)
        flat = ",".join(x for pair in pairs for x in pair)
        return f";{name}={flat}" if style == "matrix" else prefix + flat
    text = enc(to_text(value))
    if style == "matrix":
        return f";{name}={text}" if text else f";{name}"
    return prefix + text


def _deep_object(prefix: str, value: object, enc: Callable[[str], str]) -> list[str]:
    if is_dict(value):
        out: list[str] = []
        for k, v in value.items():
            out.extend(_deep_object(f"{prefix}[{enc(str(k))}]", v, enc))
        return out
    if is_list(value):
        return [f"{prefix}={enc(to_text(v))}" for v in value]
    return [f"{prefix}={enc(to_text(value))}"]


def _query_family(
    name: str, value: object, style: str, explode: bool, enc: Callable[[str], str]
) -> list[str]:
    """form / spaceDelimited / pipeDelimited / deepObject (query and cookie parameters)."""
    key = enc(name)
    if style == "deepObject" and is_dict(value):
        return _deep_object(key, value, enc)
    delim = _DELIMITERS.get(style, ",")
    if is_list(value):
        items = [enc(to_text(v)) for v in value]
        if explode:
            return [f"{key}={i}" for i in items]
        return [f"{key}={delim.join(items)}"]
    if is_dict(value):
        pairs = _pairs(value, enc)
        if explode:
            return [f"{k}={v}" for k, v in pairs]
        return [f"{key}={delim.join(x for pair in pairs for x in pair)}"]
    return [f"{key}={enc(to_text(value))}"]


def encode_params(params: Sequence[tuple[Param, object]]) -> EncodedParams:
    """Serialize every given parameter; ``NOT_GIVEN`` values are skipped."""
    out = EncodedParams()
    for param, raw in params:
        if isinstance(raw, (NotGiven, Omit)):
            continue
        value = normalize(raw)
        loc = param.location
        default_style = "form" if loc in ("query", "cookie") else "simple"
        style = param.style or default_style
        explode = param.explode if param.explode is not None else style == "form"
        if loc == "path":
            if value == "":
                raise ValueError(f"Expected a non-empty value for `{param.name}` but received ''")
            out.path[param.name] = _simple_family(param.name, value, style, explode, _enc_path)
        elif loc == "header":
            out.headers[param.name] = _simple_family(
                param.name, value, "simple", explode, _enc_header
            )
        elif loc == "cookie":
            out.cookies.extend(_query_family(param.name, value, "form", False, _enc_path))
        else:
            enc = _enc_query(param.allow_reserved)
            out.query[param.name] = _query_family(param.name, value, style, explode, enc)
    return out


def format_path(template: str, values: Mapping[str, str]) -> str:
    """Substitute already-encoded values into ``/things/{thing_id}``."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ValueError(f"Missing required path parameter `{name}`")
        return values[name]

    return _PLACEHOLDER.sub(replace, template)


def query_fragments(mapping: Mapping[str, object]) -> dict[str, list[str]]:
    """Encode ``default_query``/``extra_query`` (form, exploded; objects as deepObject).

    ``Omit`` values map to an empty list, which the caller uses to drop a key.
    """
    out: dict[str, list[str]] = {}
    enc = _enc_query(False)
    for name, raw in mapping.items():
        if isinstance(raw, NotGiven):
            continue
        if isinstance(raw, Omit):
            out[name] = []
            continue
        value = normalize(raw)
        style = "deepObject" if is_dict(value) else "form"
        out[name] = _query_family(name, value, style, True, enc)
    return out


def encode_form(mapping: Mapping[str, object]) -> str:
    """``application/x-www-form-urlencoded`` body text (None values omitted)."""
    fragments = query_fragments({k: v for k, v in mapping.items() if v is not None})
    return "&".join(f for frags in fragments.values() for f in frags)
