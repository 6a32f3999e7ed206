"""Seeded mistakes in the OpenAI docs' Python examples, for typecheck.py.

Five kinds, each a one-token edit a type checker should catch, made where a snippet talks
to the client: a misspelled keyword argument of a client call (`modle=`), an invalid enum
value (`"role": "usre"`; only strings that are enum values somewhere in the spec), a
misspelled key in a dict literal passed to a client call (`{"roel": ...}`), a misspelled
attribute read from what a client call returned (`completion.choicse`), and an int where a
string literal went (`model=123`). Misspelling swaps the last two letters (or doubles the
last when they are equal), so the result is never the original.

Derivation is deterministic: every candidate of a kind is ranked by a hash of (kind,
snippet number, line, column), the first per snippet are taken, up to `per_kind`.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from _oaiexamples import CLIENT_NAMES, Snippet

KINDS = ("keyword", "literal", "nested_key", "attribute", "int_for_str")
HEADINGS = {
    "keyword": "misspelled keyword",
    "literal": "invalid literal",
    "nested_key": "misspelled key in nested dict",
    "attribute": "wrong attribute",
    "int_for_str": "int for str",
}


@dataclass(frozen=True)
class Mutant:
    """One snippet with one seeded mistake on `line` (1-based)."""

    kind: str
    snippet: Snippet
    line: int
    col: int
    before: str
    after: str
    code: str

    @property
    def name(self) -> str:
        return f"mu_{self.kind}_{self.snippet.number:04d}_{self.line}_{self.col}"


@dataclass(frozen=True)
class _Edit:
    line: int
    col: int
    end: int
    before: str
    after: str


def misspell(word: str) -> str:
    if len(word) >= 2 and word[-1] != word[-2]:
        return word[:-2] + word[-1] + word[-2]
    return word + (word[-1:] or "x")


def enum_strings(doc: Any) -> set[str]:
    """Every string value of an `enum` anywhere in the spec."""
    out: set[str] = set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            values = node.get("enum")
            if isinstance(values, list):
                out.update(v for v in values if isinstance(v, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


def _chain_root(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_client_call(node: ast.AST, clients: set[str]) -> bool:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    return _chain_root(node.func) in clients


def _str_constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _quoted(value: str) -> str:
    text = repr(value)
    return '"' + text[1:-1] + '"' if text.startswith("'") and '"' not in value else text


def _edits(tree: ast.Module, enums: set[str]) -> Iterator[tuple[str, _Edit]]:
    clients = set(CLIENT_NAMES)
    for node in ast.walk(tree):  # names bound to a client: `client = OpenAI()`
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Name) and func.id in ("OpenAI", "AsyncOpenAI"):
                clients |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    calls = [n for n in ast.walk(tree) if _is_client_call(n, clients)]
    results: set[str] = set()
    for node in ast.walk(tree):
        value = getattr(node, "value", None) if isinstance(node, ast.Assign) else None
        if isinstance(node, (ast.For, ast.AsyncFor)):
            value = node.iter
        if isinstance(value, ast.Await):
            value = value.value
        if value is not None and any(value is c or _contains(value, c) for c in calls):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            results |= {t.id for t in targets if isinstance(t, ast.Name)}
    for call in calls:
        for kw in call.keywords:
            if kw.arg is not None:
                after = misspell(kw.arg)
                yield (
                    "keyword",
                    _Edit(kw.lineno, kw.col_offset, kw.col_offset + len(kw.arg), kw.arg, after),
                )
                if _str_constant(kw.value):
                    yield "int_for_str", _constant_edit(kw.value, "123")
        for sub in ast.walk(call):
            if isinstance(sub, ast.Dict):
                for key, value in zip(sub.keys, sub.values, strict=True):
                    if key is not None and _str_constant(key):
                        assert isinstance(key, ast.Constant)
                        yield "nested_key", _constant_edit(key, _quoted(misspell(key.value)))
                    if _str_constant(value):
                        yield "int_for_str", _constant_edit(value, "123")
            enum = isinstance(sub, ast.Constant) and _str_constant(sub) and sub.value in enums
            if enum and isinstance(sub, ast.Constant) and not _is_dict_key(call, sub):
                yield "literal", _constant_edit(sub, _quoted(misspell(sub.value)))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
            continue
        if _chain_root(node) in results and node.lineno == node.end_lineno:
            end = node.end_col_offset or 0
            start = end - len(node.attr)
            yield "attribute", _Edit(node.lineno, start, end, node.attr, misspell(node.attr))


def _contains(tree: ast.AST, node: ast.AST) -> bool:
    return any(n is node for n in ast.walk(tree))


def _is_dict_key(tree: ast.AST, node: ast.AST) -> bool:
    return any(isinstance(d, ast.Dict) and any(k is node for k in d.keys) for d in ast.walk(tree))


def _constant_edit(node: ast.Constant, after: str) -> _Edit:
    if node.lineno != node.end_lineno:
        return _Edit(0, 0, 0, "", "")  # a multi-line string: skipped
    return _Edit(node.lineno, node.col_offset, node.end_col_offset or 0, repr(node.value), after)


def _apply(code: str, edit: _Edit) -> str:
    lines = code.split("\n")
    line = lines[edit.line - 1]
    encoded = line.encode("utf-8")  # ast columns are UTF-8 byte offsets
    new = encoded[: edit.col] + edit.after.encode("utf-8") + encoded[edit.end :]
    lines[edit.line - 1] = new.decode("utf-8")
    return "\n".join(lines)


def mutants(snippets: list[Snippet], enums: set[str], per_kind: int = 40) -> list[Mutant]:
    """Up to `per_kind` mutants of each kind, one per snippet first, deterministically."""
    ranked: dict[str, list[tuple[str, Mutant]]] = {k: [] for k in KINDS}
    for sn in snippets:
        try:
            tree = ast.parse(sn.code)
        except SyntaxError:
            continue
        seen: set[tuple[str, int, int]] = set()
        for kind, edit in _edits(tree, enums):
            if edit.line == 0 or (kind, edit.line, edit.col) in seen:
                continue
            seen.add((kind, edit.line, edit.col))
            key = hashlib.sha256(f"{kind}|{sn.number}|{edit.line}|{edit.col}".encode()).hexdigest()
            code = _apply(sn.code, edit)
            mutant = Mutant(kind, sn, edit.line, edit.col, edit.before, edit.after, code)
            ranked[kind].append((key, mutant))
    out: list[Mutant] = []
    for kind in KINDS:
        items = sorted(ranked[kind], key=lambda kv: kv[0])
        chosen: list[Mutant] = []
        used: set[int] = set()
        for _, m in items:  # first pass: one per snippet
            if len(chosen) < per_kind and m.snippet.number not in used:
                chosen.append(m)
                used.add(m.snippet.number)
        for _, m in items:  # then fill
            if len(chosen) < per_kind and m not in chosen:
                chosen.append(m)
        out.extend(chosen)
    return out
