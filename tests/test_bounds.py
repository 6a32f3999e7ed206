"""The docs' walks over the schema graph are bounded (issue 22): a wide, deep graph whose
examples would expand without end generates in bounded memory, and each example or doc tree
holds at most its budget, cut in the same place on every run.

Outcome and peak memory are asserted, never time (bench/largest.py measures speed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hostile_util import bounded_run

from sdkforge.apimodel.ir import Api, TypeRef
from sdkforge.codegen import bounds, docviews
from sdkforge.codegen.examples import Examples, example_snippet
from sdkforge.config import Config
from sdkforge.pipeline import load_api

MODELS = 24
WIDTH = 24


def graph_spec(path: Path, models: int = MODELS, width: int = WIDTH) -> Path:
    """`models` object schemas, each with `width` properties pointing at other schemas (and
    arrays and maps of them): eight models deep, an example would hold width**8 values."""
    schemas: dict[str, Any] = {}
    for i in range(models):
        props: dict[str, Any] = {"id": {"type": "string"}}
        for j in range(width):
            ref = {"$ref": f"#/components/schemas/Node{(i + j + 1) % models}"}
            props[f"p{j}"] = (ref, {"type": "array", "items": ref})[j % 2]
        schemas[f"Node{i}"] = {"type": "object", "properties": props, "required": ["id", "p0"]}
    ok = {"description": "ok", "content": {"application/json": {"schema": {}}}}
    paths: dict[str, Any] = {}
    for i in range(models):
        body = {"$ref": f"#/components/schemas/Node{i}"}
        paths[f"/nodes{i}"] = {
            "post": {
                "operationId": f"createNode{i}",
                "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                "responses": {"200": {**ok, "content": {"application/json": {"schema": body}}}},
            }
        }
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "graph", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Api:
    spec = graph_spec(tmp_path_factory.mktemp("graph") / "graph.json")
    return load_api(spec, Config())[0]


def values(v: object) -> int:
    """JSON values in `v`, containers included."""
    if isinstance(v, dict):
        return 1 + sum(values(x) for x in v.values())
    if isinstance(v, list):
        return 1 + sum(values(x) for x in v)
    return 1


def depth_of(v: object) -> int:
    if isinstance(v, dict) and v:
        return 1 + max(depth_of(x) for x in v.values())
    if isinstance(v, list) and v:
        return depth_of(v[0])
    return 0


def test_wide_deep_graph_generates_in_bounded_memory(tmp_path: Path) -> None:
    """Unbounded, the first example response alone would need 24**8 values (the run dies at
    the address-space cap); bounded, the whole run stays small."""
    spec = graph_spec(tmp_path / "graph.json")
    out = tmp_path / "out"
    code, rss, err = bounded_run(spec, out, address_space_mb=4096)
    assert code == 0, err[-3000:]
    assert rss < 1024, f"peak RSS {rss:.0f} MB"
    api_md = (out / "api.md").read_text(encoding="utf-8")
    assert len(api_md) < 4_000_000
    assert api_md.count("**Response**") == MODELS


def test_example_response_holds_at_most_its_budget(api: Api) -> None:
    root = TypeRef("model", "Node0")
    unbounded = bounds.Sizes({m.name: m for m in api.models}).size(root, bounds.MAX_DEPTH, False)
    assert unbounded > 10**9  # what the walk would have had to build
    for budget in (50, 300, 5_000):
        value = Examples(api, budget).response(root)
        assert values(value) <= budget
        assert depth_of(value) >= 1  # the top model is always shown, with its fields
        assert bounds.ELLIPSIS not in json.dumps(value)  # the depth fitted; nothing was cut
    # A deeper budget shows deeper models.
    assert depth_of(Examples(api, 5_000).response(root)) > depth_of(
        Examples(api, 50).response(root)
    )


def test_a_model_wider_than_the_budget_is_cut_deterministically(api: Api) -> None:
    root = TypeRef("model", "Node3")
    first = Examples(api, 10).response(root)
    assert isinstance(first, dict)
    assert list(first)[-1] == bounds.ELLIPSIS and first[bounds.ELLIPSIS] == bounds.ELLIPSIS
    assert values(first) <= 10 + 1  # the budget, and the marker of the cut
    assert json.dumps(Examples(api, 10).response(root)) == json.dumps(first)


def test_example_requests_are_bounded_in_depth(api: Api) -> None:
    """Requests show required fields only (never cut, so the call stays valid); the depth
    shrinks to fit: p0 chains Node0 -> Node1 -> ... as deep as the budget allows."""
    op = next(op for _, op in api.all_operations() if op.path == "/nodes0")
    snippet = example_snippet(op, api)
    assert snippet.count('"p0"') == bounds.MAX_DEPTH
    small = Examples(api, 3).request(op.parameters[0].type)
    assert small.count('"p0"') < bounds.MAX_DEPTH
    compile(small, "<example>", "eval")


def test_doc_trees_hold_at_most_doc_items(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def tree(item: docviews.Item) -> int:
        return 1 + sum(tree(c) for c in item.children)

    def returns(limit: int) -> docviews.Item:
        monkeypatch.setattr(docviews, "DOC_ITEMS", limit)
        docs = docviews.resource_docs(api)
        return next(m.returns for r in docs for m in r.methods if m.http_method.upper() == "POST")

    full = returns(10_000)
    assert tree(full) - 1 > 2 * WIDTH  # two levels: the fields and their fields
    shallow = returns(WIDTH + 5)
    assert tree(shallow) - 1 <= WIDTH + 5
    assert [c.name for c in shallow.children] == [c.name for c in full.children]
    cut = returns(10)
    assert tree(cut) - 1 <= 10 and cut.children[-1].kind == "more"
    assert cut.children[-1].description.startswith(f"{WIDTH + 1 - 9} more")
