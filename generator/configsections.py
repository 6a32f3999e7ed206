"""The structured config sections `webhooks:` and `client_options:`, validated.

Kept apart from `config.py` (the flat keys and the name maps) because each section has
its own small grammar; every problem is a diagnostic naming the file, line and JSON
pointer of the entry, and all of them are reported at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sdkforge.apimodel.frozen import BUILTINS, is_keyword
from sdkforge.diagnostics import Diagnostic, error

LineOf = Callable[[str], int]

SIGNATURE_SCHEMES = ("standard", "hmac_sha256_hex")
_WEBHOOK_FIELDS = {
    "signature": "standard (Standard Webhooks, the default) or hmac_sha256_hex (GitHub's)",
    "header": "the signature header of hmac_sha256_hex (default X-Hub-Signature-256)",
    "prefix": "what precedes the hex digest in that header (default 'sha256=')",
    "secret_env": "environment variable read when no secret is given (<PACKAGE>_WEBHOOK_SECRET)",
    "discriminator": "the event field whose value names the event (default: type)",
    "events": "event name -> '#/components/schemas/Name' (for 3.0 specs without `webhooks`)",
}
_OPTION_FIELDS = {
    "header": "the request header the value is sent in",
    "query": "the query parameter the value is sent in (instead of a header)",
    "env": "environment variable read when the option is not passed",
    "description": "one line for the constructor's docstring and the README",
}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_SCHEMA_REF = re.compile(r"^#/components/schemas/[^/]+$")


@dataclass(frozen=True)
class WebhookConfig:
    """`webhooks:`: how deliveries are signed, and events a 3.0 spec cannot declare."""

    signature: str = "standard"
    header: str = "X-Hub-Signature-256"
    prefix: str = "sha256="
    secret_env: str = ""
    discriminator: str = "type"
    events: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientOption:
    """One `client_options:` entry: a constructor argument sent as a header or query."""

    name: str
    header: str = ""
    query: str = ""
    env: str = ""
    description: str = ""


def _problem(message: str, where: str, line: int, pointer: str, hint: str = "") -> Diagnostic:
    return error(message, file=where, line=line, pointer=pointer, hint=hint)


def _unknown(key: str, known: Mapping[str, str], where: str, line: int, pointer: str) -> Diagnostic:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else "known: " + ", ".join(known)
    return _problem(f"unknown field {key!r}", where, line, pointer, hint)


def parse_webhooks(value: object, where: str, line_of: LineOf) -> WebhookConfig | list[Diagnostic]:
    """The `webhooks:` section, or every problem in it."""
    if not isinstance(value, Mapping):
        return [_problem("'webhooks' must be a mapping", where, line_of("webhooks"), "/webhooks")]
    problems: list[Diagnostic] = []
    out: dict[str, object] = {}
    for raw_key, item in value.items():
        key, pointer = str(raw_key), f"/webhooks/{raw_key}"
        if key not in _WEBHOOK_FIELDS:
            problems.append(_unknown(key, _WEBHOOK_FIELDS, where, line_of(key), pointer))
        elif key == "events":
            events = _events(item, where, line_of)
            if isinstance(events, list):
                problems += events
            else:
                out[key] = events
        elif not isinstance(item, str) or not item:
            problems.append(
                _problem(
                    f"webhooks.{key} must be a string ({_WEBHOOK_FIELDS[key]})",
                    where,
                    line_of(key),
                    pointer,
                )
            )
        elif key == "signature" and item not in SIGNATURE_SCHEMES:
            problems.append(
                _problem(
                    f"webhooks.signature must be one of {', '.join(SIGNATURE_SCHEMES)}, "
                    f"got {item!r}",
                    where,
                    line_of(key),
                    pointer,
                )
            )
        elif key in ("secret_env", "discriminator") and not _NAME.match(item):
            problems.append(
                _problem(
                    f"webhooks.{key} {item!r} is not a valid name",
                    where,
                    line_of(key),
                    pointer,
                    "letters, digits and underscores, not starting with a digit",
                )
            )
        elif key == "header" and not _HEADER.match(item):
            problems.append(
                _problem(
                    f"webhooks.header {item!r} is not an HTTP header name",
                    where,
                    line_of(key),
                    pointer,
                )
            )
        else:
            out[key] = item
    if problems:
        return problems
    return WebhookConfig(**out)  # type: ignore[arg-type]


def _events(value: object, where: str, line_of: LineOf) -> dict[str, str] | list[Diagnostic]:
    if not isinstance(value, Mapping):
        return [
            _problem(
                "webhooks.events must map event names to '#/components/schemas/Name'",
                where,
                line_of("events"),
                "/webhooks/events",
            )
        ]
    problems = [
        _problem(
            f"webhooks.events: {name!r} must map to '#/components/schemas/Name', got {ref!r}",
            where,
            line_of(str(name)),
            f"/webhooks/events/{name}",
        )
        for name, ref in value.items()
        if not isinstance(ref, str) or not _SCHEMA_REF.match(ref)
    ]
    return problems or {str(k): str(v) for k, v in value.items()}


def parse_client_options(
    value: object, where: str, line_of: LineOf, reserved: frozenset[str]
) -> tuple[ClientOption, ...] | list[Diagnostic]:
    """The `client_options:` section (argument name → where it goes), or its problems."""
    if not isinstance(value, Mapping):
        return [
            _problem(
                "'client_options' must map argument names to {header: ..., env: ...}",
                where,
                line_of("client_options"),
                "/client_options",
            )
        ]
    problems: list[Diagnostic] = []
    options: list[ClientOption] = []
    for raw_name, entry in value.items():
        name, pointer = str(raw_name), f"/client_options/{raw_name}"
        line = line_of(name)
        if not _NAME.match(name) or is_keyword(name) or name in BUILTINS or name in reserved:
            problems.append(
                _problem(
                    f"client_options: {name!r} cannot be a constructor argument",
                    where,
                    line,
                    pointer,
                    "a Python identifier that is not a keyword, a builtin "
                    "or one of the client's own arguments (api_key, base_url, timeout...)",
                )
            )
            continue
        if not isinstance(entry, Mapping):
            problems.append(
                _problem(
                    f"client_options: {name!r} must be a mapping with a header or query",
                    where,
                    line,
                    pointer,
                )
            )
            continue
        fields: dict[str, str] = {}
        for raw_key, item in entry.items():
            key = str(raw_key)
            if key not in _OPTION_FIELDS:
                problems.append(
                    _unknown(key, _OPTION_FIELDS, where, line_of(key), f"{pointer}/{key}")
                )
            elif not isinstance(item, str) or not item:
                problems.append(
                    _problem(
                        f"client_options: {name}.{key} must be a non-empty string",
                        where,
                        line_of(key),
                        f"{pointer}/{key}",
                    )
                )
            else:
                fields[key] = item
        if ("header" in fields) == ("query" in fields):
            problems.append(
                _problem(
                    f"client_options: {name!r} needs exactly one of header or query",
                    where,
                    line,
                    pointer,
                )
            )
        elif "header" in fields and not _HEADER.match(fields["header"]):
            problems.append(
                _problem(
                    f"client_options: {name}.header {fields['header']!r} is not an HTTP "
                    "header name",
                    where,
                    line,
                    f"{pointer}/header",
                )
            )
        elif "env" in fields and not _NAME.match(fields["env"]):
            problems.append(
                _problem(
                    f"client_options: {name}.env {fields['env']!r} is not an environment "
                    "variable name",
                    where,
                    line,
                    f"{pointer}/env",
                )
            )
        else:
            options.append(ClientOption(name=name, **fields))
    return problems or tuple(options)
