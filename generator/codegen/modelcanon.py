"""A model module's statements cleared of what it inherits from the other models of its call.

datamodel-code-generator writes one module for every model it is given at once, and two of
its decisions there depend on all of them. Our model modules are cut from that output
(`modelsplit`), and which other models share a call depends on the run: a small spec is one
call, a big one is split into chunks by the number of cores, and a warm run generates only
what the cache misses, with its context. So a module's text would depend on the machine and
on the cache (codat's `assess`: `date as date_aliased` cold, `date` warm), unless both
decisions are made again for the module alone:

- `X.model_rebuild()` after a class that is alone in its module and does not refer to
  itself: the call needed it because a class it refers to came later in the one module;
  ours imports those classes before the class is defined, so it is never needed.
- `from datetime import date as date_aliased`: the call aliases an import when any field
  of any of its models is named like it (`date: date` would shadow the type in the class
  body). A module none of whose own fields has the name gets the plain import back.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

_ALIASED = re.compile(r"(\w+)_aliased\d*")


def needless_rebuild(stmt: ast.stmt, members: set[str], self_referring: set[str]) -> bool:
    """Whether `stmt` is an `X.model_rebuild()` that the module of `members` does not need."""
    if not (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and stmt.value.func.attr == "model_rebuild"
        and isinstance(stmt.value.func.value, ast.Name)
        and not stmt.value.args
        and not stmt.value.keywords
    ):
        return False
    name = stmt.value.func.value.id
    return members == {name} and name not in self_referring


def field_names(stmts: list[ast.stmt]) -> set[str]:
    """The names of the fields the classes among `stmts` declare."""
    return {
        node.target.id
        for stmt in stmts
        if isinstance(stmt, ast.ClassDef)
        for node in stmt.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }


def needless_aliases(imports: dict[str, str], used: set[str], fields: set[str]) -> dict[str, str]:
    """`{alias: name}` for the aliased imports among `used` that no field of the module
    shadows (`date_aliased` → `date` when no field is named `date`)."""
    out: dict[str, str] = {}
    for alias in used:
        line = imports.get(alias, "")
        match = _ALIASED.fullmatch(alias)
        name = match.group(1) if match else ""
        if (
            name
            and line.endswith(f" import {name} as {alias}")
            and name not in fields
            and name not in imports
        ):
            out[alias] = name
    return out


def plain_import(line: str, alias: str) -> str:
    """`from m import x as x_aliased` → `from m import x`."""
    return line.removesuffix(f" as {alias}")


def renamed(stmt: ast.stmt, lines: list[str], renames: dict[str, str]) -> list[str]:
    """Rename names in a statement: its tree in place (for the layout) and its source lines
    (where the layout keeps them as written), code tokens only, never text in strings."""
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and node.id in renames:
            node.id = renames[node.id]
    text = "".join(lines)
    found = [
        tok
        for tok in tokenize.generate_tokens(io.StringIO(text).readline)
        if tok.type == tokenize.NAME and tok.string in renames
    ]
    out = list(lines)
    for tok in reversed(found):  # from the end, so earlier positions stay valid
        row, col = tok.start
        line = out[row - 1]
        out[row - 1] = line[:col] + renames[tok.string] + line[col + len(tok.string) :]
    return out
