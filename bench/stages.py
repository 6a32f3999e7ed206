#!/usr/bin/env python
"""Where a cold generation spends its time (issue 26): wall and CPU per pipeline stage.

    python bench/stages.py SPEC [--config PATH] [--formatter black] [--warm] [--json FILE]

Runs `sdkforge.pipeline.generate` and `write` in this process, the cache in an empty
temporary XDG_CACHE_HOME, with timing wrappers around each stage's entry point (the
functions the pipeline calls, looked up by name at call time, so nothing else changes).
A stage's time is exclusive: what a stage nested in it took is charged to that stage
only. Stages that overlap with worker processes show the time this process spent in them
(for `validate` and `models`: waiting for the workers); `workers` is the CPU every worker
process used, reaped at the end. `other` is the rest of the run (imports excluded).

With --warm, the timed run is the warm step of `perf.py` instead: a first generation
(untimed) fills the cache and the output, then the first schema's description changes and
the timed run regenerates into the same output.

Stages: read (load + YAML/JSON parse), validate, bundle, build IR, api.md views (doc
views and examples), resource views, render (templates), models (datamodel-code-generator,
queued and awaited), format (black, and the layout checks that spare it), gate (compile
every file), write (compare with the output and write).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import edit_one_schema, load_spec, table


class Clock:
    """Exclusive wall and CPU time per stage, with a stack for nested stages."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._stack: list[list[float]] = []  # [nested wall, nested cpu] per open stage

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([0.0, 0.0])
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                w, c = time.perf_counter() - w0, time.process_time() - c0
                nested = self._stack.pop()
                self.wall[stage] = self.wall.get(stage, 0.0) + w - nested[0]
                self.cpu[stage] = self.cpu.get(stage, 0.0) + c - nested[1]
                self.calls[stage] = self.calls.get(stage, 0) + 1
                if self._stack:
                    self._stack[-1][0] += w
                    self._stack[-1][1] += c

        return timed


def instrument(clock: Clock) -> None:
    """Wrap each stage's entry point where the pipeline looks it up."""
    from sdkforge import pipeline
    from sdkforge.codegen import render
    from sdkforge.control import concurrency

    for module in (pipeline, concurrency):
        for name, stage in (
            ("load_document", "read"),
            ("validate", "validate"),
            ("bundle", "bundle"),
            ("build_api", "build IR"),
        ):
            if hasattr(module, name):
                setattr(module, name, clock.wrap(stage, getattr(module, name)))
    concurrency.Overlap._get = clock.wrap("validate", concurrency.Overlap._get)  # type: ignore[method-assign]
    pipeline._render = clock.wrap("render", pipeline._render)
    render.docviews.resource_docs = clock.wrap("api.md views", render.docviews.resource_docs)
    render.resource_views = clock.wrap("resource views", render.resource_views)
    start = render.start_model_modules

    def start_models(*args: Any, **kwargs: Any) -> Any:
        finish = clock.wrap("models", start)(*args, **kwargs)
        return clock.wrap("models", finish)

    render.start_model_modules = start_models
    pipeline.format_many = clock.wrap("format", pipeline.format_many)
    pipeline.compile_gate = clock.wrap("gate", pipeline.compile_gate)
    from sdkforge.caches import runs, store

    store.flush = clock.wrap("cache writes", store.flush)  # type: ignore[method-assign]
    pipeline.runs.remember = clock.wrap("cache writes", runs.remember)


STAGES = [
    "read",
    "validate",
    "bundle",
    "build IR",
    "api.md views",
    "resource views",
    "render",
    "models",
    "format",
    "gate",
    "cache writes",
    "write",
]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("spec", type=Path)
    p.add_argument("--config", type=Path)
    p.add_argument("--formatter", default="black")
    p.add_argument("--warm", action="store_true", help="time a one-schema edit's run")
    p.add_argument("--json", dest="json_out", type=Path)
    args = p.parse_args(argv)

    # The collector's thresholds of the command (`sdkforge.cli.run`): with the defaults, full
    # collections over the spec, the IR and every file land in whichever stage allocates
    # next (GitHub's `write` took 0.4 s in one run and 1.9 s in the next).
    gc.set_threshold(200_000, 30, 30)
    scratch = Path(tempfile.mkdtemp(prefix="sdkforge-stages-"))
    os.environ["XDG_CACHE_HOME"] = str(scratch / "xdg-cache")
    from sdkforge import pipeline
    from sdkforge.config import load_config
    from sdkforge.write import write

    config = load_config(args.config)
    options = pipeline.Options(formatter=args.formatter)
    spec = args.spec.resolve()
    if args.warm:
        data = load_spec(spec)
        spec = scratch / "spec.json"
        spec.write_text(json.dumps(data, default=str), encoding="utf-8")
        write(pipeline.generate(spec, config, options).plan, scratch / "out", force=True)
        edit_one_schema(data, 1)
        spec.write_text(json.dumps(data, default=str), encoding="utf-8")
    clock = Clock()
    instrument(clock)
    t0, c0, k0 = time.perf_counter(), time.process_time(), os.times()
    result = pipeline.generate(spec, config, options)
    clock.wrap("write", write)(result.plan, scratch / "out", force=not args.warm)
    wall, cpu, k1 = time.perf_counter() - t0, time.process_time() - c0, os.times()
    workers = (k1.children_user - k0.children_user) + (k1.children_system - k0.children_system)
    rows = [
        [
            s,
            f"{clock.wall.get(s, 0.0):.2f}",
            f"{clock.cpu.get(s, 0.0):.2f}",
            str(clock.calls.get(s, 0)),
        ]
        for s in STAGES
    ]
    rows.append(
        [
            "other",
            f"{wall - sum(clock.wall.values()):.2f}",
            f"{cpu - sum(clock.cpu.values()):.2f}",
            "",
        ]
    )
    rows.append(["workers (CPU)", "", f"{workers:.2f}", ""])
    rows.append(["total", f"{wall:.2f}", f"{cpu + workers:.2f}", ""])
    print(f"{args.spec.name}: {len(result.plan.files)} files")
    print(table(["stage", "wall s", "CPU s (this process)", "calls"], rows, right={1, 2, 3}))
    if args.json_out:
        args.json_out.write_text(
            json.dumps(
                {"wall": clock.wall, "cpu": clock.cpu, "total_wall": wall, "workers_cpu": workers}
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
