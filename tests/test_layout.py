"""Black's layout, written by sdkforge itself (generator/layout.py).

Two promises are held here. Text laid out by `layout` is what black makes of it (black
still runs over resources, and finds them done, which halves its time). And a model
module that `blackcheck` passes, which then skips the formatter, is left unchanged
by black and by ruff: over the golden specs always, and over every edge-case and
real-world spec of ../shared when it is there.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT, ruff_formatted, shared_specs

from sdkforge.codegen import blackcheck, layout
from sdkforge.codegen import format as fmt
from sdkforge.codegen.blackparts import vouch_rendered
from sdkforge.codegen.modelparts import model_in_black_layout, vouch_model
from sdkforge.codegen.modelsplit import HEADER
from sdkforge.codegen.quickcheck import quick_clean
from sdkforge.config import Config, load_config
from sdkforge.pipeline import Options, generate

GOLDEN = ROOT / "tests" / "golden"
LONG = "x" * 40

STATEMENTS = [
    # model fields: the annotation split, or the value's own parentheses kept
    f"class A:\n    {LONG}_field: Optional[Literal['aaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbb']]\n",
    f"class A:\n    {LONG}_f: Optional[Literal['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbb']] = None\n",
    f"class A:\n    {LONG}_fiel: Optional[Literal['aaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbb']] = None\n",
    f"class A:\n    {LONG}: Annotated[Optional[int], Field(alias='{LONG}.created')] = None\n",
    f"class A:\n    {LONG}: Optional[str] = Field(None, alias='{LONG}', title='{LONG[:12]}')\n",
    "class A:\n    x: Union[" + ", ".join(f"Model{i}" for i in range(30)) + "]\n",
    "class A:\n    x: Literal[" + ", ".join(f"'value_{i}'" for i in range(30)) + "]\n",
    "class A:\n    x: Optional[Literal['" + "z" * 110 + "']] = None\n",
    # aliases and calls
    f"{LONG} = TypeAliasType('{LONG}', Optional[Literal['aaaaaaaa', 'bbbbbbbbbb', 'cccc']])\n",
    "X = TypeAliasType('X', Union[str, Literal["
    + ", ".join(f"'gpt-{i}'" for i in range(40))
    + "]])\n",
    f"{LONG}.model_rebuild(force=True, raise_errors=False, _parent_namespace_depth=2, x=1)\n",
    "X = TypeAliasType('X', list[dict[str, Union[" + ", ".join(["Mapping"] * 16) + "]]])\n",
]


def _black(source: str) -> str:
    return fmt.format_source(source)


def _relaid(source: str) -> str:
    """Every statement of `source` through `layout.statement` (one level of classes)."""
    out: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            out.append(f"class {node.name}:")
            for child in node.body:
                rendered = layout.statement(child, "    ")
                assert rendered is not None, ast.dump(child)
                out.extend(rendered)
        else:
            rendered = layout.statement(node, "")
            assert rendered is not None, ast.dump(node)
            out.extend(rendered)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("source", STATEMENTS, ids=range(len(STATEMENTS)))
def test_statements_are_laid_out_as_black_does(source: str) -> None:
    laid_out = _relaid(source)
    assert laid_out == _black(source)
    assert _black(laid_out) == laid_out


@pytest.mark.parametrize(
    ("source", "prefix", "suffix", "indent"),
    [
        (
            '((Param("limit", "query"), limit), (Param("order", "query"), order))',
            "params=",
            ",",
            16,
        ),
        ('("multipart/form-data",)', "content_types=", ",", 16),
        (
            '("multipart/form-data", "application/json", "application/x-www-form-urlencoded")',
            "content_types=",
            ",",
            16,
        ),
        ("{" + ", ".join(f'"field_{i}": field_{i}' for i in range(12)) + "}", "body=", ",", 16),
        (
            "Union[FileTypes, models.ImageRefParamAAAAAAAAAAAAAA, Mapping[str, object]] | NotGiven",
            "input_reference: ",
            " = NOT_GIVEN,",
            8,
        ),
        (
            "Union[models.CreateTranscriptionResponseJson, models.CreateTranscriptionResponseDiarized"
            "Json, models.CreateTranscriptionResponseVerboseJson]",
            ") -> ",
            ":",
            4,
        ),
        (
            "to_raw_response_wrapper(resource.remove_repo_from_installation_for_authenticated_user)",
            "self.remove_repo_from_installation_for_authenticated_user = ",
            "",
            8,
        ),
        (
            "to_raw_response_wrapper(resource.remove_repo_from_installation_for_authenticated_user_xx"
            "xxxxxxxxxxxxxxxxx)",
            "self.remove_repo_from_installation_for_authenticated_user_xxxxxxxxxxxxxxxxxxx = ",
            "",
            8,
        ),
        (
            "async_to_streamed_response_wrapper(resource.retrieve_a_very_long_operation_name_here)",
            "self.retrieve_a_very_long_operation_name_here = ",
            "",
            8,
        ),
    ],
)
def test_template_expressions_are_laid_out_as_black_does(
    source: str, prefix: str, suffix: str, indent: int
) -> None:
    """The runtime-call arguments, parameters, return annotations and wrapper lines of a
    resource, inside the function and call a resource module puts them in."""
    text = layout.fit(source, " " * indent, prefix, suffix)
    assert "\n" in text or len(text) + indent <= fmt.LINE_LENGTH
    pad = " " * (indent - 4)
    if prefix.startswith(") -> "):
        module = f"class A:\n    def f(\n        self,\n    {text}\n        pass\n"
    elif suffix.startswith(" = NOT_GIVEN"):
        module = f"class A:\n    def f(\n        self,\n        *,\n        {text}\n    ) -> None:\n        pass\n"
    elif indent == 16:
        module = f"class A:\n    def f(self):\n        return g(\n            h(\n{pad}    {text}\n            ),\n        )\n"
    else:
        module = f"class A:\n    def f(self):\n{pad}    {text}\n"
    assert _black(module) == module


def test_non_ascii_and_unknown_expressions_are_left_for_black() -> None:
    weighed = f"{LONG}: Annotated[Optional[Foo], Field(alias='x')] = Field(None, title='t')"
    assert layout.statement(ast.parse(weighed).body[0], "    ") is None
    assert (
        layout.fit("Literal['é" + "x" * 120 + "']", "", "x: ") == "x: Literal['é" + "x" * 120 + "']"
    )
    lam = "f(lambda a: a, " + "y" * 100 + ")"
    assert layout.fit(lam, "", "v = ") == "v = " + lam


def _models(out: Path) -> dict[str, str]:
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("models/*.py"))
        if p.name != "__init__.py"
    }


def _check_certified(spec: Path, tmp_path: Path) -> int:
    """Generate `spec` unformatted; every model module passing `blackcheck` must be
    left unchanged by black and by ruff, and black's text for every other that `modelparts`
    gives must be black's on the whole module (resources likewise, `blackparts`). Returns
    how many passed."""
    config = (
        load_config(spec.parent / "sdkforge.yaml")
        if (spec.parent / "sdkforge.yaml").is_file()
        else Config()
    )
    result = generate(spec, config, Options(formatter="none", use_cache=False))
    passed = 0
    for path, data in sorted(result.plan.files.items()):
        if path.endswith("__init__.py"):
            continue
        text = data.decode("utf-8")
        if "/models/" in path or "/params/" in path:
            vouched = model_in_black_layout(text, HEADER)
            answer = vouch_model(text, HEADER)
            assert (answer is True) == vouched, path  # the same check, doubts set apart
            if callable(answer):  # black's text for it, from the statements in doubt
                passed += 1
                assert _black(text) == answer(), path
                continue
        elif "/resources/" in path:
            if quick_clean(text):  # the scan says clean only where the tree's check does
                checked = blackcheck.rendered_check(text)
                assert checked is not None and not checked[2], path
            answer = vouch_rendered(text)
            if callable(answer):  # black's text for it, from its doubtful statements
                passed += 1
                assert _black(text) == answer(), path
                continue
            vouched = answer
        else:
            continue
        if vouched:
            passed += 1
            assert _black(text) == text, path
            if "/params/" not in path:  # a params alias of a long string: ruff unwraps it
                assert ruff_formatted(text, tmp_path) in (None, text), path
    return passed


@pytest.mark.parametrize(
    "case", sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.yaml").is_file())
)
def test_golden_models_that_skip_the_formatter_are_black_clean(case: str, tmp_path: Path) -> None:
    _check_certified(GOLDEN / case / "spec.yaml", tmp_path)


def test_golden_resources_skip_the_formatter() -> None:
    """The template and `layout.fit` give black's layout: every golden resource passes."""
    for case in sorted(p for p in GOLDEN.iterdir() if (p / "spec.yaml").is_file()):
        result = generate(case / "spec.yaml", Config(), Options(formatter="none", use_cache=False))
        for path, data in result.plan.files.items():
            if "/resources/" in path and not path.endswith("__init__.py"):
                assert blackcheck.rendered_in_black_layout(data.decode("utf-8")), path


