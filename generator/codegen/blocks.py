"""Markdown block structure, just enough to keep a description from swallowing the page.

A description in `api.md` or the README is Markdown and is kept as Markdown, but a few
CommonMark blocks run past a blank line and past the heading that follows: a fenced code
block runs to its closing fence, and HTML blocks of types 1-5 (`<script`, `<pre`,
`<style`, `<textarea`, `<!--`, `<?`, `<!X`, `<![CDATA[`) to their own end marker; left
open, either hides the rest of the document. Everything else ends at a blank line or at a
line that starts at column 0.

The generator has no Markdown parser (the tests hold this module to a real one), so the
rules here are CommonMark's, applied only where they are certain: a fence is kept when it
is surely at the top level (or closes at the same line whether or not it sits in a list
item), and closed at the end of the text if it is still open; a fence line that might
belong to a list item or to raw HTML is escaped (`\\```` shows as text), and so is the
start of every HTML block of types 1-5 (`&lt;script`): shown as text, never run.
"""

from __future__ import annotations

import re

# A fence opener: up to 3 spaces, then 3+ backticks whose info string has no backtick,
# or 3+ tildes; a closer has nothing but spaces or tabs after its run.
_OPEN = re.compile(r"( {0,3})(`{3,}(?=[^`]*$)|~{3,})")
_CLOSE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*$")
# HTML blocks that end only at their own marker (CommonMark types 1-5).
_HTML_TO_MARKER = re.compile(
    r" {0,3}<(?=(?:script|pre|style|textarea)(?:[ \t>]|$)|!--|\?|![A-Za-z]|!\[CDATA\[)",
    re.IGNORECASE,
)
_HTML = re.compile(r" {0,3}<")  # any other HTML block (types 6-7) ends at a blank line
_CONTAINER = re.compile(r" {0,3}(?:[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>)")
# Elements whose content a browser reads as raw text up to their end tag, and comments:
# inline, CommonMark passes them through, and a browser then hides the rest of the page.
_RAW_TEXT = re.compile(
    r"<(?=!--|(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b)",
    re.IGNORECASE,
)


def inline_html(text: str) -> str:
    """`text` with comment and raw-text element openers shown as text (`&lt;script`)."""
    return _RAW_TEXT.sub("&lt;", text)


def safe_blocks(text: str) -> str:
    """`text` (cleaned: `\\n` line endings, no control characters) as Markdown after which
    any block starts afresh at the next blank line."""
    lines = text.split("\n")
    out: list[str] = []
    container = False  # a list item or block quote may be open
    html = False  # an HTML block that ends at a blank line may be open
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            html = False
            out.append(line)
            i += 1
            continue
        after_blank = i > 0 and not lines[i - 1].strip()
        opener = _OPEN.match(line)
        if opener is not None:
            indent = len(opener.group(1))
            end = _closing_line(lines, i, opener.group(2))
            top_level = not html and (indent == 0 or not container)
            if top_level or (not html and end is not None and _stays_nested(lines, i, end)):
                if indent == 0:
                    container = False  # a fence never continues a list item's paragraph
                stop = len(lines) if end is None else end + 1
                out.extend(lines[i:stop])
                if end is None:  # surely at the top level: close it
                    out.append(opener.group(2)[0] * len(opener.group(2)))
                i = stop
                continue
            out.append(line[:indent] + "\\" + inline_html(line[indent:]))
            i += 1
            continue
        if _HTML_TO_MARKER.match(line):
            line = line.replace("<", "&lt;", 1)
        elif _HTML.match(line):
            html = True
        if _CONTAINER.match(line):
            container = True
        elif after_blank and not line.startswith((" ", "\t")):
            container = False  # column 0 after a blank line: every list item has ended
        out.append(inline_html(line))
        i += 1
    return "\n".join(out)


def _closing_line(lines: list[str], start: int, marker: str) -> int | None:
    """The line that closes the fence opened by `marker` at `start`, if any."""
    for j in range(start + 1, len(lines)):
        close = _CLOSE.match(lines[j])
        if close and close.group(1)[0] == marker[0] and len(close.group(1)) >= len(marker):
            return j
    return None


def _stays_nested(lines: list[str], start: int, end: int) -> bool:
    """Whether the fence from `start` to `end` closes at `end` also inside a list item:
    no line in between is indented less than the opener (which would end the item)."""
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    return all(
        not line.strip() or len(line) - len(line.lstrip(" ")) >= indent
        for line in lines[start + 1 : end + 1]
    )
