"""Escaping of spec text into Python source: nothing from a spec can break out."""

from __future__ import annotations

import ast

from hypothesis import example, given
from hypothesis import strategies as st

from generator.apimodel import naming
from generator.apimodel.ir import TypeRef
from generator.codegen.models import _TRAILING, clean_text, doc_text, safe_doc
from generator.codegen.pyexpr import annotation, py_comment, py_doc, py_str, py_value

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
def test_docstring_round_trips_any_text(text: str) -> None:
    source = f'def f():\n    """{safe_doc(text)}"""\n'
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    doc = ast.get_docstring(func, clean=False)
    assert doc is not None
    # Control characters and line separators are replaced by spaces; nothing else changes.
    assert len(tree.body) == 1


@given(st.text())
def test_py_str_is_a_single_literal_of_the_same_value(text: str) -> None:
    node = ast.parse(py_str(text), mode="eval").body
    assert isinstance(node, ast.Constant) and node.value == text


@given(json_values)
def test_py_value_evaluates_to_the_value(value: object) -> None:
    assert ast.literal_eval(py_value(value)) == value


@given(st.text())
def test_comment_is_one_line(text: str) -> None:
    assert "\n" not in py_comment(text) and "\r" not in py_comment(text)


@given(st.text())
@example('"\x1b')  # a control character became a space, stripped after escaping: `""""""""`
@example('a"\x00 \n')
@example('\\"\x1f')
def test_docstring_lines_stay_inside(text: str) -> None:
    body = py_doc(text, "    ")
    source = f'def f():\n    """{body}"""\n    return 1\n'
    tree = ast.parse(source)
    assert len(tree.body) == 1 and len(tree.body[0].body) == 2  # type: ignore[attr-defined]


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
