"""Model generation: the same bytes whichever way the work was split, cached or not.

A cold run of a big spec splits the models into chunks (a pre-started worker takes some,
this process renders the last); a warm run regenerates only the groups whose inputs
changed and reads the rest from the cache. Both must give exactly what one uncached,
single-chunk run gives.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sdkforge.caches import packs
from sdkforge.caches.store import flush
from sdkforge.codegen.modelgen import start_model_modules, warm_up
from sdkforge.codegen.render import TEMPLATES
from sdkforge.config import Config
from sdkforge.control.concurrency import Workers
from sdkforge.pipeline import load_api

DATAMODEL = TEMPLATES / "datamodel"


def _spec(models: int, edit: str = "") -> dict[str, Any]:
    """`models` schemas in chains of references, a recursive pair, enums and inline objects:
    enough for the parallel split (300+) and for references that cross chunks."""
    schemas: dict[str, Any] = {
        "Node": {
            "type": "object",
            "properties": {"next": {"$ref": "#/components/schemas/Tree"}},
        },
        "Tree": {
            "type": "object",
            "properties": {
                "nodes": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
            },
        },
    }
    for i in range(models):
        props: dict[str, Any] = {
            "id": {"type": "string", "description": f"Identifier of item {i}."},
            "kind": {"type": "string", "enum": [f"k{i}", "other"]},
            "extra": {"type": "object", "properties": {"n": {"type": "integer"}}},
        }
        if i:
            props["previous"] = {"$ref": f"#/components/schemas/Item{i - 1}"}
        if i % 7 == 0:
            props["tree"] = {"$ref": "#/components/schemas/Tree"}
        schemas[f"Item{i}"] = {
            "type": "object",
            "description": f"Item number {i}.{edit if i == 3 else ''}",
            "required": ["id"],
            "properties": props,
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Many", "version": "1"},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/Item{models - 1}"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }


def _models(tmp_path: Path, spec: dict[str, Any]) -> list[Any]:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    api, _, _ = load_api(path, Config())
    return list(api.models)


def _run(models: list[Any], *, cores: int | None, use_cache: bool) -> tuple[Any, Any]:
    workers = Workers(cores, warm_up=warm_up) if cores is not None else None
    try:
        result = start_model_modules(models, DATAMODEL, use_cache=use_cache, workers=workers)()
        flush()  # new entries are queued, to be written while formatters run
        return result
    finally:
        if workers is not None:
            workers.close()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


def _stored(cache: Path, kind: str) -> set[str]:
    """The keys of a kind's cache entries, loose files and packed ones alike."""
    root = cache / "sdkforge"
    loose = {p.relative_to(root).as_posix() for p in (root / kind).rglob("*") if p.is_file()}
    return loose | {key for key in packs.index(root) if key.startswith(kind + "/")}


def test_split_cached_and_uncached_runs_give_the_same_modules(tmp_path: Path, cache: Path) -> None:
    models = _models(tmp_path, _spec(320))
    assert len(models) >= 300
    reference = _run(models, cores=1, use_cache=False)  # one chunk, in the worker
    assert _run(models, cores=None, use_cache=False) == reference  # inline, no workers
    assert _run(models, cores=2, use_cache=True) == reference  # split; fills the cache
    assert _stored(cache, "models"), "the cache was filled"
    assert _run(models, cores=2, use_cache=True) == reference  # everything from the cache

    edited = _models(tmp_path, _spec(320, edit=" Edited."))
    fresh = _run(edited, cores=1, use_cache=False)
    assert fresh != reference
    entries = _stored(cache, "models")
    assert _run(edited, cores=2, use_cache=True) == fresh  # one group regenerated
    # Item3's module, and Item4's whose `previous` field repeats Item3's description; not
    # Item5's, which refers to Item4 but carries none of its descriptions.
    assert len(_stored(cache, "models") - entries) == 2


def test_a_dead_worker_is_replaced_by_rendering_here(tmp_path: Path, cache: Path) -> None:
    models = _models(tmp_path, _spec(5))
    reference = _run(models, cores=None, use_cache=False)
    workers = Workers(2, warm_up=warm_up)
    workers.close()  # as if the pool were gone: call() says so, the chunk renders here
    assert start_model_modules(models, DATAMODEL, use_cache=False, workers=workers)() == reference
