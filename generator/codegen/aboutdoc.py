"""The API's own description as the docs show it: a short lead on top, the rest at the end.

A README is read top down by someone who wants to call the API: install, authenticate,
make the first call. Specs often open with pages of prose and HTML (Blockfrost's runs to
240 lines, tables and all) that would push all of that out of sight. So the description is
cleaned of HTML (tags dropped, entities decoded, blank runs folded) and split: its first
paragraph, cut to a few sentences, leads the README and `api.md`; the whole text goes in
an "About the API" section at their end.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from sdkforge.apimodel.ir import Api, Operation, Resource
from sdkforge.codegen.examples import Examples, accessor, example_args, wrap_call

LEAD_CHARS = 400
"""The lead is the first paragraph, cut at a sentence end within this many characters."""

_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_BREAKS = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h[1-6]|/table)\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class About:
    """`lead`: a paragraph for the top of the docs; `text`: the whole description, clean."""

    lead: str
    text: str


_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"<tr\b.*?</tr\s*>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<t([dh])\b[^>]*>(.*?)</t\1\s*>", re.IGNORECASE | re.DOTALL)


def _table(match: re.Match[str]) -> str:
    """An HTML table as a Markdown one (cells whitespace-folded, `|` escaped)."""
    rows = []
    for row in _ROW.findall(match.group(0)):
        cells = [
            " ".join(html.unescape(_TAG.sub(" ", cell)).split()).replace("|", "\\|")
            for _, cell in _CELL.findall(row)
        ]
        if cells:
            rows.append("| " + " | ".join(cells) + " |")
    if not rows:
        return "\n"
    width = rows[0].count(" | ") + 1
    return "\n\n" + "\n".join([rows[0], "|" + " --- |" * width, *rows[1:]]) + "\n\n"


def clean(text: str) -> str:
    """Description text without HTML: tables become Markdown tables, other tags are dropped
    (line-ending ones become line breaks), entities decoded, blank runs folded; a line
    that held a tag loses its indentation (it would read as a code block)."""
    text = _TABLE.sub(_table, _DROP.sub("", text))
    out: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        had_tag = bool(_TAG.search(raw))
        parts = _BREAKS.sub("\n", raw).split("\n")
        for part in parts:
            line = html.unescape(_TAG.sub("", part)).rstrip()
            if had_tag or len(parts) > 1:
                line = line.strip()
            if not line.strip():
                if out and out[-1]:
                    out.append("")
                continue
            out.append(line)
    return "\n".join(out).strip()


def about(api: Api) -> About:
    text = clean(api.description)
    first = ""
    for para in text.split("\n\n"):
        if para.strip() and not para.lstrip().startswith(("#", "|", "```", "-", "*", ">")):
            first = " ".join(para.split())
            break
    lead = ""
    for sentence in _SENTENCE.split(first):
        if lead and len(lead) + len(sentence) + 1 > LEAD_CHARS:
            break
        lead = f"{lead} {sentence}".strip()
    if len(lead) > LEAD_CHARS:
        lead = lead[: LEAD_CHARS - 3].rsplit(" ", 1)[0] + "..."
    # The whole text at the end only when it says more than the lead; its headings sit
    # below the section's own (`## Tokens` → `### Tokens`).
    return About(lead, _demoted(text) if " ".join(text.split()) != lead else "")


def _demoted(text: str) -> str:
    """Headings moved below "About the API" (level 2), keeping their relative levels."""
    lines = text.split("\n")
    fenced = _fenced(lines)
    levels = [
        len(line) - len(line.lstrip("#"))
        for line, inside in zip(lines, fenced, strict=True)
        if not inside and re.match(r"#{1,6} ", line)
    ]
    if not levels:
        return text
    shift = 3 - min(levels)
    out = []
    for line, inside in zip(lines, fenced, strict=True):
        if not inside and re.match(r"#{1,6} ", line):
            level = len(line) - len(line.lstrip("#"))
            line = "#" * min(6, level + shift) + line[level:]
        out.append(line)
    return "\n".join(out)


def _fenced(lines: list[str]) -> list[bool]:
    """Whether each line is inside (or is) a fenced code block's fence."""
    out, fence = [], ""
    for line in lines:
        mark = line.lstrip()[:3]
        if mark in ("```", "~~~") and (not fence or mark == fence):
            fence = "" if fence else mark
            out.append(True)
        else:
            out.append(bool(fence))
    return out


def paged_example(api: Api) -> str:
    """`for item in client.x.list(...): print(item)` for the first method that pages across
    pages (not `single`), "" when none does."""
    found = next(
        (
            (trail, op)
            for trail, op in api.all_operations()
            if op.pagination is not None and op.pagination.scheme != "single"
        ),
        None,
    )
    if found is None:
        return ""
    trail, op = found
    return _loop(api, trail, op)


def _loop(api: Api, trail: tuple[Resource, ...], op: Operation) -> str:
    args = example_args(op, api, Examples(api))
    head = "import io\n\n" if any("io.BytesIO(" in v for _, v in args) else ""
    cls = api.client_name
    call = wrap_call("", accessor(trail, op), args, "").replace("\n", "\n    ")
    first = wrap_call("page = ", accessor(trail, op), args, "")
    return (
        f"{head}from {api.package} import {cls}\n\nclient = {cls}()\n\n"
        f"# Every item, fetching the next page when this one is used up:\n"
        f"for item in {call}:\n    print(item)\n\n"
        f"# Or page by page:\n{first}\nprint(page.data)\n"
        f"while page.has_next_page():\n    page = page.get_next_page()\n    print(page.data)\n"
    )
