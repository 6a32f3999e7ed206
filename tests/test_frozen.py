"""`sdkforge.apimodel.frozen`: Python 3.11's keywords, builtins and Unicode 14.0 tables.

On 3.11 the frozen answers must equal the interpreter's own (the tables were derived
from it); on any Python they must give the answers the goldens were made with. Whether
the whole output matches across interpreters is `test_interpreters.py`.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sdkforge.apimodel import frozen, naming
from sdkforge.codegen.pyexpr import py_str

ON_311 = sys.version_info[:2] == (3, 11)
needs_311 = pytest.mark.skipif(not ON_311, reason="the frozen answers are Python 3.11's")

# Assigned in Unicode 15.0 / 15.1 (printable on 3.12 / 3.13, not on 3.11).
NEW_IN_15 = ["\u0cf3", "\U00031350", "\U0001123f", "\u2ffc"]


@needs_311
def test_lists_are_python_311s() -> None:
    assert set(keyword.kwlist) == frozen.KEYWORDS
    assert set(keyword.softkwlist) == frozen.SOFT_KEYWORDS
    assert set(dir(builtins)) == frozen.BUILTINS


@needs_311
def test_unicode_tables_are_derived_from_unicode_14() -> None:
    assert unicodedata.unidata_version == "14.0.0"
    assert frozen.frozen_tables() == frozen.derived()


@needs_311
def test_every_code_point_answers_as_python_311() -> None:
    for start in range(0, 0x110000, 0x1000):
        block = "".join(map(chr, range(start, start + 0x1000)))
        assert frozen.py_repr(block) == repr(block), hex(start)
        assert frozen.printable(block) == block.isprintable(), hex(start)
        nfkd = unicodedata.normalize("NFKD", block).encode("ascii", "ignore").decode()
        assert frozen.ascii_fold(block) == nfkd, hex(start)


@given(st.text())
@example('it\'s "quoted" \\ \n\t\x00\x7f\x80\xff\u0100\u0cf3\U00031350 é 名前')
@example("'\u0cf3")
@example("'\"\u0cf3")
def test_py_repr_is_a_literal_of_the_text(text: str) -> None:
    literal = frozen.py_repr(text)
    assert ast.literal_eval(literal) == text
    if ON_311:
        assert literal == repr(text)


def test_soft_keyword_type_stays_a_plain_name_on_every_python() -> None:
    # 3.12 made `type` a soft keyword; the goldens (and users' code) say `type`.
    assert naming.arg_name("type") == "type"
    assert naming.field_name("type") == "type"
    assert naming.field_name("match") == "match_"
    assert naming.safe_identifier("case") == "case_"


def test_builtins_added_after_311_do_not_rename() -> None:
    assert naming.class_name("PythonFinalizationError") == "PythonFinalizationError"
    assert naming.class_name("ExceptionGroup") == "ExceptionGroupModel"


@pytest.mark.parametrize("char", NEW_IN_15)
def test_characters_newer_than_unicode_14_stay_escaped(char: str) -> None:
    n = ord(char)
    escape = f"\\u{n:04x}" if n <= 0xFFFF else f"\\U{n:08x}"
    assert not frozen.printable("a" + char)
    assert py_str("x" + char) == f'"x{escape}"'
    assert naming.words("ab" + char + "cd") == ["abcd"]


def test_folding_keeps_what_unicode_14_folds() -> None:
    assert frozen.ascii_fold("Café ﬁle ①") == "Cafe file 1"
    assert naming.snake("Naïve Größe") == "naive_groe"


def test_nothing_else_asks_the_interpreter() -> None:
    """Keyword and builtin lists and the Unicode database are read in `frozen` only."""
    generator = Path(frozen.__file__).resolve().parents[1]
    asking = re.compile(r"^\s*(import|from)\s+(keyword|builtins|unicodedata)\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(generator))
        for path in sorted(generator.rglob("*.py"))
        if path.name != "frozen.py" and asking.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