def test_corpus_models_that_skip_the_formatter_are_black_clean(tmp_path: Path) -> None:
    """Every edge-case spec and a spread of real-world ones (checked the same way by hand
    over the whole corpus and the OpenAI and GitHub specs: none of nearly 11,000 modules that
    skip the formatter changed)."""
    specs = shared_specs()
    chosen = sorted((specs / "edge").rglob("*.*"))
    chosen += sorted((specs / "corpus").rglob("*.*"))[::16]
    passed = 0
    for spec in chosen:
        if spec.suffix not in (".yaml", ".yml", ".json"):
            continue
        try:
            passed += _check_certified(spec, tmp_path)
        except Exception as exc:  # a spec the generator refuses is not this test's concern
            if type(exc).__name__ != "SpecError":
                raise
    assert passed > 100


@pytest.mark.parametrize(
    "source",
    [
        HEADER + "\nfrom __future__ import annotations\n\nfrom .._models import BaseModel\n\n\n"
        "class A(BaseModel):\n    x: int  # a comment\n",
        HEADER + "\nfrom __future__ import annotations\n\nfrom .._models import BaseModel\n\n\n"
        "class A(BaseModel):\n    x: Literal['a']\n",
        HEADER + "\nfrom __future__ import annotations\n\nfrom .._models import BaseModel\n\n\n"
        'class A(BaseModel):\n    """\n      indented\n      twice\n    """\n\n    x: int\n',
        HEADER + "\nfrom __future__ import annotations\n\nfrom .._models import BaseModel\n\n"
        "class A(BaseModel):\n    x: int\n",
        HEADER + "\nfrom __future__ import annotations\n\nfrom .._models import BaseModel\n\n\n"
        'class A(BaseModel):\n    """\n    Doc.\n    """\n    x: int\n',
    ],
    ids=[
        "comment",
        "single-quotes",
        "docstring-indent",
        "one-blank-before-class",
        "no-blank-after-doc",
    ],
)
def test_modules_black_would_change_go_to_the_formatter(source: str) -> None:
    assert not model_in_black_layout(source, HEADER)
    assert _black(source) != source or "#" in source


