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
from conftest import shared_specs

from sdkforge.caches import packs
from sdkforge.caches.store import flush
from sdkforge.codegen.modelgen import _Chunks, start_model_modules, warm_up
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


def test_chunks_shrink_toward_the_end_and_cover_every_group_once(tmp_path: Path) -> None:
    """Workers take from the front, this process from the back; the last chunks, which one
    core may run alone, are short, but none but the remainder is shorter than the floor."""
    models = _models(tmp_path, _spec(320))
    by_name = {m.name: m for m in models}
    groups = [[m.name] for m in models]
    group_of = {m.name: [m.name] for m in models}
    chunks = _Chunks(groups, (8, 32), 2, by_name, group_of)
    taken: list[set[str]] = []
    front = True
    while (job := chunks.take(front=front)) is not None:
        taken.append(job[1])
        front = not front
    sizes = [len(keep) for keep in taken]
    assert sorted(n for keep in taken for n in keep) == sorted(by_name)
    assert sizes[0] == 32 and sizes[-1] < 32 and min(sizes[:-1]) >= 8
    assert sum(1 for size in sizes[:-1] if size < 32) >= 3, sizes  # it shrinks
    assert sizes == sorted(sizes, reverse=True)
    # A job handed back (no pool to run it) is the next one taken.
    one = _Chunks(groups, (len(groups), len(groups)), 1, by_name, group_of)
    job = one.take(front=True)
    assert job is not None and len(job[1]) == len(groups)  # one chunk
    one.give_back(job)
    assert one.take(front=False) is job and one.take(front=True) is None


def test_a_dead_worker_is_replaced_by_rendering_here(tmp_path: Path, cache: Path) -> None:
    models = _models(tmp_path, _spec(5))
    reference = _run(models, cores=None, use_cache=False)
    workers = Workers(2, warm_up=warm_up)
    workers.close()  # as if the pool were gone: call() says so, the chunk renders here
    assert start_model_modules(models, DATAMODEL, use_cache=False, workers=workers)() == reference


def _twins_spec() -> dict[str, Any]:
    """Models of one shape under several names (one long enough to push its class line past
    100 columns), one near twin (a description differs), and a pair whose shape mentions
    the second's name in a description (so the copy could differ: it must be generated)."""
    shape: dict[str, Any] = {
        "type": "object",
        "description": "A thing with an owner.",
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "description": "Its identifier."},
            "owner": {"$ref": "#/components/schemas/Owner"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    }
    near = json.loads(json.dumps(shape))
    near["properties"]["id"]["description"] = "Its identifier (another)."
    mentions = {**shape, "description": "Unlike an Epsilon, it has an owner."}
    long_name = "Zeta" + "Long" * 22
    schemas: dict[str, Any] = {
        "Owner": {"type": "object", "properties": {"login": {"type": "string"}}},
        "Alpha": shape,
        "Beta": shape,
        long_name: shape,
        "Gamma": near,
        "Delta": mentions,
        "Epsilon": mentions,
    }
    spec = _spec(1)
    spec["components"]["schemas"] = schemas
    spec["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"] = {
        "schema": {"type": "array", "items": {"$ref": f"#/components/schemas/{long_name}"}}
    }
    return spec


