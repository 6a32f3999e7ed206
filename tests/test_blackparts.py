"""Black on a resource module's doubtful statements only (`codegen.blackparts`).

Every answer is held to black's on the whole module: the text given back must be exactly
`black.format_str` of the source, found without black on the whole module, and what is not
known goes to black whole (False, or the answer's own fallback).
"""

from __future__ import annotations

import pytest
from conftest import black_by_parts

from sdkforge.codegen import blackcheck, blackparts
from sdkforge.codegen.blackparts import vouch_rendered
from sdkforge.codegen.format import format_source
from sdkforge.codegen.quickcheck import quick_doubts

N = "n" * 60  # a method name long enough that its wrapper calls cannot fit their lines
C = "C" * 92  # a class name too long for `return C(` at 8 spaces


def _module(*bodies: str) -> str:
    head = '"""Module."""\n\nfrom __future__ import annotations\n\n\nclass A:\n'
    return head + "\n".join(bodies)


def _black_answer(source: str) -> str:
    return black_by_parts(vouch_rendered(source), source)


def test_a_module_in_black_layout_is_vouched_as_it_is() -> None:
    source = _module("    def f(self) -> None:\n        return g(1)\n")
    assert format_source(source) == source
    assert vouch_rendered(source) is True


def test_long_return_and_header_lines_are_formatted_alone() -> None:
    source = _module(
        f"    def {N}_with_a_long_tail(self) -> {C}:\n        return {C}(self._resource.{N})\n",
        f"    def g(self) -> None:\n        return {C[:80]}(self._resource.{N})\n",
    )
    answer = _black_answer(source)
    assert answer != source


def test_a_call_in_its_assignment_parentheses_is_black_s_whatever_else_changed() -> None:
    """`x = (` + a split call (`layout.fit`'s long call): black takes the parentheses away
    and splits the call instead. Its lines all fit but for a dotted name black cannot
    split, so before `blackparts` such a module was vouched as it is, unlike black's
    (23 resource modules of Microsoft Graph beta)."""
    wrapped = (
        f"        self.{N}_abcdefghijklmnopq = (\n"
        "            to_raw_response_wrapper(\n"
        f"                resource.{N}_abcdefghijklmnopq_rstuvw\n"
        "            )\n"
        "        )\n"
    )
    init = "    def __init__(self, resource: object) -> None:\n" + wrapped
    alone = _module(init)
    assert not blackcheck.rendered_in_black_layout(alone)
    _black_answer(alone)
    # The same statement in a module where black's first pass changes something else.
    other = f"    def g(self) -> None:\n        return {C}(self._resource.{N})\n"
    _black_answer(_module(init, other))


def test_nested_blocks_and_module_level_statements() -> None:
    source = (
        '"""Module."""\n\nfrom __future__ import annotations\n\n'
        f'_PAGING_{N.upper()} = Paging(items=1, cursor="{N}", limit=100)\n\n\n'
        "class A:\n"
        "    async def f(self) -> None:\n"
        "        if self:\n"
        f"            return await {C}(self._resource.{N}, other=1)\n"
        "        return None\n"
    )
    _black_answer(source)


@pytest.mark.parametrize(
    "source",
    [
        # A long line in a decorator: not a statement nor a header.
        _module(f"    @decorate({N}, {N})\n    def f(self) -> None:\n        return None\n"),
        # In the header of an `if`.
        _module(f"    def f(self) -> None:\n        if {N} and {N}:\n            return None\n"),
        # Something else the check refuses: a comment.
        _module("    def f(self) -> None:\n        return None  # note\n"),
    ],
)
def test_what_it_does_not_know_goes_to_black_whole(source: str) -> None:
    assert vouch_rendered(source) is False


def test_graph_shapes_are_black_s() -> None:
    """The shapes Microsoft Graph beta sent to black whole (879 modules, 53 MB): long
    `from .module import (`, `) -> Name:` and `return Name(` lines, each checked here
    against black on the whole module."""
    module = "m" * 95
    source = _module(
        f"    def {N}(self) -> {C}:\n"
        f"        from .{module} import (\n"
        f"            {C},\n"
        "        )\n\n"
        f"        return {C}(self._client)\n",
        "    def g(\n"
        "        self,\n"
        f"    ) -> Async{C}WithStreamingResponse:\n"
        f"        return Async{C}WithStreamingResponse(self._resource.{N})\n",
    )
    _black_answer(source)


