"""Escaping of spec text into Markdown, held against a real CommonMark + GFM-table parser.

The helpers (`md`, `md_code`, `fenced`, `md_block`) each promise that no text can break
out of where it is put; `markdown-it-py` (test-only) is the independent judge: whatever
the text, a table row keeps its cells, a code span stays one span with the text in it, a
fenced block holds exactly the text, and the heading after a description is still a
heading (nothing left open swallows the rest of `api.md`).
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from sdkforge.codegen.pyexpr import fenced, md, md_block, md_code

PARSER = MarkdownIt("commonmark").enable("table")

# Text rich in what Markdown reacts to, mixed with anything at all.
MARKUP = [
    "`", "```", "````", "~~~", "\\", "|", "<", ">", "<!--", "-->", "<script>", "</script>",
    "<pre", "<style", "<textarea", "<?", "?>", "<!X", "<![CDATA[", "]]>", "\n", "\n\n", " ",
    "   ", "    ", "\t", "- ", "1. ", "> ", "#", "*", "_", "[", "]", "(", ")", "&", "&#92;",
    "python", "a", "\r", "\r\n", "\x00", "\u2028", "=",
]  # fmt: skip
markdownish = st.lists(st.sampled_from(MARKUP) | st.text(max_size=3), max_size=12).map("".join)
# Lines as block structure is made of: indentation, container markers, fences, HTML.
block_lines = st.tuples(
    st.sampled_from(["", " ", "  ", "   ", "    ", "\t", "     "]),
    st.sampled_from(["", "", "- ", "1. ", "> ", "* ", "10) ", "-   "]),
    st.sampled_from(
        [
            "```",
            "````",
            "~~~",
            "~~~~",
            "``` a`b",
            "```python",
            "<script>",
            "</script>",
            "<pre",
            "<div>",
            "<!--",
            "-->",
            "<?",
            "?>",
            "<!X",
            ">",
            "<![CDATA[",
            "]]>",
            "text",
            "",
            "#",
            "---",
            "| a |",
        ]
    ),
    st.sampled_from(["", "", " ", "x", " `"]),
).map("".join)
blocky = st.lists(block_lines, max_size=10).map("\n".join)
texts = markdownish | blocky | st.text()


def _tokens(doc: str) -> list[Token]:
    return PARSER.parse(doc)


def _ends_with_heading(doc: str, word: str = "END") -> bool:
    """The last block of `doc` is the top-level heading `# word`."""
    toks = _tokens(doc)
    return (
        len(toks) >= 3
        and toks[-3].type == "heading_open"
        and toks[-3].tag == "h1"
        and toks[-3].level == 0
        and toks[-2].content == word
    )


def _rows(doc: str) -> list[list[str]]:
    """Each table row's cells, as their inline source (the parser pads or cuts a row to
    the header's width, so what counts is what landed in each cell)."""
    rows: list[list[str]] = []
    toks = _tokens(doc)
    for i, tok in enumerate(toks):
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type in ("td_open", "th_open"):
            rows[-1].append(toks[i + 1].content if toks[i + 1].type == "inline" else "")
    return rows


@given(texts)
@example("abc\\")  # a trailing backslash escaped the cell separator after it
@example("a\\|b")
@example("\\\\")
def test_md_keeps_a_table_row_to_its_cells(text: str) -> None:
    cell = md(text)
    assert "\n" not in cell and "\r" not in cell
    head = "| a | b | c |\n| --- | --- | --- |\n"
    for row, at in ((f"| {cell} | y | z |", 0), (f"|{cell}|y|z|", 0), (f"|x|{cell}|z|", 1)):
        doc = head + row + "\n\n# END\n"
        cells = _rows(doc)[1]
        assert [c for i, c in enumerate(cells) if i != at] == [
            "xyz"[i] for i in range(3) if i != at
        ]
        assert _ends_with_heading(doc)


@given(texts)
def test_md_in_a_list_item_leaves_the_rest_alone(text: str) -> None:
    doc = f"- `x`: {md(text)}\n  - One of: `a`\n\n# END\n"
    assert _ends_with_heading(doc)
    assert sum(t.type == "bullet_list_open" for t in _tokens(doc)) == 2


CONTROLS = {c: " " for c in [*range(9), 11, 12, *range(14, 32), 127, 0x85, 0x2028, 0x2029]}
CONTROLS.update({c: " " for c in range(0xD800, 0xE000)})  # lone surrogates


def _flat(text: str) -> str:
    """What `md_code` shows: whitespace and control characters as single spaces."""
    return " ".join(text.translate(CONTROLS).split())


@given(texts)
@example("")
@example(" ")
@example("`")
@example("a``b")
def test_md_code_is_one_code_span_of_the_text(text: str) -> None:
    doc = f"Value {md_code(text)} here.\n\n# END\n"
    inline = _tokens(doc)[1]
    spans = [t for t in inline.children or [] if t.type == "code_inline"]
    assert len(spans) == 1, inline.children
    assert spans[0].content == (_flat(text) or " ")
    assert _ends_with_heading(doc)


@given(texts, st.sampled_from(["", "python", "json", "sh"]))
@example("```\n", "python")
@example("x\r\ny", "")
@example("\x00", "")
def test_fenced_is_one_code_block_holding_the_text(text: str, lang: str) -> None:
    doc = fenced(text, lang) + "\n\n# END\n"
    toks = _tokens(doc)
    assert [t.type for t in toks[:1]] == ["fence"] and toks[0].info == lang, toks
    # Line endings as `\n`, other control characters (NUL, U+2028 ...) as spaces.
    expected = text.replace("\r\n", "\n").replace("\r", "\n").translate(CONTROLS)
    assert toks[0].content == expected.rstrip("\n") + "\n"
    assert _ends_with_heading(doc) and len(toks) == 4


@given(texts)
@example("```python\ncode\n```python\n")  # a closing fence takes no info string
@example("``` a`b\ncode")  # not a fence: backtick in a backtick fence's info string
@example("- a\n\n  ```\n  code\n\npara\n```")  # the last fence opens, at the top level
@example("<script>\nx")  # HTML blocks of types 1-5 run until their end marker
@example("<pre>\nx")
@example("<STYLE>\n")
@example("<textarea>")
@example("<?php\nx")
@example("<!DOCTYPE\nx")
@example("<![CDATA[\nx")
@example("<!--\nx")
@example("   ~~~~\n~~~\n")
def test_md_block_cannot_swallow_what_follows(text: str) -> None:
    doc = "# START\n\n" + md_block(text) + "\n\n# END\n"
    assert _ends_with_heading(doc), _tokens(doc)
    assert _tokens(doc)[0].type == "heading_open"
    assert "\x00" not in doc and "\r" not in doc
