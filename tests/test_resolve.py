"""Tests for sdkforge.resolve: resolution, confinement, bundling, cycles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdkforge.diagnostics import SpecError, join_pointer
from sdkforge.reading.bundle import bundle
from sdkforge.reading.load import load_document
from sdkforge.reading.resolve import Resolver, deref


def spec_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "api"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "openapi.yaml"


ROOT = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      parameters:
        - $ref: 'params.yaml#/limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: 'schemas/pet.yaml#/Pet'
components:
  schemas:
    Local:
      type: object
      properties:
        self: {$ref: '#/components/schemas/Local'}
"""

PET = """Pet:
  type: object
  properties:
    owner: {$ref: '#/Owner'}
    tag: {$ref: 'tag.yaml'}
    friend: {$ref: '#/Pet'}
Owner:
  type: string
"""


def test_resolve_local_and_external(tmp_path: Path) -> None:
    path = spec_dir(
        tmp_path,
        {"openapi.yaml": ROOT, "schemas/pet.yaml": PET, "schemas/tag.yaml": "type: string\n"},
    )
    resolver = Resolver(load_document(path))
    got = resolver.resolve("#/components/schemas/Local", path)
    assert got.pointer == "/components/schemas/Local" and got.file == path.resolve()
    pet = resolver.resolve("schemas/pet.yaml#/Pet", path)
    assert isinstance(pet.value, dict) and pet.value["type"] == "object"
    whole = resolver.resolve("tag.yaml", pet.file)
    assert whole.value == {"type": "string"} and whole.pointer == ""
    # loaded once
    assert resolver.document(pet.file) is resolver.document(path.parent / "schemas" / "pet.yaml")


def test_pointer_unescaping(tmp_path: Path) -> None:
    path = spec_dir(tmp_path, {"openapi.yaml": "a:\n  'x/y~z':\n    'b c': 1\n"})
    resolver = Resolver(load_document(path))
    assert resolver.resolve("#/a/x~1y~0z/b%20c", path).value == 1


def test_missing_target_located_at_the_ref(tmp_path: Path) -> None:
    path = spec_dir(tmp_path, {"openapi.yaml": "x:\n  y:\n    $ref: '#/nope'\n"})
    resolver = Resolver(load_document(path))
    with pytest.raises(SpecError) as exc:
        resolver.resolve("#/nope", path, "/x/y")
    d = exc.value.diagnostics[0]
    assert "not found" in d.message and (d.line, d.col, d.pointer) == (3, 5, "/x/y")


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("../secret.yaml", "leaves the spec's directory"),
        ("sub/../../secret.yaml", "leaves the spec's directory"),
        ("ABS", "absolute path"),
        ("link/secret.yaml", "leaves the spec's directory"),
        ("https://example.com/x.yaml", "pass --allow-remote-refs"),
        ("ftp://example.com/x.yaml", "unsupported $ref scheme"),
    ],
)
def test_escapes_refused(tmp_path: Path, ref: str, words: str) -> None:
    path = spec_dir(tmp_path, {"openapi.yaml": "a: 1\n", "sub/x.yaml": "b: 1\n"})
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n")
    os.symlink(tmp_path, path.parent / "link")
    ref = ref.replace("ABS", str(secret))
    resolver = Resolver(load_document(path))
    with pytest.raises(SpecError) as exc:
        resolver.resolve(ref, path)
    assert words in exc.value.diagnostics[0].message


def test_allow_external(tmp_path: Path) -> None:
    path = spec_dir(tmp_path, {"openapi.yaml": "a: 1\n"})
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "common.yaml").write_text("X: {type: integer}\n")
    resolver = Resolver(load_document(path), allow_external=[shared])
    assert resolver.resolve("../shared/common.yaml#/X", path).value == {"type": "integer"}
    assert resolver.resolve(f"{shared}/common.yaml#/X", path).value == {"type": "integer"}


def test_bundle_inlines_external_refs(tmp_path: Path) -> None:
    path = spec_dir(
        tmp_path,
        {
            "openapi.yaml": ROOT,
            "params.yaml": (
                "limit: {name: limit, in: query, schema: {$ref: 'schemas/pet.yaml#/Owner'}}\n"
            ),
            "schemas/pet.yaml": PET,
            "schemas/tag.yaml": "type: string\n",
        },
    )
    data, diagnostics = bundle(Resolver(load_document(path)))
    assert diagnostics == []
    op = data["paths"]["/pets"]["get"]
    assert op["parameters"] == [{"$ref": "#/components/parameters/limit"}]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Pet"}
    schemas = data["components"]["schemas"]
    assert schemas["Pet"]["properties"] == {
        "owner": {"$ref": "#/components/schemas/Owner"},
        "tag": {"$ref": "#/components/schemas/tag"},
        "friend": {"$ref": "#/components/schemas/Pet"},  # self-reference kept as a ref
    }
    assert schemas["Owner"] == {"type": "string"} and schemas["tag"] == {"type": "string"}
    assert data["components"]["parameters"]["limit"]["schema"] == {
        "$ref": "#/components/schemas/Owner"
    }
    assert schemas["Local"]["properties"]["self"] == {"$ref": "#/components/schemas/Local"}
    every_ref = [v for v in _walk_refs(data)]
    assert all(r.startswith("#/") for r in every_ref)


