"""The layout check of a resource module without its syntax tree, for the common module.

`blackcheck.rendered_check` parses a module (`ast.parse`) to find its literals and
docstrings, and the parse is most of its cost: on GitHub's 573 resource modules (9 MB),
2.85 CPU s, four times what `compile` takes for the same text, because every node becomes
a Python object. Most modules are plain: ASCII, no tab, no comment, no line black could
split. For those, a scan for string literals and comments finds what the tree's check
looks at, and the same rules apply (the shared ones are `blackcheck`'s own functions).
On GitHub's modules the scan takes a third of the full check's time, and knows 553 of
the 570 the full check passes.

`quick_clean` only ever answers "black leaves it as it is" (True) when the full check
would answer that too, with no doubtful line; anything it does not recognise (a prefix
but `f`, a string where a docstring could be that is not one, two strings side by side,
non-ASCII text outside a docstring ...) is "not known" (False), and the caller runs the
full check. A module that does not parse is not caught here: the compile gate refuses it,
as before.

A module whose only doubt is a few statements (a long line black could split, `x = (`)
gets those statements from `quick_doubts`, found by their brackets, for `blackparts` to
give black alone: the full check would parse the module for the same lines (Amazon EC2's
one resource module, 10.6 MB: 2.9 CPU s and a 460 MB tree; the scan: 0.9 s and none).
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate
from typing import NamedTuple

from sdkforge.apimodel.frozen import KEYWORDS
from sdkforge.codegen.blackcheck import _UNSPLITTABLE, _docstring_kept, _literal
from sdkforge.codegen.format import LINE_LENGTH

# Strings (a backslash escapes the next character, in a triple-quoted one a newline too)
# and comments, found left to right as the tokenizer finds them; a quote this leaves over
# (an unterminated string) makes the module not known.
_SCAN = re.compile(  # (each loop unrolled: runs of plain characters matched at once)
    r'"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'
    r"|'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    r"|#[^\n]*"
)
_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(r"[\w.]*")
_NUMBER = re.compile(r"\d+(\.\d+)?")
_FSTRING_BODY = re.compile(r"(?:[^{}]|\{([A-Za-z_]\w*)(?:!r)?\})*")
_HEADS = ("def ", "async def ", "class ")
_COMPOUND = frozenset(
    {"if", "elif", "else", "for", "while", "with", "try", "except", "finally", "def", "class"}
    | {"async", "match", "case"}
)


class _Span(NamedTuple):
    """A docstring's place, as `blackcheck._docstring_kept` reads it off a tree node."""

    lineno: int
    end_lineno: int
    col_offset: int


def quick_clean(source: str) -> bool:
    """True when `source` is certainly what black makes of it (see the module docstring);
    False when this scan cannot tell."""
    return quick_doubts(source) == []


class Statement(NamedTuple):
    """Lines `first`..`last` (1-based) of a module: one simple statement, or the header of a
    `def`/`class` (`header`), as `blackparts` hands them to black alone."""

    first: int
    last: int
    header: bool