def test_a_module_in_black_layout_is_recognised() -> None:
    source = (
        HEADER + "\nfrom __future__ import annotations\n\nfrom typing import Literal, Optional\n"
        "from .._models import BaseModel\n\n\n"
        'class A(BaseModel):\n    """\n    Doc.\n      indented example\n    """\n\n'
        '    x: Optional[Literal["a", "b"]] = None\n    """\n    The x.\n    """\n\n    y: int\n'
    )
    assert _black(source) == source
    assert model_in_black_layout(source, HEADER)


RESOURCE = (
    '"""Module."""\n\n\nclass A:\n    """Operations on `a`."""\n\n'
    '    def f(self) -> None:\n        """Summary.\n\n        Args:\n          x: text\n        """\n'
    '        return g(\n            "a",\n            1,\n            2.5,\n        )\n'
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"a"', "'a'"),
        ('"a"', 'b"a"'),
        ("2.5", "1e+16"),
        ("2.5", "0XFF"),
        ('"a",', '"a",  # note'),
        ('"a",', 'h("' + "a" * 100 + '"),'),
        ("1,", "a" * 50 + " | " + "b" * 50 + ","),
        ("x: text", "\tx: text"),
        ("x: text", "x: text "),
        ("Summary.", '"Quoted" summary.'),
        ("Summary.", " Summary."),
        ("        Args:\n          x: text", "          Args:\n          x: text"),
    ],
    ids=[
        "single-quotes",
        "prefix",
        "exponent",
        "hex",
        "comment",
        "long-line",
        "long-operator-line",
        "tab",
        "trailing-space",
        "leading-quote",
        "leading-space",
        "over-indented",
    ],
)
def test_resources_black_would_change_go_to_the_formatter(old: str, new: str) -> None:
    assert blackcheck.rendered_in_black_layout(RESOURCE)
    assert quick_clean(RESOURCE)
    assert _black(RESOURCE) == RESOURCE
    changed = RESOURCE.replace(old, new, 1)
    assert changed != RESOURCE
    assert not blackcheck.rendered_in_black_layout(changed)
    assert not quick_clean(changed)


