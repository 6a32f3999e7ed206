"""The Python examples of the OpenAI API reference, read from the OpenAI spec.

Each operation of `openai.yaml` may carry `x-oaiMeta.examples`: one `{request, response}`
mapping or a list of `{title, request, response}`; `request.python` is a snippet written
for the official `openai` package. accessors.py compares the accessor each example calls
with sdkforge's; examples.py runs every snippet unchanged. Both read them from here.

The accessor a snippet calls is found with `ast`: every call whose callee is an attribute
chain on `client` (or on the module `openai`, whose module-level client one example uses),
with `with_raw_response` / `with_streaming_response` taken out; when a snippet makes several
such calls (`GET /chat/completions/{id}` first lists, then retrieves) the last one in source
order is the operation's own.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import HTTP_METHODS, SHARED_SPECS, load_spec

OPENAI_SPEC = SHARED_SPECS / "openai.yaml"
CLIENT_NAMES = ("client", "openai")
WRAPPERS = ("with_raw_response", "with_streaming_response")


@dataclass(frozen=True)
class Snippet:
    """One Python example of one operation."""

    number: int  # 1-based, in spec order: a stable name for the snippet in tables
    method: str  # upper case
    path: str
    operation_id: str
    title: str
    code: str
    calls: tuple[str, ...] = ()  # accessors called, in source order, without `client.`

    @property
    def operation(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Operation:
    """An operation with at least one Python example."""

    method: str
    path: str
    operation_id: str
    snippets: list[Snippet] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def official(self) -> str:
        """The accessor its examples call (the most common primary call; ties: first seen)."""
        primaries = [s.calls[-1] for s in self.snippets if s.calls]
        if not primaries:
            return ""
        counts = Counter(primaries)
        return max(primaries, key=lambda a: (counts[a], -primaries.index(a)))


def _chain(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def client_calls(code: str) -> tuple[str, ...]:
    """Accessors called on the client, in source order: `client.beta.threads.runs.list(...)`
    → `beta.threads.runs.list` (wrappers such as `with_streaming_response` dropped)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return ()
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        chain = _chain(node.func)
        if not chain or chain[0] not in CLIENT_NAMES or len(chain) < 3:
            continue
        rest = [p for p in chain[1:] if p not in WRAPPERS]
        found.append((node.lineno, node.col_offset, ".".join(rest)))
    return tuple(a for _, _, a in sorted(found))


def without_beta(accessor: str) -> str:
    """The comparison ignores the official SDK's `beta.` namespace (on either side)."""
    return accessor[len("beta.") :] if accessor.startswith("beta.") else accessor


def _examples(op: dict[str, Any]) -> list[tuple[str, str]]:
    """(title, python code) of an operation's examples."""
    meta = op.get("x-oaiMeta")
    examples = meta.get("examples") if isinstance(meta, dict) else None
    items = examples if isinstance(examples, list) else [examples] if examples else []
    out: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        request = item.get("request")
        code = request.get("python") if isinstance(request, dict) else None
        codes = code if isinstance(code, list) else [code]
        title = str(item.get("title") or "Default")
        out += [(title, c) for c in codes if isinstance(c, str) and c.strip()]
    return out


def load_operations(spec: Path = OPENAI_SPEC) -> list[Operation]:
    """Every operation with a Python example, in spec order, each with its snippets."""
    doc = load_spec(spec)
    operations: list[Operation] = []
    number = 0
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method, op in item.items():  # the spec's own order
            if method not in HTTP_METHODS or not isinstance(op, dict):
                continue
            found = _examples(op)
            if not found:
                continue
            entry = Operation(method.upper(), str(path), str(op.get("operationId") or ""))
            for title, code in found:
                number += 1
                entry.snippets.append(
                    Snippet(
                        number,
                        entry.method,
                        entry.path,
                        entry.operation_id,
                        title,
                        code,
                        client_calls(code),
                    )
                )
            operations.append(entry)
    return operations
