"""Escaping of spec text into Python source: nothing from a spec can break out."""

from __future__ import annotations

import ast
import io
import tokenize
import tomllib

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sdkforge.apimodel import naming
from sdkforge.apimodel.ir import Field, Model, TypeRef
from sdkforge.codegen.models import _TRAILING, clean_text, doc_text, render_models, safe_doc
from sdkforge.codegen.pyexpr import annotation, py_comment, py_doc, py_str, py_value, toml_str

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.text())
@example('a\\"')
@example("\\")
@example('"""')
def test_docstring_round_trips_any_text(text: str) -> None:
    source = f'def f():\n    """{safe_doc(text)}"""\n'
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    # Control characters and line separators are replaced by spaces; nothing else changes.
    assert ast.get_docstring(func, clean=False) == clean_text(text)
    assert len(tree.body) == 1 and len(func.body) == 1


@given(st.text())
def test_py_str_is_a_single_literal_of_the_same_value(text: str) -> None:
    node = ast.parse(py_str(text), mode="eval").body
    assert isinstance(node, ast.Constant) and node.value == text


@given(json_values)
def test_py_value_evaluates_to_the_value(value: object) -> None:
    assert ast.literal_eval(py_value(value)) == value


@given(st.floats() | st.lists(st.floats(), max_size=3))
def test_py_value_of_any_float_is_one_expression_of_it(value: object) -> None:
    """`inf` and `nan` are no literals: `float("inf")`, still one expression."""
    tree = ast.parse(py_value(value), mode="eval")
    result = eval(compile(tree, "<py_value>", "eval"), {"__builtins__": {"float": float}})
    assert repr(result) == repr(value)  # nan == nan only as text


