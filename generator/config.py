"""Generation settings: `sdkforge.yaml`, `[tool.sdkforge]` in pyproject.toml, and flags.

Validated up front with messages that name the file, line and key (with a did-you-mean
for typos), because a silently ignored misspelt key is the worst kind of config bug.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, SpecError, error

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
}
_MAPS = {
    "operations": ("operations", "a dotted name like 'videos.edit'", 2),
    "resources": ("resources", "a dotted resource name like 'beta.assistants'", 1),
    "methods": ("methods", "a dotted name like 'images.edit'", 2),
}
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_PACKAGE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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
    source: str = ""
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    """Line of each entry of the maps above (`/methods/images.edits.create` → 12), for
    errors found only once the spec is read."""

    def with_overrides(self, **flags: str | None) -> Config:
        """CLI flags win over file settings; `None` means the flag was not given."""
        given: dict[str, Any] = {k: v for k, v in flags.items() if v is not None}
        return replace(self, **given)


def load_config(path: Path | None) -> Config:
    """Read `path` (YAML, or a pyproject.toml's `[tool.sdkforge]`); a missing path → defaults."""
    if path is None or not path.exists():
        return Config()
    text = path.read_text(encoding="utf-8")
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