def test_a_long_line_black_cannot_split_is_left_as_it_is() -> None:
    """A string too long for its line, alone in it: black leaves it, so may we."""
    long = RESOURCE.replace('"a"', '"' + "a" * 100 + '"', 1)
    assert _black(long) == long
    assert blackcheck.rendered_in_black_layout(long)
    assert quick_clean(long)


@pytest.mark.parametrize(
    "source",
    [
        "'it\\'s'",
        "'a\"b'",
        "'back\\\\slash'",
        "'line\\nbreak'",
        "1e999",
        "-1",
        "f'{x}'",
        "x if y() else z",
        "(a if b else c) if y else z",
        "x if y == 'q\\'' else z",
    ],
)
def test_from_ast_leaves_what_it_cannot_write_exactly(source: str) -> None:
    """Re-written source must mean the same: a literal it cannot write as black would
    (escapes, quotes, infinity, anything unusual) makes the whole statement stay as it was."""
    assert layout.from_ast(ast.parse(source, mode="eval").body) is None


def test_only_sdkforge_s_own_resource_template_may_skip_black(tmp_path: Path) -> None:
    """An overriding resource template is the user's layout: its output always goes to the
    formatter. The built-in one's output is offered to `blackcheck` first."""
    from sdkforge.codegen.render import TEMPLATES, render_project
    from sdkforge.pipeline import load_api

    spec = GOLDEN / "enums" / "spec.yaml"
    api, _, _ = load_api(spec, Config())
    own = {p: how for p, _, how in render_project(api, use_cache=False) if "/resources/" in p}
    custom = tmp_path / "templates"
    target = custom / "{{package}}" / "resources" / "resource.py.jinja"
    target.parent.mkdir(parents=True)
    source = TEMPLATES / "python" / "{{package}}" / "resources" / "resource.py.jinja"
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    theirs = {
        p: how for p, _, how in render_project(api, custom, use_cache=False) if "/resources/" in p
    }
    resource = next(p for p in own if not p.endswith("__init__.py"))
    assert callable(own[resource])
    assert theirs[resource] is True


def _cond(width: int, stream: bool) -> str:
    union = "Union[" + ", ".join(f"models.Arm{i}{'x' * width}" for i in range(3)) + "]"
    chosen = union
    for depth, value in enumerate(["diarized_json", "verbose_json", "json"]):
        orelse = f"({chosen})" if depth else chosen
        chosen = f'models.Arm{depth}{"y" * width} if response_format == "{value}" else {orelse}'
    return f"models.Chunk if stream else ({chosen})" if stream else chosen