def _walk_refs(node: object) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                found.append(item["$ref"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_bundle_name_clash_and_path_item(tmp_path: Path) -> None:
    root = (
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
        "paths:\n  /a:\n    $ref: 'paths.yaml#/a'\n"
        "components:\n  schemas:\n    Pet: {type: integer}\n"
    )
    paths = (
        "a:\n  get:\n    responses:\n      '200':\n        description: ok\n"
        "        content:\n          application/json:\n"
        "            schema: {$ref: 'pet.yaml#/Pet'}\n"
    )
    path = spec_dir(
        tmp_path, {"openapi.yaml": root, "paths.yaml": paths, "pet.yaml": "Pet: {type: string}\n"}
    )
    data, diagnostics = bundle(Resolver(load_document(path)))
    assert diagnostics == []
    get = data["paths"]["/a"]["get"]
    schema = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Pet_2"}
    assert data["components"]["schemas"] == {
        "Pet": {"type": "integer"},
        "Pet_2": {"type": "string"},
    }


def test_bundle_reports_bad_refs_without_raising(tmp_path: Path) -> None:
    root = "openapi: 3.0.3\nx:\n  a: {$ref: 'missing.yaml'}\n  b: {$ref: '../out.yaml'}\n"
    path = spec_dir(tmp_path, {"openapi.yaml": root})
    data, diagnostics = bundle(Resolver(load_document(path)))
    assert len(diagnostics) == 3  # cannot load (+ the loader's own error), leaves directory
    assert diagnostics[0].line == 3 and diagnostics[0].pointer == "/x/a"
    assert data["x"]["a"] == {"$ref": "missing.yaml"}


def test_ref_cycle_without_object_detected(tmp_path: Path) -> None:
    root = (
        "openapi: 3.0.3\ncomponents:\n  schemas:\n"
        "    A: {$ref: '#/components/schemas/B'}\n"
        "    B: {$ref: '#/components/schemas/A'}\n"
        "    C: {$ref: '#/components/schemas/A'}\n"
        "    Tree: {type: object, properties: {kids: {type: array,\n"
        "           items: {$ref: '#/components/schemas/Tree'}}}}\n"
    )
    path = spec_dir(tmp_path, {"openapi.yaml": root})
    data, diagnostics = bundle(Resolver(load_document(path)))
    assert len(diagnostics) == 1
    assert "cycle" in diagnostics[0].message
    assert "#/components/schemas/A -> #/components/schemas/B" in diagnostics[0].message
    with pytest.raises(SpecError) as exc:
        deref(data, data["components"]["schemas"]["C"])
    assert "cycle" in exc.value.diagnostics[0].message
    tree = data["components"]["schemas"]["Tree"]
    assert deref(data, tree["properties"]["kids"]["items"]) is tree


def test_external_cycle_without_object(tmp_path: Path) -> None:
    root = "openapi: 3.0.3\nx:\n  schema: {$ref: 'a.yaml'}\n"
    path = spec_dir(
        tmp_path, {"openapi.yaml": root, "a.yaml": "$ref: b.yaml\n", "b.yaml": "$ref: a.yaml\n"}
    )
    _, diagnostics = bundle(Resolver(load_document(path)))
    assert any("cycle" in d.message for d in diagnostics)


def test_deref_chain(tmp_path: Path) -> None:
    data = {"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"}}
    assert deref(data, data["a"]) == {"type": "string"}
    with pytest.raises(SpecError):
        deref(data, {"$ref": "#/nope"})


@given(st.lists(st.one_of(st.text(max_size=8), st.integers(0, 999)), max_size=6))
def test_join_pointer_round_trips(tokens: list[str | int]) -> None:
    """Every token, `/` and `~` included, comes back out of the pointer unchanged."""
    pointer = join_pointer("", *tokens)
    assert pointer.count("/") == len(tokens)
    back = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    assert back == [str(t) for t in tokens]


_LOCAL_ONLY = (
    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
    "    A: {$ref: '#/components/schemas/B'}\n"
    "    B: {$ref: '#/components/schemas/A'}\n"
    "    'x/y~z': {type: object, properties: {kid: {$ref: '#/components/schemas/x~1y~0z'}},\n"
    "              example: {$ref: 'not-a-ref'}}\n"
    "    L: {type: array, items: [{$ref: '#/components/schemas/L'}, {$ref: '#/nope'}]}\n"
)


@pytest.mark.parametrize(
    "text",
    [_LOCAL_ONLY, _LOCAL_ONLY.replace("'not-a-ref'", "'#/components/schemas/A'")],
    ids=["external-looking-example", "local-only"],
)
def test_a_document_without_external_refs_is_its_own_bundle(
    tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path (no copy, refs found without spelling every pointer) gives exactly
    what the full bundler gives: the same data, refs in the same order, the same cycles."""
    import sdkforge.reading.bundle as bundling

    path = spec_dir(tmp_path, {"openapi.yaml": text})
    doc = load_document(path)
    fast = bundling._Bundler(Resolver(doc))
    fast_data, fast_diags = fast.run()
    monkeypatch.setattr(bundling, "local_refs", lambda data: None)
    full = bundling._Bundler(Resolver(doc))
    full_data, full_diags = full.run()
    assert fast_data == full_data
    pointers = [pointer for pointer, _ in full.refs]
    assert [pointer for pointer, _ in fast.refs] == pointers
    assert "/components/schemas/x~1y~0z/properties/kid" in pointers
    if fast_data is doc.data:  # the fast path carries each ref's string along
        for pointer, ref in fast.refs:
            node = bundling.get_pointer(doc.data, pointer)
            assert isinstance(node, dict) and node["$ref"] == ref
    assert [d.format() for d in fast_diags] == [d.format() for d in full_diags]
    assert any("cycle" in d.message for d in fast_diags)
    # Shared, not copied, only when nothing needed rewriting ('not-a-ref' looks external).
    assert (fast_data is doc.data) == ("not-a-ref" not in text)