def test_models_of_one_shape_are_generated_once(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdkforge.codegen import modelgen

    models = _models(tmp_path, _twins_spec())
    long_name = next(m.name for m in models if m.name.startswith("Zeta"))
    assert {m.name for m in models} == {
        "Owner", "Alpha", "Beta", "Gamma", "Delta", "Epsilon", long_name
    }  # fmt: skip
    calls: list[list[str]] = []
    render = modelgen.render_models

    def counted(batch: list[Any], template_dir: Path | None) -> str:
        calls.append([m.name for m in batch])
        return render(batch, template_dir)

    monkeypatch.setattr(modelgen, "render_models", counted)
    with monkeypatch.context() as direct:
        direct.setattr(modelgen, "twins", lambda *_: {})  # every model through the generator
        reference = _run(models, cores=None, use_cache=False)
    assert sorted(calls[0]) == sorted(m.name for m in models)
    calls.clear()

    assert _run(models, cores=None, use_cache=False) == reference
    # Beta and the long name are Alpha's renamed copies; Gamma differs (a description);
    # Epsilon is Delta's twin, but Delta's module spells "Epsilon": generated after all.
    assert sorted(calls[0]) == ["Alpha", "Delta", "Gamma", "Owner"]
    assert calls[1:] == [["Epsilon", "Owner"]]
    modules, locations = reference
    beta, alpha = modules[locations["Beta"]], modules[locations["Alpha"]]
    assert beta.source == alpha.source.replace("class Alpha(", "class Beta(")
    assert "from .owner import Owner" in beta.source
    # The long name's class line is past 100 columns: that copy is not in black's layout.
    assert alpha.clean and not modules[locations[long_name]].clean
    # The same through a worker, and the copies are cached under their own keys.
    assert _run(models, cores=1, use_cache=True) == reference
    assert len(list((cache / "sdkforge" / "models").rglob("*.py"))) == len(models)


def test_reordered_properties_are_regenerated(tmp_path: Path, cache: Path) -> None:
    """A property's position is its field's: the cache key must not sort it away."""
    spec = _spec(2)
    item = spec["components"]["schemas"]["Item1"]
    assert list(item["properties"])[:2] == ["id", "kind"]
    assert _run(_models(tmp_path, spec), cores=None, use_cache=True)  # fills the cache
    item["properties"] = dict(reversed(list(item["properties"].items())))
    models = _models(tmp_path, spec)
    assert _run(models, cores=None, use_cache=True) == _run(models, cores=None, use_cache=False)


def test_context_models_without_their_fields_change_no_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every group generated on its own (the most context there can be) comes out the same
    whether its lone context models are given whole or without their fields."""
    from sdkforge.codegen import modelgen
    from sdkforge.codegen.modelsplit import components, module_names

    spec = _spec(30)
    # A context field named like an imported type: `date` is aliased in Item{i+1}'s module.
    for i in range(0, 30, 3):
        schemas = spec["components"]["schemas"]
        schemas[f"Item{i}"]["properties"]["date"] = {"type": "string"}
        schemas[f"Item{i + 1}"]["properties"]["when"] = {"type": "string", "format": "date"}
    models = _models(tmp_path, spec)
    by_name = {m.name: m for m in models}
    groups = components(models)
    locations = module_names(groups)
    group_of = {n: g for g in groups for n in g}

    def each_alone() -> tuple[dict[str, str], int]:
        out: dict[str, str] = {}
        slimmed = 0
        for group in groups:
            batch, keep = modelgen._job(group, by_name, group_of)
            slimmed += sum(m.kind == "object" and m.fields != by_name[m.name].fields for m in batch)
            jobs = modelgen._render_job(batch, keep, locations, DATAMODEL)
            out.update((stem, module.source) for stem, module in jobs.items())
        return out, slimmed

    slim, slimmed = each_alone()
    assert slimmed > 20  # Item{i-1} is context of Item{i}
    # The alias is the call's decision, made again for the module alone (`modelcanon`): no
    # module here has a field named `date` of its own, so none keeps the alias.
    assert not any("date_aliased" in source for source in slim.values())
    assert any("from datetime import date\n" in source for source in slim.values())
    monkeypatch.setattr(modelgen, "as_context", lambda model: model)
    assert each_alone() == (slim, 0)


def _generated(models: list[Any], *, one_call: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every model module, from one generator call (as for a small spec) or from one call
    per group with its context (as a warm run regenerates a missing group)."""
    from sdkforge.codegen import modelgen

    monkeypatch.setattr(modelgen, "_PARALLEL_MODELS", 10**9 if one_call else 0)
    monkeypatch.setattr(modelgen, "_CHUNKS_PER_CORE", 1 if one_call else 10**6)
    monkeypatch.setattr(
        modelgen,
        "_run_here",
        lambda jobs, loc, td: {
            k: v for job in jobs for k, v in modelgen._render_job(*job, loc, td).items()
        },
    )
    return start_model_modules(models, DATAMODEL, use_cache=False, workers=None)()


def test_a_module_is_the_same_whatever_else_shares_its_generator_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Determinism across machines and caches: a module's text must not depend on which other
    models datamodel-code-generator was given with it (one call for a small spec, chunks by
    core count for a big one, a missing group and its context on a warm run). Real specs
    where it did: codat's `assess` (an import aliased because another model has a field
    named `date`), elasticmapreduce and a circular edge case (`model_rebuild()` calls the
    one-call module needed and a module of its own does not)."""
    specs = shared_specs()
    chosen = [
        specs / "corpus" / "codat.io" / "assess.json",
        specs / "corpus" / "amazonaws.com" / "elasticmapreduce.json",
        specs / "edge" / "3.0" / "schema-circular.yaml",
    ]
    for spec in chosen:
        api, _, _ = load_api(spec, Config())
        models = list(api.models)
        one = _generated(models, one_call=True, monkeypatch=monkeypatch)
        each = _generated(models, one_call=False, monkeypatch=monkeypatch)
        assert one == each, spec.name
        sources = "".join(m.source for m in one[0].values())
        assert "date_aliased" not in sources