def quick_doubts(source: str) -> list[Statement] | None:
    """The statements holding the lines black might lay out otherwise (the full check's
    doubt: a long line black could split, a value in parentheses of its own), in order; []
    when black leaves the module as it is; None when this scan cannot tell (the caller runs
    the full check, as for `quick_clean`'s "not known").

    A statement's lines are found by its brackets (strings taken out), as the syntax tree
    would give them: it starts on the nearest line at or above the doubt that begins with
    every bracket closed, and ends where they all close again. A decorator, the header of
    an `if`, `for` ... or anything else that is not a simple statement or a `def`/`class`
    header is not known."""
    src = source.splitlines()
    if source.count("\n") != len(src):
        return None  # a line break but \n (\x85, \u2028 ...): line numbers would differ
    if "\t" in source or "\r" in source or " \n" in source or source.endswith(" "):
        return None  # a tab, or a line with trailing whitespace
    starts = _line_starts(source)
    spans: dict[int, list[tuple[int, int]]] = {}  # line index -> string spans (columns)
    in_docstring: set[int] = set()
    # The module's code: strings taken out (`removed`, as the full check's line rules see
    # it) or each left as one space (`spaced`, so that no two tokens join); docstrings
    # leave their lines empty.
    removed: list[str] = []
    spaced: list[str] = []
    done = 0
    previous_end = -1
    # Where the last docstring ended: only docstrings may hold non-ASCII text (the full
    # check skips their lines; any other line must be ASCII), so the text between them is
    # checked as the scan passes it.
    code_from = 0
    ascii_only = source.isascii()
    for match in _SCAN.finditer(source):
        text, start, end = match.group(), match.start(), match.end()
        line = _line_of(starts, start)
        col = start - starts[line]
        if text[0] == "#":
            if line == 0 and col == 0 and text.startswith("# "):
                removed.append(source[done:start])
                spaced.append(source[done:start])
                done = end
                continue  # the "generated by" header
            return None
        prefixed = start > 0 and _word(source[start - 1])
        first = start - 1 if prefixed else start
        if previous_end >= 0 and not source[previous_end:first].strip():
            return None  # implicit concatenation: one literal to the tree, several here
        previous_end = end
        if prefixed:
            if not _fstring(source, start, text):
                return None
            spans.setdefault(line, []).append((col - 1, col + len(text)))
        else:
            place = _place(src, line, col, spans)
            if place is None:
                return None
            if place:
                last = _line_of(starts, end - 1)
                if not text.startswith('"""') or src[last][end - starts[last] :]:
                    return None
                if not _docstring_kept(_Span(line + 1, last + 1, col), src):  # type: ignore[arg-type]
                    return None
                if not (ascii_only or source[code_from:start].isascii()):
                    return None  # non-ASCII outside a docstring
                code_from = end
                in_docstring.update(range(line, last + 1))
                removed.append(source[done:start].rstrip(" "))
                spaced.append(removed[-1])
                removed.append("\n" * text.count("\n"))
                spaced.append(removed[-1])
                done = end
                continue
            if "\n" in text or not _literal(text[1:-1], text):
                return None  # a literal over several lines, or quoted as black does not
            spans.setdefault(line, []).append((col, col + len(text)))
        removed.append(source[done:first])
        spaced.append(source[done:first] + " ")
        done = end
    if not (ascii_only or source[code_from:].isascii()):
        return None
    removed.append(source[done:])
    spaced.append(source[done:])
    code = "".join(removed).split("\n")
    doubts = _code_doubts(code, "".join(spaced), source, in_docstring)
    return None if doubts is None else _statements(code, src, doubts)


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


_LONG = re.compile(rf"^.{{{LINE_LENGTH + 1},}}$", re.MULTILINE)


def _code_doubts(
    code: list[str], spaced: str, source: str, docstrings: set[int]
) -> list[int] | None:
    """`blackcheck.rendered_check`'s line rules over the module's code at once (docstrings
    out): None for a comment, stray quote or backslash, or a number black writes otherwise;
    else the (0-based) lines in doubt: a value in parentheses of its own (`x = (`) and a
    line too long that holds something black could split it at."""
    if any(c in spaced for c in "'\"#\\"):
        return None
    if not _numbers_plain(spaced):
        return None
    doubts = [i for i, line in enumerate(code) if line.endswith("= (")]
    i, counted = 0, 0
    for match in _LONG.finditer(source):  # lines counted from the last long one
        i += source.count("\n", counted, match.start())
        counted = match.start()
        header = i == 0 and source.startswith("# ")
        if i not in docstrings and not header and not _UNSPLITTABLE.fullmatch(code[i]):
            doubts.append(i)
    return sorted(set(doubts))


def _statements(code: list[str], src: list[str], doubts: list[int]) -> list[Statement] | None:
    """The statements holding the doubtful lines (see `quick_doubts`); None when one is not
    a simple statement or a `def`/`class` header, or the brackets do not add up. A header
    must have its body on the next line: the tree's header runs to the line before the
    body, blank lines included, which `blackparts` does not take."""
    if not doubts:
        return []
    depth = [0, *accumulate(map(_opened, code))]  # brackets open before each line
    if min(depth) < 0:
        return None
    found: dict[int, Statement] = {}
    for i in doubts:
        first = i
        while depth[first] > 0:
            first -= 1
        last = first
        while depth[last + 1] > 0:
            last += 1
            if last + 1 >= len(depth):
                return None  # brackets left open at the end
        lines = code[first : last + 1]
        head = lines[0].lstrip(" ")
        if any(";" in line for line in lines) or head.startswith("@"):
            return None
        header = head.startswith(_HEADS)
        word = re.match(r"\w*", head)
        if header != lines[-1].endswith(":") or (word and word.group() in _COMPOUND and not header):
            return None
        if header and (last + 1 >= len(src) or not src[last + 1].strip()):
            return None
        found[first] = Statement(first + 1, last + 1, header)
    return [found[k] for k in sorted(found)]


