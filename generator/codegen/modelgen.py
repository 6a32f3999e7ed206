"""Model modules for an API, generated once per group and cached across runs.

datamodel-code-generator takes seconds on a big spec, and a regeneration after a
one-schema change should not pay that again. Each module (a group of mutually recursive
models) is cached under a key made of everything its source can depend on: its models'
schemas, the schemas and module names of the models it refers to, the generator and
datamodel-code-generator versions and the override templates. Missing groups are
generated with the models they refer to as context (in parallel worker processes when
there are many), so the result does not depend on what was cached: a cold run and a
warm one give identical bytes (a test holds it to that). A missing lone model whose
schema another missing one repeats is not generated but renamed from it (`modeldedup`).
"""

from __future__ import annotations

import gc
import hashlib
import importlib.metadata
import json
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from sdkforge import __version__
from sdkforge.apimodel.ir import Model
from sdkforge.caches.store import cache_root, code_hash, load_text, store_later, tree_hash
from sdkforge.codegen.modelcontext import as_context
from sdkforge.codegen.modeldedup import copies, twins
from sdkforge.codegen.modelparts import model_in_black_layout
from sdkforge.codegen.models import json_schema, render_models
from sdkforge.codegen.modelsplit import HEADER, components, model_refs, module_names, split

T = TypeVar("T")
_PARALLEL_MODELS = 300
# More chunks than cores so a core that finishes early takes more (each chunk repeats the
# models its own refer to, but measured on OpenAI's 1,943 models the total work stays flat
# from 2 to 12 chunks: datamodel-code-generator is superlinear in the models per call).
_CHUNKS_PER_CORE = 6


def warm_up() -> None:
    """Import datamodel-code-generator's parser and model code (about 0.3 s): run on the
    pre-started workers (`sdkforge.control.concurrency`) while the parent still loads the spec."""
    import datamodel_code_generator.model.pydantic_v2
    import datamodel_code_generator.parser.openapi  # noqa: F401


class Pool(Protocol):
    """What model generation needs of a pool of worker processes (`concurrency.Workers`)."""

    cores: int
    count: int

    def call(self, fn: Callable[..., T], *args: object) -> Future[T] | None:
        """Run a picklable job on a worker; None when the pool is gone."""
        ...


class Module(NamedTuple):
    """One generated model module."""

    source: str
    clean: bool
    """Exactly in black's layout (`blackcheck`): it needs no formatter. Decided where the
    module is generated (in a worker, on a cold run) and cached with it."""


Modules = tuple[dict[str, Module], dict[str, str]]
Job = tuple[list[Model], set[str]]
"""Models to give datamodel-code-generator, and the names whose modules to keep."""


def start_model_modules(
    models: Iterable[Model],
    template_dir: Path | None,
    *,
    use_cache: bool = True,
    workers: Pool | None = None,
) -> Callable[[], Modules]:
    """A callable giving `(module stem → source, model name → module stem)` for every model.

    Returns as soon as the modules not in the cache are queued on `workers`; calling the
    result waits for them, so the caller renders its templates in the meantime."""
    model_list = list(models)
    if not model_list:
        return lambda: ({}, {})
    by_name = {m.name: m for m in model_list}
    groups = components(model_list)
    locations = module_names(groups)
    schemas: dict[str, Any] = json_schema(model_list)["components"]["schemas"]
    salt = json.dumps(
        [
            __version__,
            importlib.metadata.version("datamodel-code-generator"),
            code_hash(),
            tree_hash(template_dir),
        ]
    )
    group_of = {n: g for g in groups for n in g}
    keys: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    # A widely used model is context for hundreds of groups: serialise its shape once.
    shapes: dict[str, bytes] = {}
    for group in groups:
        stem = locations[group[0]]
        direct = {r for n in group for r in model_refs(by_name[n]) if r in by_name}
        # Everything `_job` gives the generator as context: the referenced groups, whole.
        refs = sorted({m for r in direct for m in group_of[r]} - set(group))
        # The properties' order too: it is the fields' order, and `_canonical` sorts keys.
        own = [(n, schemas[n], list(schemas[n].get("properties", ()))) for n in group]
        digest = hashlib.sha256(_canonical([salt, stem, own]))
        for r in refs:
            if r not in shapes:
                shapes[r] = _canonical([r, locations[r], _shape(schemas[r])])
            digest.update(b"\0")
            digest.update(shapes[r])
        keys[stem] = digest.hexdigest()
        members[stem] = group
    folder = cache_root() / "models"
    sources: dict[str, Module] = {}
    if use_cache:
        for stem, key in keys.items():
            cached = load_text(folder / key[:2] / f"{key}.py")
            if cached is not None and cached[:1] in ("0", "1"):
                sources[stem] = Module(cached[1:], cached[0] == "1")
    missing = [stem for stem in keys if stem not in sources]
    # Lone models whose schema another missing one repeats: renamed copies (`modeldedup`).
    pairs = twins((members[s] for s in missing), by_name, schemas)

    def start(groups: list[list[str]]) -> Callable[[], dict[str, Module]]:
        return _start_groups(groups, group_of, by_name, locations, template_dir, workers)

    generate = [members[s] for s in missing if members[s][0] not in pairs]
    pending = start(generate) if generate else dict

    def finish() -> Modules:
        fresh = pending()
        if pairs:
            texts, refused = copies(pairs, {s: m.source for s, m in fresh.items()}, locations)
            fresh.update((s, Module(t, model_in_black_layout(t, HEADER))) for s, t in texts.items())
            if refused:  # rare: generated as usual
                fresh.update(start([[name] for name in refused])())
        for stem in missing:
            module = sources[stem] = fresh.get(stem, Module("", False))
            if use_cache:
                entry = ("1" if module.clean else "0") + module.source
                store_later(folder / keys[stem][:2] / f"{keys[stem]}.py", entry)
        return {stem: sources[stem] for stem in sorted(sources) if sources[stem].source}, locations

    return finish


