"""Model modules for an API, generated once per group and cached across runs.

datamodel-code-generator takes seconds on a big spec, and a regeneration after a
one-schema change should not pay that again. Each module (a group of mutually recursive
models) is cached under a key made of everything its source can depend on: its models'
schemas, the schemas and module names of the models it refers to, the generator and
datamodel-code-generator versions and the override templates. Missing groups are
generated with the models they refer to as context (in parallel worker processes when
there are many), so the result does not depend on what was cached: a cold run and a
warm one give identical bytes (a test holds it to that).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from generator import __version__
from generator.cache import cache_root, store_text
from generator.ir import Model
from generator.models import json_schema, render_models
from generator.modelsplit import components, model_refs, module_names, split

_PARALLEL_MODELS = 300


def _templates_hash(template_dir: Path | None) -> str:
    digest = hashlib.sha256()
    if template_dir is not None and template_dir.is_dir():
        for path in sorted(template_dir.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(template_dir).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def generate_model_modules(
    models: Iterable[Model], template_dir: Path | None, *, use_cache: bool = True
) -> tuple[dict[str, str], dict[str, str]]:
    """`(module stem → source, model name → module stem)` for every model."""
    model_list = list(models)
    if not model_list:
        return {}, {}
    by_name = {m.name: m for m in model_list}
    groups = components(model_list)
    locations = module_names(groups)
    schemas: dict[str, Any] = json_schema(model_list)["components"]["schemas"]
    from generator.plancache import code_hash

    salt = json.dumps(
        [
            __version__,
            importlib.metadata.version("datamodel-code-generator"),
            code_hash(),
            _templates_hash(template_dir),
        ]
    )
    keys: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for group in groups:
        stem = locations[group[0]]
        refs = sorted(
            {r for n in group for r in model_refs(by_name[n]) if r in by_name} - set(group)
        )
        material = json.dumps(
            [
                salt,
                stem,
                [(n, schemas[n]) for n in group],
                [(r, locations[r], schemas[r]) for r in refs],
            ],
            sort_keys=True,
            default=str,
        )
        keys[stem] = hashlib.sha256(material.encode()).hexdigest()
        members[stem] = group
    folder = cache_root() / "models"
    sources: dict[str, str] = {}
    if use_cache:
        for stem, key in keys.items():
            with contextlib.suppress(OSError):
                sources[stem] = (folder / key[:2] / f"{key}.py").read_text(encoding="utf-8")
    missing = [stem for stem in keys if stem not in sources]
    if missing:
        fresh = _render_groups(
            [members[stem] for stem in missing], by_name, locations, template_dir
        )
        for stem in missing:
            sources[stem] = fresh.get(stem, "")
            if use_cache:
                store_text(folder / keys[stem][:2] / f"{keys[stem]}.py", sources[stem])
    return {stem: sources[stem] for stem in sorted(sources) if sources[stem]}, locations


def _render_groups(
    groups: list[list[str]],
    by_name: dict[str, Model],
    locations: dict[str, str],
    template_dir: Path | None,
) -> dict[str, str]:
    """Module sources for `groups`, split over worker processes when there are many."""
    total = sum(len(g) for g in groups)
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or total < _PARALLEL_MODELS:
        return _render_chunk([n for g in groups for n in g], by_name, locations, template_dir)
    # Contiguous slices of a depth-first order keep most references inside one chunk,
    # so each worker needs little context (an arbitrary split needs nearly all of it).
    position = {name: i for i, name in enumerate(_dfs_order(by_name))}
    ordered = sorted(groups, key=lambda g: min(position[n] for n in g))
    per_chunk = total // workers + 1
    chunks: list[list[str]] = [[]]
    for group in ordered:
        if len(chunks[-1]) >= per_chunk:
            chunks.append([])
        chunks[-1].extend(group)
    out: dict[str, str] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_render_chunk, chunk, by_name, locations, template_dir)
            for chunk in chunks
            if chunk
        ]
        for future in futures:
            out.update(future.result())
    return out


def _dfs_order(by_name: dict[str, Model]) -> list[str]:
    """Models in depth-first post-order of the reference graph (iterative, deterministic)."""
    refs = {n: sorted(r for r in model_refs(m) if r in by_name) for n, m in by_name.items()}
    seen: set[str] = set()
    order: list[str] = []
    for root in sorted(by_name):
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(refs[root]))]
        while stack:
            node, pending = stack[-1]
            for ref in pending:
                if ref not in seen:
                    seen.add(ref)
                    stack.append((ref, iter(refs[ref])))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def _render_chunk(
    names: list[str],
    by_name: dict[str, Model],
    locations: dict[str, str],
    template_dir: Path | None,
) -> dict[str, str]:
    """Generate the modules of `names`; the models they refer to come along as context.

    Context models are generated too (their shape can affect how a reference is written)
    and then dropped; the models those refer to are stubs, only there to resolve.
    """
    wanted = set(names)
    context = {r for n in wanted for r in model_refs(by_name[n]) if r in by_name} - wanted
    outer = {r for n in context for r in model_refs(by_name[n]) if r in by_name} - wanted - context
    subset = [by_name[n] for n in sorted(wanted | context)]
    stubs = [Model(name=n, pointer="", kind="alias") for n in sorted(outer)]
    return split(render_models(subset + stubs, template_dir), locations, keep=wanted)
