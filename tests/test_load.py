"""Tests for sdkforge.load / generator.yaml12: semantics, locations and hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkforge.diagnostics import SpecError
from sdkforge.reading.load import LoadedDocument, load_document

SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs"


def write(tmp_path: Path, text: str | bytes, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str, name: str = "spec.yaml") -> LoadedDocument:
    return load_document(write(tmp_path, text, name))


def only_error(exc: pytest.ExceptionInfo[SpecError]) -> tuple[str, int, int]:
    assert len(exc.value.diagnostics) == 1, exc.value
    d = exc.value.diagnostics[0]
    return d.message, d.line, d.col


def test_yaml_12_scalars(tmp_path: Path) -> None:
    doc = load_text(
        tmp_path,
        "a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: true\nh: False\ni: TRUE\n"
        "j: 2024-01-01\nk: 2001-12-14t21:59:43.10-05:00\nl: 1:20\nm: 0o17\nn: 017\n"
        "o: 0x1F\np: 1_000\nq: 1.5e3\nr: .inf\ns: ~\nt: null\nu: 'true'\nv: -12\nw: .5\n"
        "x: !!str 12\nz: !!int '7'\n",
    )
    assert doc.data == {
        "a": "yes", "b": "no", "c": "on", "d": "off", "e": "y", "f": "n",
        "g": True, "h": False, "i": True,
        "j": "2024-01-01", "k": "2001-12-14t21:59:43.10-05:00", "l": "1:20",
        "m": 15, "n": 17, "o": 31, "p": "1_000", "q": 1500.0, "r": float("inf"),
        "s": None, "t": None, "u": "true", "v": -12, "w": 0.5, "x": "12", "z": 7,
    }  # fmt: skip


def test_keys_are_always_strings(tmp_path: Path) -> None:
    doc = load_text(
        tmp_path, "responses:\n  200: {description: ok}\n  4XX: {}\ntrue: 1\nnull: 2\n1.5: 3\n"
    )
    assert isinstance(doc.data, dict)
    assert doc.data["responses"] == {"200": {"description": "ok"}, "4XX": {}}
    assert doc.data["true"] == 1 and doc.data["null"] == 2 and doc.data["1.5"] == 3


def test_json_by_content_and_source_map(tmp_path: Path) -> None:
    text = '{\n  "openapi": "3.1.0",\n  "paths": {\n    "/a": {\n      "get": {}\n    }\n  }\n}\n'
    doc = load_text(tmp_path, text, name="spec.yaml")  # extension lies; content decides
    assert doc.data == {"openapi": "3.1.0", "paths": {"/a": {"get": {}}}}
    assert doc.source_map.locate("/paths/~1a/get") == (5, 7)
    assert doc.source_map.locate("#/paths/~1a/get/responses") == (5, 7)  # nearest ancestor


def test_source_map_nested_pointers(tmp_path: Path) -> None:
    doc = load_text(
        tmp_path,
        "openapi: 3.0.0\npaths:\n  /pets/{id}:\n    get:\n      parameters:\n"
        "        - name: id\n          in: path\n        - name: q\n          in: query\n"
        "components:\n  schemas:\n    a~b:\n      type: string\n",
    )
    sm = doc.source_map
    assert sm.locate("") == (1, 1)
    assert sm.locate("/paths/~1pets~1{id}/get") == (4, 5)
    assert sm.locate("/paths/~1pets~1{id}/get/parameters/1") == (8, 11)
    assert sm.locate("/paths/~1pets~1{id}/get/parameters/1/in") == (9, 11)
    assert sm.locate("/components/schemas/a~0b/type") == (13, 7)
    assert sm.locate("/paths/~1pets~1%7Bid%7D/get") == (2, 1)  # not a fragment: no decoding
    assert sm.locate("#/paths/~1pets~1%7Bid%7D/get") == (4, 5)
    assert sm.locate("/nope/x") == (1, 1)


def test_duplicate_keys_all_reported(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    found = [(d.message, d.line, d.col) for d in exc.value.diagnostics]
    assert found == [("duplicate key 'c'", 4, 3), ("duplicate key 'a'", 5, 1)]


def test_duplicate_keys_json(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, '{"a": 1,\n "a": 2}', name="x.json")
    assert only_error(exc) == ("duplicate key 'a'", 2, 2)


def test_invalid_yaml_has_line_and_col(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, "openapi: 3.0.0\ninfo:\n  title: [unclosed\n  version: 1\n")
    message, line, col = only_error(exc)
    assert message.startswith("invalid YAML")
    assert line >= 3 and col > 0
    assert exc.value.diagnostics[0].file.endswith("spec.yaml")


def test_invalid_json_has_line_and_col(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, '{\n  "a": 1,\n  "b": }\n', name="x.json")
    message, line, col = only_error(exc)
    assert message.startswith("invalid JSON") and (line, col) == (3, 8)


def test_alias_bomb_fails_fast(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join(f"*a{i - 1}" for _ in range(9))
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(SpecError) as exc:  # refused by counting nodes, not by a clock
        load_text(tmp_path, "\n".join(lines) + "\n")
    assert "nodes" in exc.value.diagnostics[0].message
    assert "alias bomb" in exc.value.diagnostics[0].hint


def test_small_aliases_are_fine(tmp_path: Path) -> None:
    doc = load_text(tmp_path, "x: &s {type: string}\ny: *s\nz:\n  <<: *s\n  format: uuid\n")
    assert doc.data == {
        "x": {"type": "string"},
        "y": {"type": "string"},
        "z": {"type": "string", "format": "uuid"},
    }


def test_recursive_alias_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, "a: &x\n  b: *x\n")
    assert "recursive YAML alias" in only_error(exc)[0]


@pytest.mark.parametrize("style", ["flow", "block", "json"])
def test_deep_nesting_is_a_clear_error(tmp_path: Path, style: str) -> None:
    n = 10_000
    if style == "flow":
        text = "a: " + "[" * n + "]" * n + "\n"
    elif style == "block":
        text = "a:\n" + "- " * n + "x\n"
    else:
        text = '{"a": ' + "[" * n + "]" * n + "}"
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, text)
    assert "nest" in exc.value.diagnostics[0].message


def test_depth_limit_is_ours_too(tmp_path: Path) -> None:
    path = write(tmp_path, "a: " + "[" * 50 + "]" * 50 + "\n")
    with pytest.raises(SpecError) as exc:
        load_document(path, max_depth=20)
    assert "deeper than 20" in exc.value.diagnostics[0].message


def test_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "openapi: 3.0.0\n" + "# padding\n" * 100)
    with pytest.raises(SpecError) as exc:
        load_document(path, max_bytes=100)
    assert "byte limit" in only_error(exc)[0]


def test_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load_document(write(tmp_path, b"openapi: 3.0.0\ninfo:\n  title: caf\xe9\n"))
    assert only_error(exc) == ("file is not valid UTF-8 (byte 0xe9)", 3, 13)


def test_utf8_bom_accepted(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, b"\xef\xbb\xbfopenapi: 3.0.0\n"))
    assert doc.data == {"openapi": "3.0.0"}


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "---\n"])
def test_empty(tmp_path: Path, text: str) -> None:
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, text)
    assert "empty" in only_error(exc)[0]


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "[1, 2]"])
def test_top_level_not_a_mapping(tmp_path: Path, text: str) -> None:
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, text)
    assert "not a mapping" in only_error(exc)[0]


def test_multiple_documents_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, "a: 1\n---\nb: 2\n")
    assert only_error(exc)[0] == "more than one YAML document in the file"


def test_complex_key_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, "? [a, b]\n: 1\n")
    assert "not a scalar" in only_error(exc)[0]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load_document(tmp_path / "nope.yaml")
    assert "cannot read file" in only_error(exc)[0]


def test_unknown_tag_is_a_warning(tmp_path: Path) -> None:
    doc = load_text(tmp_path, "a: !Ref x\n")
    assert doc.data == {"a": "x"}
    assert [d.message for d in doc.diagnostics] == ["unknown YAML tag !Ref ignored"]


def test_openai_loads_with_its_source_map() -> None:
    """The full OpenAI spec loads (its speed is bench/perf.py's business, not a test's)."""
    path = SPECS / "openai.yaml"
    if not path.exists():
        pytest.skip("shared specs not present")
    doc = load_document(path)
    assert isinstance(doc.data, dict) and "paths" in doc.data
    assert doc.source_map.locate("/paths/~1videos~1edits")[0] > 1


def test_pure_python_parser_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml the same semantics and bounds hold (the parser is then pure Python)."""
    import yaml

    from sdkforge.reading import yaml12

    monkeypatch.setattr(yaml12, "_EventLoader", yaml.SafeLoader)
    doc = load_text(tmp_path, "200: yes\nb: 0o10\nc: &c [1]\nd: *c\n")
    assert doc.data == {"200": "yes", "b": 8, "c": [1], "d": [1]}
    with pytest.raises(SpecError) as exc:
        load_text(tmp_path, "a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert "deeper than 2000" in exc.value.diagnostics[0].message