def _canonical(value: object) -> bytes:
    """Key material: JSON with sorted keys (a cache key must not depend on dict order)."""
    return json.dumps(value, sort_keys=True, default=str).encode()


def _shape(schema: dict[str, Any]) -> dict[str, Any]:
    """A referenced model's schema without its descriptions (its own and its fields'):
    they are written in its module only, so editing a widely used model's text must not
    regenerate every module that refers to it. Property names stay (one may be called
    `description`)."""
    out = {k: v for k, v in schema.items() if k != "description"}
    props = out.get("properties")
    if isinstance(props, dict):
        out["properties"] = {
            name: {k: v for k, v in p.items() if k != "description"} if isinstance(p, dict) else p
            for name, p in props.items()
        }
    return out


def _start_groups(
    groups: list[list[str]],
    group_of: dict[str, list[str]],
    by_name: dict[str, Model],
    locations: dict[str, str],
    template_dir: Path | None,
    workers: Pool | None = None,
) -> Callable[[], dict[str, Module]]:
    """Module sources for `groups`: split over the cores when there are many models, and
    handed to the pre-started worker (whose imports are done) when there is one."""
    total = sum(len(g) for g in groups)
    cores = workers.cores if workers is not None else min(os.cpu_count() or 1, 4)
    if cores < 2 or total < _PARALLEL_MODELS:
        ordered, per_chunk, floor = groups, total, total  # one chunk
    else:
        # Contiguous slices of a depth-first order keep most references inside one chunk,
        # so each worker needs little context (an arbitrary split needs nearly all of it).
        position = {name: i for i, name in enumerate(_dfs_order(by_name))}
        ordered = sorted(groups, key=lambda g: min(position[n] for n in g))
        per_chunk = total // (cores * _CHUNKS_PER_CORE) + 1
        floor = max(1, per_chunk // 4)
    if workers is None:  # chunks of one size, cut at once
        fixed = _Chunks(ordered, (per_chunk, per_chunk), cores, by_name, group_of)
        jobs = list(iter(partial(fixed.take, front=True), None))
        return lambda: _run_here(jobs, locations, template_dir)
    # The workers take chunks from the front (a lone chunk too: their imports are done),
    # the next as soon as one is finished (a done-callback feeds them); this process, when
    # asked for the result, takes chunks from the back. Whoever is free does the next one.
    pending = _Chunks(ordered, (floor, per_chunk), cores, by_name, group_of)
    inflight: list[tuple[Job, Future[dict[str, Module]]]] = []
    lock = threading.Lock()

    def feed(_: object = None) -> None:
        with lock:
            job = pending.take(front=True)
            if job is None:
                return
            future = workers.call(_render_job, *job, locations, template_dir)
            if future is None:  # no pool: leave it to this process
                pending.give_back(job)
                return
            inflight.append((job, future))
        future.add_done_callback(feed)

    for _ in range(workers.count):
        feed()

    def gather() -> dict[str, Module]:
        out: dict[str, Module] = {}
        # This process holds the spec, the IR and every rendered file: datamodel-code-generator
        # allocates enough to start full collections, which would walk all of that again and
        # again (GitHub: its chunks took 1.6x the CPU they take on a worker). Frozen, the
        # heap is left out of them while the chunks run here.
        gc.freeze()
        try:
            while True:
                with lock:
                    job = pending.take(front=False)
                if job is None:
                    break
                out.update(_render_job(*job, locations, template_dir))
        finally:
            gc.unfreeze()
        with lock:
            remote = list(inflight)
        for job, future in remote:
            try:
                out.update(future.result())
                continue
            except BrokenProcessPool:  # a worker died (killed, out of memory): do it here
                pass
            out.update(_render_job(*job, locations, template_dir))
        return out

    return gather


class _Chunks:
    """The model groups not yet handed out, cut into chunks as they are taken: a full
    chunk while much is left, smaller ones toward the end (a share of what is left per
    core, down to a quarter chunk), so that the last chunks, which one core may be left
    running alone, are short (GitHub: one of 12 fixed chunks took up to 1.5 s; the total
    work does not grow with smaller chunks, measured from 12 to 40 on GitHub)."""

    def __init__(
        self,
        ordered: list[list[str]],
        sizes: tuple[int, int],
        cores: int,
        by_name: dict[str, Model],
        group_of: dict[str, list[str]],
    ) -> None:
        """`sizes`: the smallest and the largest chunk, in models."""
        self._groups = deque(ordered)
        self._left = sum(len(g) for g in ordered)
        self._floor, self._per_chunk = sizes
        self._cores = cores
        self._by_name = by_name
        self._group_of = group_of
        self._returned: list[Job] = []

    def take(self, *, front: bool) -> Job | None:
        """The next chunk from the front (workers) or the back (this process)."""
        if self._returned:
            return self._returned.pop()
        if not self._groups:
            return None
        size = max(self._floor, min(self._per_chunk, -(-self._left // (2 * self._cores))))
        names: list[str] = []
        while self._groups and len(names) < size:
            names.extend(self._groups.popleft() if front else self._groups.pop())
        self._left -= len(names)
        return _job(names, self._by_name, self._group_of)

    def give_back(self, job: Job) -> None:
        self._returned.append(job)


def _run_here(
    jobs: list[Job], locations: dict[str, str], template_dir: Path | None
) -> dict[str, Module]:
    """Without pre-started workers: inline, or a pool of its own for several chunks."""
    if len(jobs) == 1:
        return _render_job(*jobs[0], locations, template_dir)
    with ProcessPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(_render_job, *job, locations, template_dir) for job in jobs]
        return {k: v for f in futures for k, v in f.result().items()}


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


def _job(names: list[str], by_name: dict[str, Model], group_of: dict[str, list[str]]) -> Job:
    """The models to give datamodel-code-generator for `names`, and which of its modules to
    keep. The models they refer to come along as context, each with its whole group (its
    shape, recursion included, decides how a reference to it is written: a recursive
    model cut from its cycle would lose the `model_rebuild()` of the models using it);
    they are dropped afterwards. A lone context model that does not refer to itself comes
    without its fields (`modelcontext`). The models the context refers to are stubs, only
    there to resolve. Only this subset travels to a worker process."""
    wanted = set(names)
    direct = {r for n in wanted for r in model_refs(by_name[n]) if r in by_name} - wanted
    context = [
        as_context(by_name[m]) if len(group_of.get(m, [m])) == 1 else by_name[m]
        for m in sorted({m for r in direct for m in group_of.get(r, [r])} - wanted)
    ]
    names_in = wanted | {m.name for m in context}
    outer = {r for m in context for r in model_refs(m) if r in by_name} - names_in
    subset = sorted([by_name[n] for n in wanted] + context, key=lambda m: m.name)
    stubs = [Model(name=n, pointer="", kind="alias") for n in sorted(outer)]
    return subset + stubs, wanted


def _render_job(
    models: list[Model], keep: set[str], locations: dict[str, str], template_dir: Path | None
) -> dict[str, Module]:
    """Generate the modules of `keep` from `models` (run in a worker or inline)."""
    modules = split(render_models(models, template_dir), locations, keep=keep)
    return {
        stem: Module(text, model_in_black_layout(text, HEADER)) for stem, text in modules.items()
    }