def _numbers_plain(code: str) -> bool:
    """Every number written as black writes it (`blackcheck._literal`: plain decimal). The
    tokens checked are those `(?<![\\w.])\\.?\\d[\\w.]*` finds, but found from the runs of
    digits (a regular expression with that look-behind takes three times as long)."""
    for run in _DIGITS.finditer(code):
        i = run.start()
        before = code[i - 1] if i else " "
        if before == ".":
            if i > 1 and (_word(code[i - 2]) or code[i - 2] == "."):
                continue  # the decimals of a number begun before (or an attribute)
            return False  # `.5`
        if _word(before):
            continue  # in a name (`v2`), or a number begun before
        rest = _TOKEN.match(code, i)
        if rest is None or not _NUMBER.fullmatch(rest.group()):
            return False
    return True


def _fstring(source: str, start: int, text: str) -> bool:
    """A prefixed string the full check accepts (`blackcheck._fstring_kept`): `f"..."` on
    one line, formatting plain names only (`{name}` or `{name!r}`)."""
    if source[start - 1] != "f" or (start > 1 and _word(source[start - 2])):
        return False
    if not text.startswith('"') or text.startswith('"""') or len(text) <= 2 or "\\" in text:
        return False
    body = _FSTRING_BODY.fullmatch(text[1:-1])
    if body is None:
        return False
    return not any(name in KEYWORDS for name in re.findall(r"\{([A-Za-z_]\w*)", text))


def _place(
    src: list[str], line: int, col: int, spans: dict[int, list[tuple[int, int]]]
) -> bool | None:
    """Whether a string starting at (line, col) is a docstring (True), a plain literal
    (False), or a statement whose meaning the scan cannot tell (None).

    A docstring is first on its line, and first in the module or right after a `def` or
    `class` header: one logical line (brackets open until the line ending with `:` closes
    them) starting with the keyword four columns left of the string. Any other string first
    on its line right after a line ending with `:` (`if x:`) is not known, nor one after a
    compound statement's `:` on the same line (`class A: "doc"`)."""
    before = src[line][:col].strip()
    if before:
        opener = before.endswith(":") and (
            before.split(None, 1)[0].rstrip(":") in _COMPOUND or before[0] in ")]}"
        )
        return None if opener else False
    previous = _previous_code_line(src, line)
    if previous is None or (previous == 0 and src[0].startswith("# ")):
        return True  # first in the module, after the header comment at most
    if not src[previous].endswith(":"):
        return False
    return _header_starts(src, previous, col - 4, spans) or None


def _previous_code_line(src: list[str], line: int) -> int | None:
    for j in range(line - 1, -1, -1):
        if src[j].strip():
            return j
    return None


def _header_starts(
    src: list[str], last: int, indent: int, spans: dict[int, list[tuple[int, int]]]
) -> bool:
    """Whether lines up to `last` end a `def`/`class` header at `indent`: from the nearest
    line above that starts one, the brackets (strings taken out) stay open until `last` and
    close there."""
    if indent < 0:
        return False
    for first in range(last, -1, -1):
        stripped = src[first].lstrip(" ")
        if stripped.startswith(_HEADS):
            if len(src[first]) - len(stripped) != indent:
                return False
            depth = 0
            for k in range(first, last + 1):
                depth += _balance(src[k], spans.get(k, []))
                if (depth == 0) != (k == last):
                    return False
            return True
    return False


def _balance(line: str, spans: list[tuple[int, int]]) -> int:
    """Brackets opened minus closed on a line, outside its strings."""
    for start, end in sorted(spans, reverse=True):
        line = line[:start] + line[end:]
    return _opened(line)


def _opened(line: str) -> int:
    """Brackets opened minus closed on a line of code (strings taken out)."""
    if not ("(" in line or ")" in line or "[" in line or "]" in line or "{" in line or "}" in line):
        return 0
    opened = line.count("(") + line.count("[") + line.count("{")
    return opened - line.count(")") - line.count("]") - line.count("}")


def _line_starts(source: str) -> list[int]:
    starts = [m.end() for m in _NEWLINE.finditer(source)]
    starts.insert(0, 0)
    return starts


_NEWLINE = re.compile("\n")


def _line_of(starts: list[int], offset: int) -> int:
    """The (0-based) line holding `offset`."""
    return bisect.bisect_right(starts, offset) - 1
