"""Black on the few statements of a resource module that the layout check cannot vouch for.

A resource module whose only doubt is a handful of long lines (`blackcheck.rendered_check`:
`return VeryLongClassNameWithRawResponse(`, a long `) -> Name:`, `from .long_module import
(`) used to go through black whole. On Microsoft Graph beta that was 879 modules, 53 MB,
about four minutes of black for a few thousand statements. Black splits each logical line
on its own, from its content, its indentation and the mode (the target version is fixed),
so black on those statements alone, at their depth, gives the lines black on the whole
module would give. Every doubtful statement of a module goes to black in one call, each
in a stand-in block at its own depth; the result is spliced back. A docstring black would
lay out otherwise (a tab in its lines' indentation, as Kubernetes' Go examples have, or
every line indented deeper than its quotes) goes alone too, as the first statement of a
stand-in `def` at its depth: black lays a docstring out from its text and depth only.
Anything this does not know (a long line in a decorator or in the header of an `if`, a
statement black did not give back as expected) sends the module to black whole, as
before. Tests hold the result to black's on whole modules, and the benches compare whole
clients byte for byte.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from sdkforge.codegen.blackcheck import _is_string, rendered_check
from sdkforge.codegen.format import format_mode, format_source
from sdkforge.codegen.layout import INDENT
from sdkforge.codegen.quickcheck import quick_doubts

_HEADERS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_MARK = "_sdkforge_statement = "


class Unit(NamedTuple):
    """Lines `first`..`last` (1-based) of a module: one simple statement, or the header of
    a `def`/`class` (`header`), or the docstring of one (`docstring`), at `depth` levels of
    indentation."""

    first: int
    last: int
    header: bool
    depth: int
    docstring: bool = False


def vouch_rendered(source: str) -> bool | Callable[[], str]:
    """True when black would leave `source` as it is; False when black must see the whole
    module; else a callable giving black's text for it (the source with its doubtful
    statements formatted by black). The call is left to the caller: formatting with ruff
    needs only the yes or no, so black does not run for it."""
    quick = quick_doubts(source)  # most modules: no syntax tree needed
    if quick == []:
        return True
    if quick is not None:  # the doubtful statements, found by their brackets
        src = source.splitlines()
        found = [made(s.first, s.last, s.header, src) for s in quick]
        if all(unit is not None for unit in found):
            return partial(formatted, source, src, [u for u in found if u is not None])
    checked = rendered_check(source)
    if checked is None:
        return False
    tree, src, doubtful = checked
    if not doubtful:
        return True
    units: dict[tuple[int, int], Unit] = {}
    for line in doubtful:
        unit = _unit(tree.body, line, src)
        if unit is None:
            return False
        units.setdefault((unit.first, unit.last), unit)
    return partial(formatted, source, src, sorted(units.values()))


def formatted(source: str, src: list[str], units: list[Unit]) -> str:
    """Black's text for the module: the units formatted alone and spliced back; black on
    the whole module when they cannot be."""
    formatted = _black(units, src)
    if formatted is None:
        return format_source(source)
    out = list(src)
    for unit, lines in reversed(formatted):
        out[unit.first - 1 : unit.last] = lines
    return "\n".join(out) + "\n"


def _unit(body: list[ast.stmt], line: int, src: list[str]) -> Unit | None:
    """The simple statement or `def`/`class` header holding `line`; None for anything else
    (a decorator, the header of another compound statement)."""
    for node in body:
        if not node.lineno <= line <= (node.end_lineno or node.lineno):
            continue
        blocks = [getattr(node, f, None) for f in ("body", "orelse", "finalbody")]
        blocks += [h.body for h in getattr(node, "handlers", [])]
        stmts = [b for b in blocks if isinstance(b, list) and b]
        if not stmts:
            return made(node.lineno, node.end_lineno or node.lineno, False, src)
        first_body = min(b[0].lineno for b in stmts)
        doc = node.body[0] if isinstance(node, _HEADERS) else None
        end = (doc.end_lineno or doc.lineno) if doc is not None else 0
        if doc is not None and _is_string(doc) and doc.lineno <= line <= end:
            return made(doc.lineno, end, False, src, docstring=True)
        if line < first_body:
            if not isinstance(node, _HEADERS) or first_body <= node.lineno:
                return None
            return made(node.lineno, first_body - 1, True, src)
        for block in stmts:
            found = _unit(block, line, src)
            if found is not None:
                return found
        return None
    return None


def made(
    first: int, last: int, header: bool, src: list[str], *, docstring: bool = False
) -> Unit | None:
    """The unit, at the depth its indentation gives; None for a blank line inside a
    statement or header (a docstring's are its own), or a docstring at module level (no
    stand-in `def` puts it there)."""
    lines = src[first - 1 : last]
    indent = len(lines[0]) - len(lines[0].lstrip(" "))
    if indent % len(INDENT) or (not docstring and any(not line.strip() for line in lines)):
        return None
    if (header and not lines[-1].endswith(":")) or (docstring and not indent):
        return None
    return Unit(first, last, header, indent // len(INDENT), docstring)


def _stand_in(unit: Unit, src: list[str]) -> list[str]:
    """The unit inside blocks that put it at its depth (`async def`: any statement is
    valid in it, `await` and `return` included), a header with a body; a docstring as
    the first statement of a `def` (black lays out a docstring by its depth alone)."""
    around = ["async def _():"] if unit.depth else []
    around += [INDENT * d + "if _:" for d in range(1, unit.depth)]
    if unit.docstring:
        around[-1] = INDENT * (unit.depth - 1) + "def _():"
    body = [INDENT * (unit.depth + 1) + "pass"] if unit.header else []
    return [*around, *src[unit.first - 1 : unit.last], *body]


def _black(units: list[Unit], src: list[str]) -> list[tuple[Unit, list[str]]] | None:
    """Every unit's lines as black writes them in the whole module; None when black's
    answer is not laid out as expected.

    Black formats a module once, and when that changed anything, once more (its "forced
    second pass"), so a statement that a second pass would lay out again can come out of
    the whole module depending on whether anything else in it changed. The units go
    through one pass of black together, and through a second when the first changed any
    of them, as the whole module would (the rest of it is left as it is by a pass: the
    layout check vouched for it)."""
    stand_ins = [_stand_in(unit, src) for unit in units]
    text = []
    for i, stand_in in enumerate(stand_ins):
        text.append(f"{_MARK}{i}")
        text.extend(stand_in)
    try:
        first = _once("\n".join(text) + "\n")
        done = _chunks(first, units, stand_ins)
        if done is not None and any(src[u.first - 1 : u.last] != lines for u, lines in done):
            done = _chunks(_once(first), units, stand_ins)
    except Exception:  # black refuses the stand-in: black sees the whole module
        return None
    return done


def _once(text: str) -> str:
    """One pass of black over `text`, in `format_source`'s mode."""
    import black

    return str(black._format_str_once(text, mode=format_mode()))


def _chunks(
    answer: str, units: list[Unit], stand_ins: list[list[str]]
) -> list[tuple[Unit, list[str]]] | None:
    """The units' lines out of black's answer for their stand-ins."""
    chunks: list[list[str]] = []
    for line in answer.split("\n"):
        if line.startswith(_MARK):
            if line != f"{_MARK}{len(chunks)}":
                return None
            chunks.append([])
        elif chunks:
            chunks[-1].append(line)
        elif line:
            return None
    if len(chunks) != len(units):
        return None
    out: list[tuple[Unit, list[str]]] = []
    for unit, whole, stand_in in zip(units, chunks, stand_ins, strict=True):
        # No blank line is inside a statement or header; a docstring keeps its own.
        chunk = _stripped(whole) if unit.docstring else [x for x in whole if x]
        around, tail = unit.depth, 1 if unit.header else 0
        if chunk[:around] != stand_in[:around]:
            return None
        if chunk[len(chunk) - tail :] != stand_in[len(stand_in) - tail :]:
            return None
        lines = chunk[around : len(chunk) - tail]
        if not lines:
            return None
        out.append((unit, lines))
    return out


def _stripped(lines: list[str]) -> list[str]:
    """The lines without the blank ones black puts around the stand-in."""
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]
