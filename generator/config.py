"""Generation settings: `sdkforge.yaml`, `[tool.sdkforge]` in pyproject.toml, and flags.

Validated up front with messages that name the file, line and key (with a did-you-mean
for typos), because a silently ignored misspelt key is the worst kind of config bug.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from sdkforge.apimodel.frozen import BUILTINS, is_keyword
from sdkforge.apimodel.publishing import spdx
from sdkforge.configsections import (
    ClientOption,
    WebhookConfig,
    parse_client_options,
    parse_webhooks,
)
from sdkforge.diagnostics import Diagnostic, SpecError, error

_KEYS = {
    "package": "the Python package name of the generated client (e.g. openai_videos)",
    "project_name": "the distribution name in the generated pyproject.toml",
    "version": "the generated package's version (default: the spec's info.version)",
    "client_name": "the sync client class name (default: Client; async gets an Async prefix)",
    "api_key_env": "environment variable read when api_key is not passed",
    "base_url_env": "environment variable read when base_url is not passed",
    "base_url": "default base URL (default: the spec's first server)",
    "log_env": "environment variable that switches on logging (default: <PACKAGE>_LOG)",
    "operations": "mapping of 'METHOD /path' or operationId to 'resource.method' names",
    "resources": "moves and renames of resources: 'assistants: beta.assistants'",
    "methods": "renames and moves of methods: 'images.edits.create: images.edit'",
    "pagination": "per operation ('METHOD /path' or operationId): {scheme: ..., items: ...}",
    "nested_style": "nested objects and arrays in multipart/form bodies: openapi or brackets",
    "license": "the generated project's license, an SPDX expression (default: info.license)",
    "webhooks": "webhook signatures {signature, header, secret_env} and events for 3.0 specs",
    "client_options": "extra constructor arguments sent as headers: {name: {header:, env:}}",
}
PAGING_SCHEMES = ("cursor_id", "cursor", "offset", "page", "next_url", "link", "single")
PAGING_FIELDS = (
    "scheme",
    "items",
    "has_more",
    "cursor_param",
    "id_field",
    "next_cursor",
    "offset_param",
    "total",
    "page_param",
    "total_pages",
    "next_url",
)
_MAPS = {
    "operations": ("operations", "a dotted name like 'videos.edit'", 2),
    "resources": ("resources", "a dotted resource name like 'beta.assistants'", 1),
    "methods": ("methods", "a dotted name like 'images.edit'", 2),
}
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_PACKAGE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENV_KEYS = ("api_key_env", "base_url_env", "log_env")
RESERVED_CLIENT_NAMES = frozenset(
    {
        # What the package's __init__ and _client.py already define or import.
        "APIConnectionError", "APIError", "APIStatusError", "APITimeoutError",
        "AuthenticationError", "BadRequestError", "ConflictError", "InternalServerError",
        "NotFoundError", "PermissionDeniedError", "RateLimitError", "UnprocessableEntityError",
        "NOT_GIVEN", "FileTypes", "NotGiven", "Omit", "omit", "models", "Any", "Mapping",
        "TYPE_CHECKING", "AuthScheme", "SyncAPIClient", "AsyncAPIClient", "DEFAULT_BASE_URL",
        "DEFAULT_MAX_RETRIES", "cached_property", "httpx", "os", "DefaultHttpxClient",
        "DefaultAsyncHttpxClient", "InvalidWebhookSignatureError", "SDKError", "Callable",
        "Awaitable",
    }
)  # fmt: skip

_CLIENT_ARGS = frozenset(
    {
        "api_key", "base_url", "timeout", "max_retries", "default_headers", "default_query",
        "http_client", "webhook_secret", "auth", "os", "self", "username", "password",
        "client_id", "client_secret", "access_token",
    }
)  # fmt: skip
"""Constructor arguments the client already has: no client option may take one."""


@dataclass(frozen=True)
class Config:
    """Everything the user can choose; empty strings mean "derive it from the spec"."""

    package: str = ""
    project_name: str = ""
    version: str = ""
    client_name: str = "Client"
    api_key_env: str = ""
    base_url_env: str = ""
    base_url: str = ""
    log_env: str = ""
    operations: Mapping[str, str] = field(default_factory=dict)
    resources: Mapping[str, str] = field(default_factory=dict)
    """Default resource accessor (`assistants`) → where it goes (`beta.assistants`)."""
    methods: Mapping[str, str] = field(default_factory=dict)
    """Default method accessor (`images.edits.create`) → its name (`images.edit`)."""
    pagination: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Operation (`GET /things` or operationId) → how it pages (`scheme` and names)."""
    nested_style: str = "openapi"
    """`brackets`: multipart and form bodies send `a[b]=1`, `c[]=2` (form-parsing servers)."""
    license: str = ""
    """The generated project's license (a canonical SPDX expression); "" → the spec's."""
    webhooks: WebhookConfig = field(default_factory=WebhookConfig)
    """How webhook deliveries are signed, and events declared here for 3.0 specs."""
    client_options: tuple[ClientOption, ...] = ()
    """Extra constructor arguments, each sent as a header (or query) with an env default."""
    source: str = ""
    shared: bool = False
    """The config serves specs other than this one (`sdkforge diff` applies NEW's to OLD):
    an `operations:` key this spec lacks is expected, not a mistake."""
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    """Line of each entry of the maps above (`/methods/images.edits.create` → 12), for
    errors found only once the spec is read."""

    def with_overrides(self, **flags: str | None) -> Config:
        """CLI flags win over file settings; `None` means the flag was not given."""
        given: dict[str, Any] = {k: v for k, v in flags.items() if v is not None}
        return replace(self, **given)


