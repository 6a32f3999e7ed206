"""Black on the few statements of a model module that its layout check cannot vouch for.

`model_in_black_layout` rebuilds a model (or params) module in black's layout (the
statement rules are `blackcheck`'s) and compares it line for line; one statement it did
not know sent the whole module to black. Specs with long names fail it on a statement or
two: loket.nl sent 455 of its 5,150 model modules and 596 params modules through black
whole (4.5-6 CPU s for 1.3 MB), for an import of a module whose name does not fit (`from
.very_long_module import (`, which black leaves long), an aliased import (`from datetime
import date as date_aliased`), a class header or a field too long for its line (which
black splits), a long `__all__`. Those statements go to black alone, through `blackparts`
(its stand-ins at the statement's depth, its two passes, its splicing): 1.5 CPU s on
loket.nl. The rest of the module must pass the same rebuild, blank lines included; a
comment or a backslash in a statement sent alone, or anything else the check does not
know, sends the module to black whole as before. Tests hold every answer to black's on
the whole module, on hand-made modules and on the modules of the golden, edge-case and
real-world specs.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import partial

from sdkforge.codegen import blackcheck as check
from sdkforge.codegen.blackparts import Unit, formatted, made

_SIMPLE = (ast.ImportFrom, ast.Import, ast.Assign, ast.AnnAssign)


def model_in_black_layout(source: str, header: str) -> bool:
    """Whether a model module is, line for line, what black makes of it: rebuilt from its
    syntax tree in black's layout (`blackcheck`; docstrings as written, when black would
    leave them), it must come out identical, every line fitting. Such a module skips the
    formatter (a test runs black over every one it passes, on many specs); anything this
    check does not know, including any comment, sends the module to black."""
    return _checked(source, header, doubts=False) is not None


def vouch_model(source: str, header: str) -> bool | Callable[[], str]:
    """True when black would leave the model (or params) module as it is; False when black
    must see it whole; else a callable giving black's text for it (the source with its
    doubtful statements formatted by black alone)."""
    checked = _checked(source, header, doubts=True)
    if checked is None:
        return False
    src, units = checked
    return partial(formatted, source, src, units) if units else True


def _checked(source: str, header: str, *, doubts: bool) -> tuple[list[str], list[Unit]] | None:
    """The module's lines and, with `doubts`, the statements to send to black alone (the
    check set aside for them their lines as written); None when the module fails."""
    parsed = check._parsed(source)
    if parsed is None:
        return None
    tree, src = parsed
    if not src or src[0] != header.rstrip("\n"):
        return None
    out = [src[0], ""]
    units: list[Unit] = []
    previous: ast.stmt | None = None
    for node in tree.body:
        if previous is not None:
            written = node.lineno - (previous.end_lineno or previous.lineno) - 1
            out.extend([""] * check._blank_lines(previous, node, written))
        rendered = check._top_level(node, src)
        if rendered is None or (
            doubts
            and isinstance(node, _SIMPLE)
            and rendered != src[node.lineno - 1 : node.end_lineno or node.lineno]
        ):
            # Not known, or (an assignment, an import) laid out otherwise than the rebuild
            # would: black alone says how.
            doubt = _doubt(node, src) if doubts else None
            if doubt is None:
                return None
            rendered, found = doubt
            units.extend(found)
        out.extend(rendered)
        previous = node
    return (src, sorted(units)) if out == src else None


def _doubt(node: ast.stmt, src: list[str]) -> tuple[list[str], list[Unit]] | None:
    """The statement's lines as written, and the parts of it black is to lay out: a whole
    import or assignment (`__all__ = [...]`, an alias); in a class, its header when that
    is in doubt and the fields the check does not know (the rest of its body must pass)."""
    end = node.end_lineno or node.lineno
    if isinstance(node, _SIMPLE):
        unit = made(node.lineno, end, False, src)
        if unit is None or not _plain([unit], src):
            return None
        return src[node.lineno - 1 : end], [unit]
    if not isinstance(node, ast.ClassDef) or not node.body or node.decorator_list:
        return None
    fields: list[ast.stmt] = []
    body = check._class_body(node, src, fields)
    first_body = node.body[0].lineno
    if body is None or first_body <= node.lineno:
        return None
    header = src[node.lineno - 1 : first_body - 1]
    found = [made(f.lineno, f.end_lineno or f.lineno, False, src) for f in fields]
    if [check._class_header(node)] != header:
        found.insert(0, made(node.lineno, first_body - 1, True, src))
    units = [u for u in found if u is not None]
    return (header + body, units) if len(units) == len(found) and _plain(units, src) else None


def _plain(units: list[Unit], src: list[str]) -> bool:
    """No comment or backslash in the statements sent alone (to be sure of black's text
    for them, as for the rest, what the check does not know goes to black whole)."""
    return not any("#" in x or "\\" in x for u in units for x in src[u.first - 1 : u.last])