def test_a_black_without_its_one_pass_entry_point_formats_whole_modules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`_format_str_once` is black's own (private) function: a black without it gets the
    module whole, as before, rather than a guess."""
    import black

    source = _module(f"    def g(self) -> None:\n        return {C}(self._resource.{N})\n")
    _black_answer(source)
    monkeypatch.delattr(black, "_format_str_once")
    whole: list[str] = []

    def recorded(text: str) -> str:
        whole.append(text)
        return format_source(text)

    monkeypatch.setattr(blackparts, "format_source", recorded)
    answer = vouch_rendered(source)
    assert callable(answer)
    assert answer() == format_source(source)
    assert whole == [source]


def _no_tree(source: str) -> object:
    raise AssertionError("the module was parsed")


@pytest.mark.parametrize(
    "bodies",
    [
        # `x = (` + a split call, with a long return line elsewhere.
        (
            "    def __init__(self, resource: object) -> None:\n"
            f"        self.{N}_abcdefghijklmnopq = (\n"
            "            to_raw_response_wrapper(\n"
            f"                resource.{N}_abcdefghijklmnopq_rstuvw\n"
            "            )\n"
            "        )\n",
            f"    def g(self) -> None:\n        return {C}(self._resource.{N})\n",
        ),
        # A long header over several lines, and a long line inside a call's brackets.
        (
            "    def g(\n"
            "        self,\n"
            f"    ) -> Async{C}WithStreamingResponse:\n"
            '        """Doc \u2019quoted\u2019."""\n'
            "        return self._get(\n"
            f"            path=f({N}, {N}),\n"
            "        )\n",
        ),
    ],
)
def test_doubtful_statements_are_found_without_a_syntax_tree(
    bodies: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan finds the statements in doubt by their brackets (`quick_doubts`): the same
    lines the tree gives, so the answer is black's, and big modules (one of 10 MB) are not
    parsed into a tree of half a gigabyte."""
    source = _module(*bodies)
    checked = blackcheck.rendered_check(source)
    assert checked is not None and checked[2]
    tree, src, doubtful = checked
    units = {blackparts._unit(tree.body, line, src) for line in doubtful}
    quick = quick_doubts(source)
    assert quick is not None
    assert [(u.first, u.last, u.header) for u in sorted(u for u in units if u)] == [
        (s.first, s.last, s.header) for s in quick
    ]
    monkeypatch.setattr(blackparts, "rendered_check", _no_tree)
    _black_answer(source)


@pytest.mark.parametrize(
    "doc",
    [
        # A Go example in a description: tabs in the lines' indentation, blank lines.
        '        """Create it.\n\n        Example:\n\n        \ttype A struct {\n        \t\tB string\n'
        '        \t}\n\n        Args:\n          x: y\n        """\n',
        # Every line after the first indented deeper than the quotes: black dedents them.
        '        """Create it.\n\n            Indented.\n              More.\n        """\n',
    ],
)
def test_a_docstring_black_lays_out_otherwise_is_formatted_alone(doc: str) -> None:
    """The full check's docstring rules fail (black would expand the tabs, or re-indent):
    black on the docstring alone, as the first statement of a `def` at its depth, gives
    the lines black gives in the whole module (with a long line elsewhere too)."""
    source = _module(
        f"    def create(self) -> None:\n{doc}        return None\n",
        f"    def g(self) -> None:\n        return {C}(self._resource.{N})\n",
    )
    assert format_source(source) != source
    _black_answer(source)


def test_a_class_docstring_black_lays_out_otherwise_is_formatted_alone() -> None:
    """The same for a resource class's docstring (a resource description)."""
    head = '"""Module."""\n\nfrom __future__ import annotations\n\n\n'
    source = (
        head + 'class A:\n    """Things.\n\n    \tExample:\n    \t\tx = 1\n    """\n\n'
        f"    def g(self) -> None:\n        return {C}(self._resource.{N})\n"
    )
    assert format_source(source) != source
    _black_answer(source)