@given(st.text())
@example("-*- coding: latin-1 -*-")  # on line 1 or 2, a comment declares the encoding
@example("vim: set fileencoding=utf-16 :")
@example("x\x0cy\x85z\u2028")
def test_comment_stays_one_comment(text: str) -> None:
    comment = "# " + py_comment(text)
    for source, statements in ((f"{comment}\nx = 1\n", 1), (f"x = 1  {comment}\ny = 2\n", 2)):
        data = source.encode("utf-8")
        assert tokenize.detect_encoding(io.BytesIO(data).readline)[0] == "utf-8"
        tree = ast.parse(compile(data, "<comment>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True))
        assert len(tree.body) == statements
        tokens = list(tokenize.tokenize(io.BytesIO(data).readline))
        assert [t.string for t in tokens if t.type == tokenize.COMMENT] == [comment]


@given(st.text())
@example("a\x7fb")  # JSON leaves DEL raw; TOML forbids it
@example("\ud800")  # a lone surrogate: no UTF-8 file can hold it
def test_toml_str_reads_back_as_the_text(text: str) -> None:
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    document = f"x = {toml_str(text)}\n".encode()  # a lone surrogate would not encode
    assert tomllib.loads(document.decode())["x"] == expected


@given(st.text())
@example('"\x1b')  # a control character became a space, stripped after escaping: `""""""""`
@example('a"\x00 \n')
@example('\\"\x1f')
@example("0\r 0")  # a line's leading space is kept, its trailing space dropped
def test_docstring_lines_stay_inside(text: str) -> None:
    body = py_doc(text, "    ")
    source = f'def f():\n    """{body}"""\n    return 1\n'
    tree = ast.parse(source)
    func = tree.body[0]
    assert len(tree.body) == 1 and isinstance(func, ast.FunctionDef) and len(func.body) == 2
    # It reads back as the cleaned text, each line stripped, later lines indented.
    lines = [line.rstrip() for line in clean_text(text).strip().split("\n")]
    expected = "\n".join(("    " + line if i and line else line) for i, line in enumerate(lines))
    assert ast.get_docstring(func, clean=False) == expected


@given(st.text())
@settings(max_examples=20 * max(1, settings.default.max_examples // 100))
@example('a"""b\\')
@example("\x00\u2028")
@example("\ud800")
@example("0\x850")  # NEL: datamodel-code-generator split the docstring there
def test_model_modules_keep_any_text_inside_docstrings_and_literals(text: str) -> None:
    """datamodel-code-generator writes descriptions and enum values itself; given what
    `models` hands it (`doc_text`), they stay docstrings and literals of the same text."""
    thing = Model(
        name="Thing",
        pointer="#/components/schemas/Thing",
        kind="object",
        description=text,
        fields=(
            Field("a", text or "a", TypeRef("literal", values=(text,)), True, description=text),
            Field("b", "b", TypeRef("str"), False, description=text),
        ),
    )
    kind = Model("Kind", "#/k", "alias", text, alias_of=TypeRef("literal", values=(text, "x")))
    tree = ast.parse(compile(render_models([thing, kind], None), "m.py", "exec", ast.PyCF_ONLY_AST))
    [cls] = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    expected = [line.strip() for line in doc_text(text).split("\n") if line.strip()]
    for doc in (ast.get_docstring(cls, clean=False), *_attribute_docs(cls)):
        assert [line.strip() for line in (doc or "").split("\n") if line.strip()] == expected
    literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    assert text in literals and "x" in literals


def _attribute_docs(cls: ast.ClassDef) -> list[str]:
    """The strings right after each field (datamodel-code-generator's field docstrings)."""
    return [
        str(nxt.value.value)
        for stmt, nxt in zip(cls.body, cls.body[1:], strict=False)
        if isinstance(stmt, ast.AnnAssign)
        and isinstance(nxt, ast.Expr)
        and isinstance(nxt.value, ast.Constant)
    ]


@given(st.text())
def test_identifiers_are_valid_and_not_keywords(text: str) -> None:
    import keyword

    for name in (
        naming.arg_name(text),
        naming.attr_name(text),
        naming.class_name(text),
        naming.field_name(text),
        naming.resource_class_name([text]),
        naming.resource_class_name(text.split("/")),
    ):
        assert name.isidentifier() and not keyword.iskeyword(name)


def test_resource_class_names_are_never_keywords_builtins_or_imports() -> None:
    """A tag `true` once gave `class True(SyncAPIResource)`, a syntax error."""
    assert naming.resource_class_name(["true"]) == "TrueResource"
    assert naming.resource_class_name(["none"]) == "NoneResource"
    assert naming.resource_class_name(["false"]) == "FalseResource"
    assert naming.resource_class_name(["exception"]) == "ExceptionResource"
    assert naming.resource_class_name(["query"]) == "QueryResource"
    assert naming.resource_class_name(["stream"]) == "StreamResource"  # `AsyncStream` too
    assert naming.resource_class_name(["class_"]) == "Class"
    assert naming.resource_class_name(["beta", "threads"]) == "BetaThreads"


def test_names_are_stable_and_readable() -> None:
    assert naming.snake("CreateVideoEdit") == "create_video_edit"
    assert naming.pascal("video_size") == "VideoSize"
    assert naming.snake("HTTPError") == "http_error"
    assert naming.arg_name("class") == "class_"
    assert naming.arg_name("timeout") == "timeout_"
    assert naming.class_name("BaseModel") == "BaseModelModel"


def test_namespace_is_case_insensitive_and_prefers_alternatives() -> None:
    ns = naming.Namespace()
    assert ns.claim("UserProfile") == "UserProfile"
    assert ns.claim("userprofile", "OwnerUserProfile") == "OwnerUserProfile"
    assert ns.claim("UserProfile") == "UserProfile2"


def test_annotations_request_and_response_sides() -> None:
    model = TypeRef("model", name="Video")
    file_or_model = TypeRef("union", items=(TypeRef("file"), model))
    assert (
        annotation(file_or_model, "request")
        == "Union[FileTypes, models.Video, Mapping[str, object]]"
    )
    assert annotation(TypeRef("union", items=(model, TypeRef("none")))) == "Optional[models.Video]"
    assert (
        annotation(TypeRef("list", items=(model,)), "request")
        == "Sequence[Union[models.Video, Mapping[str, object]]]"
    )
    assert annotation(TypeRef("literal", values=("a", 1, True))) == 'Literal["a", 1, True]'


@given(st.text(alphabet=st.sampled_from("ab \t\n\r\x00\x7f\u2028\u00e9\u200b")) | st.text())
def test_doc_text_fast_path_is_the_slow_path(text: str) -> None:
    assert doc_text(text) == _TRAILING.sub("", clean_text(text))