@pytest.mark.parametrize("width", [0, 5, 12, 30])
@pytest.mark.parametrize("stream", [False, True], ids=["choice", "stream+choice"])
@pytest.mark.parametrize("prefix", ["", "cast_to="])
def test_conditionals_are_laid_out_as_black_lays_them_out(
    width: int, stream: bool, prefix: str
) -> None:
    """A response chosen by an argument (and by `stream`): nested conditionals, split in
    parentheses before `if` and `else`, exactly as black splits them."""
    import black

    expr = _cond(width, stream)
    inner = "        "
    source = (
        "def f():\n    return request(\n"
        + inner
        + layout.fit(expr, inner, prefix, ",")
        + '\n        method="post",\n    )\n'
    )
    mode = black.Mode(line_length=fmt.LINE_LENGTH)
    assert black.format_str(source, mode=mode) == source
    assert blackcheck.rendered_in_black_layout(source)


def test_params_modules_the_check_passes_are_black_stable() -> None:
    """Request TypedDict modules skip black when the model check vouches for them (issue
    24's params package doubled a cold run's formatting); every one it passes must be a
    module black leaves unchanged, blank lines between import sections included."""
    import black

    from sdkforge.codegen.format import LINE_LENGTH
    from sdkforge.codegen.modelsplit import HEADER
    from sdkforge.config import load_config
    from sdkforge.pipeline import generate

    golden = Path(__file__).parent / "golden"
    mode = black.Mode(line_length=LINE_LENGTH)
    vouched = 0
    for case in sorted(p for p in golden.iterdir() if (p / "spec.yaml").is_file()):
        config = load_config(case / "sdkforge.yaml") if (case / "sdkforge.yaml").exists() else None
        plan = generate(case / "spec.yaml", config or load_config(None)).plan
        for rel, data in plan.files.items():
            if "/params/" in rel and not rel.endswith("__init__.py"):
                text = data.decode()
                if model_in_black_layout(text, HEADER):
                    vouched += 1
                    assert black.format_str(text, mode=mode) == text, rel
    assert vouched > 0


@pytest.mark.parametrize("blank", [0, 1, 2, 3])
def test_blank_lines_after_type_checking_imports_are_judged_as_black_judges_them(
    blank: int,
) -> None:
    """A params module's `__all__` follows its `if TYPE_CHECKING:` imports after one blank
    line, which black keeps (up to two); the check must agree with black either way."""
    source = (
        HEADER + "\nfrom __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
        "from typing_extensions import TypedDict\n\nif TYPE_CHECKING:\n    from .. import params\n"
        + "\n" * blank
        + '__all__ = ["A"]\n\n\nclass A(TypedDict, total=False):\n    b: params.B\n'
    )
    assert model_in_black_layout(source, HEADER) == (_black(source) == source)
    alias = (
        HEADER + "\nfrom __future__ import annotations\n\nfrom typing_extensions import TypeAlias\n"
        '\n__all__ = ["A"]\n\n\nA: TypeAlias = "int"\n' + "\n" * blank + '"""\nThe A.\n"""\n'
    )
    assert model_in_black_layout(alias, HEADER) == (_black(alias) == alias)
    assert blank > 2 or model_in_black_layout(alias, HEADER)


@pytest.mark.parametrize("length", [40, 95, 120, 200])
def test_a_params_alias_too_long_for_its_line_is_judged_as_black_judges_it(length: int) -> None:
    """`X: TypeAlias = "..."` with a long union: black wraps the string in parentheses and
    leaves it long; params.py writes it so, and the check agrees with black."""
    from sdkforge.codegen import params
    from sdkforge.codegen.pyexpr import py_str

    target = "Union[" + ", ".join(f"params.P{i}" for i in range(length // 12)) + "]"
    line = params._laid_out(f"LongAliasParam: TypeAlias = {py_str(target)}", "")
    source = (
        HEADER + "\nfrom __future__ import annotations\n\nfrom typing_extensions import TypeAlias\n"
        '\n__all__ = ["LongAliasParam"]\n\n\n' + "\n".join(line) + "\n"
    )
    assert _black(source) == source
    assert model_in_black_layout(source, HEADER)