def load_config(path: Path | None, *, required: bool = False) -> Config:
    """Read `path` (YAML, or a pyproject.toml's `[tool.sdkforge]`).

    No path, or a default location that holds no file, means the defaults; a path the user
    named (`required`) that cannot be read is an error: a typo in `--config` must not
    generate a client with none of its settings.
    """
    if path is None or (not required and not path.exists()):
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else str(exc)
        raise SpecError([error(f"cannot read the config file: {reason}", file=str(path))]) from None
    where = str(path)
    if path.suffix == ".toml":
        try:
            raw: object = tomllib.loads(text).get("tool", {}).get("sdkforge", {})
        except tomllib.TOMLDecodeError as exc:
            raise SpecError([error(f"invalid TOML: {exc}", file=where)]) from None
    else:
        try:
            raw = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            raise SpecError(
                [error(f"invalid YAML in config: {exc}", file=where, line=line)]
            ) from None
    return parse_config(raw, where, text)


def parse_config(raw: object, where: str, text: str = "") -> Config:
    """Validate a config mapping and collect every problem before failing."""
    if not isinstance(raw, Mapping):
        raise SpecError([error("the config must be a mapping of settings", file=where)])
    problems: list[Diagnostic] = []

    def line_of(key: str) -> int:
        for number, line in enumerate(text.splitlines(), 1):
            if re.match(rf"\s*['\"]?{re.escape(key)}['\"]?\s*[:=]", line):
                return number
        return 0

    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, value in raw.items():
        key = str(key)
        if key not in _KEYS:
            close = difflib.get_close_matches(key, list(_KEYS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(_KEYS)
            problems.append(
                error(
                    f"unknown config key {key!r}",
                    file=where,
                    line=line_of(key),
                    pointer=f"/{key}",
                    hint=hint,
                )
            )
            continue
        if key in _MAPS:
            section, shape, parts = _MAPS[key]
            if not isinstance(value, Mapping):
                problems.append(
                    error(
                        f"{section!r} must be a mapping ({_KEYS[key]})",
                        file=where,
                        line=line_of(key),
                        pointer=f"/{section}",
                    )
                )
                continue
            for entry, target in value.items():
                ok = isinstance(target, str) and bool(_DOTTED.match(target))
                if section != "operations":
                    ok = ok and bool(_DOTTED.match(str(entry)))
                if not ok or len(str(target).split(".")) < parts:
                    problems.append(
                        error(
                            f"{section}: {entry!r} must map to {shape}, got {target!r}",
                            file=where,
                            line=line_of(str(entry)),
                            pointer=f"/{section}/{entry}",
                        )
                    )
                lines[f"/{section}/{entry}"] = line_of(str(entry))
            values[key] = {str(k): str(v) for k, v in value.items()}
            continue
        if key == "webhooks":
            hooks = parse_webhooks(value, where, line_of)
            if isinstance(hooks, list):
                problems += hooks
            else:
                values[key] = hooks
                lines.update({f"/webhooks/events/{k}": line_of(k) for k in hooks.events})
            continue
        if key == "client_options":
            options = parse_client_options(value, where, line_of, _CLIENT_ARGS)
            if isinstance(options, list):
                problems += options
            else:
                values[key] = options
                lines.update({f"/client_options/{o.name}": line_of(o.name) for o in options})
            continue
        if key == "pagination":
            found = _pagination(value, where, line_of)
            if isinstance(found, list):
                problems += found
            else:
                values[key] = found
                lines.update({f"/pagination/{k}": line_of(k) for k in found})
            continue
        if not isinstance(value, str):
            problems.append(
                error(
                    f"{key!r} must be a string ({_KEYS[key]})",
                    file=where,
                    line=line_of(key),
                    pointer=f"/{key}",
                )
            )
            continue
        if key == "nested_style" and value not in ("openapi", "brackets"):
            problems.append(
                error(
                    f"nested_style must be 'openapi' or 'brackets', got {value!r}",
                    file=where,
                    line=line_of(key),
                    pointer="/nested_style",
                )
            )
            continue
        if key == "client_name" and not _client_name_ok(value):
            problems.append(
                error(
                    f"client_name {value!r} is not a usable class name",
                    file=where,
                    line=line_of(key),
                    pointer="/client_name",
                    hint="a Python identifier that is not a keyword, a builtin or a name the "
                    "package already exports (APIError, NotGiven, ...), e.g. 'Acme'",
                )
            )
            continue
        if key in _ENV_KEYS and not _ENV_NAME.match(value):
            problems.append(
                error(
                    f"{key} {value!r} is not an environment variable name",
                    file=where,
                    line=line_of(key),
                    pointer=f"/{key}",
                    hint="letters, digits and underscores, not starting with a digit",
                )
            )
            continue
        if key == "license":
            expression = spdx(value)
            if not expression:
                problems.append(
                    error(
                        f"license {value!r} is not an SPDX license expression",
                        file=where,
                        line=line_of(key),
                        pointer="/license",
                        hint="e.g. 'MIT', 'Apache-2.0' or 'MIT OR Apache-2.0' (spdx.org/licenses)",
                    )
                )
                continue
            value = expression
        if key == "package" and not _PACKAGE.match(value):
            problems.append(
                error(
                    f"package {value!r} is not a valid Python identifier",
                    file=where,
                    line=line_of(key),
                    pointer="/package",
                )
            )
            continue
        values[key] = value
    if problems:
        raise SpecError(problems)
    return Config(**values, source=where, lines=lines)


def _client_name_ok(name: str) -> bool:
    """A class name the generated package can define: an identifier (ASCII, as the
    package's own names are), not a keyword or builtin, not one of its runtime names, and
    leaving room for the `Async` twin."""
    return (
        bool(_PACKAGE.match(name))
        and not is_keyword(name)
        and name not in BUILTINS
        and not {name, "Async" + name} & RESERVED_CLIENT_NAMES
    )


def _pagination(
    value: object, where: str, line_of: Callable[[str], int]
) -> dict[str, dict[str, str]] | list[Diagnostic]:
    """The `pagination:` section: each entry names a scheme and only known fields."""
    if not isinstance(value, Mapping):
        return [
            error(
                "'pagination' must map operations to a scheme",
                file=where,
                line=line_of("pagination"),
            )
        ]
    out: dict[str, dict[str, str]] = {}
    problems: list[Diagnostic] = []
    for op, entry in value.items():
        pointer = f"/pagination/{op}"
        if not isinstance(entry, Mapping) or entry.get("scheme") not in PAGING_SCHEMES:
            problems.append(
                error(
                    f"pagination: {op!r} needs a scheme, one of " + ", ".join(PAGING_SCHEMES),
                    file=where,
                    line=line_of(str(op)),
                    pointer=pointer,
                )
            )
            continue
        for name in entry:
            if name not in PAGING_FIELDS:
                close = difflib.get_close_matches(str(name), PAGING_FIELDS, n=1)
                problems.append(
                    error(
                        f"pagination: {op!r} has an unknown field {name!r}",
                        file=where,
                        line=line_of(str(name)),
                        pointer=f"{pointer}/{name}",
                        hint=f"did you mean {close[0]!r}?"
                        if close
                        else "known: " + ", ".join(PAGING_FIELDS),
                    )
                )
        out[str(op)] = {str(k): str(v) for k, v in entry.items()}
    return problems or out
