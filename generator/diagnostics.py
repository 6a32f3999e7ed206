"""Diagnostics: every problem the generator reports, as data.

Stages never print; they return or raise `Diagnostic`s so the CLI can show all of them at
once (several problems per run, not one) with file, line and JSON pointer, and so tests can
assert on them without parsing text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a diagnostic is: errors stop generation, warnings only degrade it."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input, located as precisely as the stage that found it can.

    `pointer` is a JSON pointer into the document named by `file`; `line`/`col` are 1-based
    and 0 when unknown (for example for a document that could not be parsed at all).
    """

    severity: Severity
    message: str
    file: str = ""
    line: int = 0
    col: int = 0
    pointer: str = ""
    hint: str = ""
    rule: str = ""
    """A stable id for a tolerated deviation (`status-range-case`, ...): a warning that
    says which reading sdkforge chose for something the spec wrote unconventionally."""

    def format(self) -> str:
        """Render as `file:line:col: severity: message (at pointer)` plus an indented hint."""
        where = self.file or "<spec>"
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        label = self.severity.value + (f"[{self.rule}]" if self.rule else "")
        text = f"{where}: {label}: {self.message}"
        if self.pointer:
            text += f" (at {self.pointer})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_json(self) -> dict[str, object]:
        """A plain dict for `--json` output."""
        return {
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "pointer": self.pointer,
            "hint": self.hint,
            "rule": self.rule,
        }


@dataclass
class SpecError(Exception):
    """Raised when the input cannot be turned into a client; carries every error found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


def error(message: str, **where: object) -> Diagnostic:
    """Shorthand for an error diagnostic (keyword args as in `Diagnostic`)."""
    return Diagnostic(Severity.ERROR, message, **where)  # type: ignore[arg-type]


def warning(message: str, **where: object) -> Diagnostic:
    """Shorthand for a warning diagnostic (keyword args as in `Diagnostic`)."""
    return Diagnostic(Severity.WARNING, message, **where)  # type: ignore[arg-type]


def escape_pointer_token(token: str) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`)."""
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: str | int) -> str:
    """Append tokens to a JSON pointer, escaping each.

    Called for every node of a big spec (200,000 times for OpenAI's), so the common
    token (a plain key or an index) skips the escaping.
    """
    for token in tokens:
        text = token if type(token) is str else str(token)
        if "~" in text or "/" in text:
            text = escape_pointer_token(text)
        base = f"{base}/{text}"
    return base


Trail = tuple["Trail", str] | None
"""Where a walk is, as a chain of (parent trail, token); None is the document root.

Whole-document walks (every `$ref`, every schema) visit a million nodes of a big spec
and need a pointer for a few thousand of them, so they carry a trail (one small tuple per
container) and spell the pointer only when they report or keep it."""


def spell(trail: Trail, *tokens: str | int) -> str:
    """The JSON pointer of `trail`, with `tokens` appended."""
    parts: list[str] = []
    while trail is not None:
        trail, token = trail
        parts.append(token)
    parts.reverse()
    return join_pointer("", *parts, *tokens)
