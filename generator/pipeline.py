"""The whole pipeline: spec path + config → a `Plan` (nothing written).

    load → validate → bundle → build (IR) → render → format        (then `write`, by the CLI)

`generate` runs the stages in that order, each a call into its own package: `reading`
(load, validate, bundle), `apimodel` (build), `codegen` (render, format). Rendering and
formatting finish before `write` is ever called, so a failure at any stage leaves the
output directory exactly as it was. What runs concurrently to make big specs fast (the
pre-started worker processes, validation on one of them) is behind one seam,
`sdkforge.control.concurrency`; the caches that let a regeneration redo only what changed are in
`sdkforge.caches`. Last, every Python file of the plan is compiled (`codegen.gate`):
whatever slipped through the escaping, nothing that does not compile is ever written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sdkforge.apimodel.build import build_api
from sdkforge.apimodel.ir import Api
from sdkforge.caches import runs, store
from sdkforge.codegen import builtin
from sdkforge.codegen.format import format_many
from sdkforge.codegen.gate import compile_gate
from sdkforge.codegen.modelgen import warm_up
from sdkforge.codegen.render import TEMPLATES, Formatting, planned_files, render_project
from sdkforge.config import Config
from sdkforge.control.concurrency import Built, Overlap, Workers, big
from sdkforge.diagnostics import Diagnostic, Severity, SpecError
from sdkforge.reading.bundle import bundle
from sdkforge.reading.load import load_document
from sdkforge.reading.resolve import Resolver
from sdkforge.reading.swagger import openapi3
from sdkforge.reading.validate import validate
from sdkforge.write import Plan


@dataclass(frozen=True)
class Options:
    """How to generate, beyond what the config says."""

    templates: Path | None = None
    formatter: str = "black"
    use_cache: bool = True
    allow_external_refs: tuple[Path, ...] = ()
    allow_remote_refs: bool = False
    tests: bool = False
    """Also write a smoke-test suite (`tests/`) that runs every operation against Prism."""


@dataclass(frozen=True)
class Result:
    """A finished plan plus what the run learnt on the way."""

    plan: Plan
    api: Api
    diagnostics: list[Diagnostic]


def load_api(
    spec: Path, config: Config, options: Options = Options()
) -> tuple[Api, list[Diagnostic], bytes]:
    """Spec file → IR, raising `SpecError` with every error found."""
    api, diagnostics, _ = _read_and_build(spec, config, options)
    return api, diagnostics, spec.read_bytes()


def _read_and_build(
    spec: Path, config: Config, options: Options, workers: Workers | None = None
) -> Built:
    """load → validate → bundle → build: the IR, every diagnostic, and every file read.

    This is the plain order. A big spec takes the overlapped path instead (validation on
    a worker while this process bundles and builds: `concurrency.Overlap`), which gives the
    same IR and the same errors in the same order.
    """
    try:
        overlap = Overlap.start(spec, workers)
        loaded = load_document(spec)
        if workers is not None:
            workers.preload()
        if overlap is not None and overlap.same_file(spec):
            return overlap.read_and_build(
                loaded, config, options.allow_external_refs, options.allow_remote_refs
            )
        found = [*loaded.diagnostics, *validate(loaded)]
        _raise_errors(found)
        resolver = Resolver(
            loaded,
            allow_external=options.allow_external_refs,
            allow_remote=options.allow_remote_refs,
        )
        data, bundled = bundle(resolver)
        _raise_errors([*found, *bundled])
        api, built = build_api(openapi3(data), config, str(spec))
        return api, [*found, *bundled, *built], [spec, *resolver.documents]
    except RecursionError:
        raise _too_deep(spec) from None


def _raise_errors(diagnostics: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise SpecError(diagnostics)


def _too_deep(spec: Path) -> SpecError:
    """A last line of defence: validation refuses deep inline nesting with its pointer, but
    any structure that still exhausts Python's recursion is input, not a crash (exit 2)."""
    return SpecError(
        [
            Diagnostic(
                Severity.ERROR,
                "the spec's types nest too deeply to generate a client",
                file=str(spec),
                hint="move nested schemas into components/schemas and $ref them",
            )
        ]
    )


def is_current(spec: Path, config: Config, options: Options, out_dir: Path) -> bool:
    """True when a previous run with identical inputs produced exactly what `out_dir` holds."""
    return options.use_cache and runs.up_to_date(runs.fingerprint(spec, config, options), out_dir)


Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    """The default progress callback: report nothing."""


def generate(
    spec: Path,
    config: Config,
    options: Options = Options(),
    progress: Progress = _quiet,
    reserve: Callable[[int], None] | None = None,
) -> Result:
    """Run every stage up to (not including) writing; return the plan.

    `progress(stage, done, total)` hears about each stage as it advances; it is kept out
    of `Options` because options are part of the incremental-build fingerprint.
    `reserve(n)` is told, once the spec is valid and the IR built, about how many files
    the plan will hold (`render.planned_files`): the CLI starts making them then
    (`control.reserve`).
    """
    builtin.check(TEMPLATES)  # a broken install stops here, before anything is read or written
    key = runs.fingerprint(spec, config, options) if options.use_cache else ""
    progress("loading", 0, 1)
    # Started first: the workers warm up while this process reads the spec.
    workers = Workers(warm_up=warm_up, preload=not big(spec))
    try:
        api, diagnostics, inputs = _read_and_build(spec, config, options, workers)
        if reserve is not None:
            reserve(planned_files(api, options.templates, "spec" if options.tests else ""))
        raw = spec.read_bytes()
        spec_hash = hashlib.sha256(raw).hexdigest()
        spec_copy = _spec_copy_name(spec, raw) if options.tests else ""
        raw = raw if spec_copy else b""  # not held through the run for nothing (Graph: 20 MB)
        rendered = _render(api, options, spec_copy, workers, progress)
    except RecursionError:
        raise _too_deep(spec) from None
    finally:
        workers.close()
    texts = _format(rendered, options, progress)
    # The cache's queued entries share the texts (or copy them: model modules): written
    # now, each text is let go as soon as it is encoded, and the plan's bytes never sit
    # beside the whole client's text (Microsoft Graph: 175 MB).
    store.flush()
    files = _encode(texts)
    if spec_copy:
        # The original bytes: Prism reads the document exactly as the author wrote it.
        files[f"tests/{spec_copy}"] = raw
    compile_gate(files, use_cache=options.use_cache)
    store.flush()  # the gate's markers
    plan = Plan(files=files, spec_hash=spec_hash)
    if key:
        runs.remember(key, plan, inputs)
    return Result(plan=plan, api=api, diagnostics=diagnostics)


Rendered = list[tuple[str, str | bytes, Formatting]]
"""Every file as rendered: its text, or its bytes when it is not Python (`render.encoded`)."""


def _render(
    api: Api, options: Options, spec_copy: str, workers: Workers, progress: Progress
) -> Rendered:
    """IR → every file's text (`codegen.render`); model modules on the workers."""
    total_ops = len(api.all_operations())
    progress("operations", total_ops, total_ops)
    progress("rendering", 0, len(api.models) + total_ops)
    rendered: Rendered = []
    for item in render_project(
        api, options.templates, use_cache=options.use_cache, tests_spec=spec_copy, workers=workers
    ):
        rendered.append(item)
        progress("rendering", len(rendered), len(api.models) + total_ops)
    return rendered


def _format(rendered: Rendered, options: Options, progress: Progress) -> dict[str, str | bytes]:
    """Rendered files → their final texts, Python through the formatter where needed.

    Takes the texts out of `rendered` (emptied), so that what is returned holds the only
    reference to each: `_encode` can then let each go as it goes."""
    texts = {path: text for path, text, _ in rendered}
    todo = [(path, how) for path, _, how in rendered if how]
    rendered.clear()
    sources: list[str] = []
    for path, _ in todo:
        text = texts[path]
        assert isinstance(text, str), path  # Python is rendered as text (`render_project`)
        sources.append(text)
    progress("formatting", 0, len(todo))
    try:
        formatted = format_many(
            sources,
            formatter=options.formatter,
            use_cache=options.use_cache,
            vouchers=[how if callable(how) else None for _, how in todo],
        )
    except Exception:
        # A formatter fails on Python that does not parse, naming neither file nor line:
        # the gate says which file it is (and raises), or the failure is the formatter's.
        compile_gate(
            {p: s.encode("utf-8") for (p, _), s in zip(todo, sources, strict=True)},
            use_cache=False,
        )
        raise
    progress("formatting", len(todo), len(todo))
    texts.update(zip((p for p, _ in todo), formatted, strict=True))
    return texts


def _encode(texts: dict[str, str | bytes]) -> dict[str, bytes]:
    """The files' bytes, in the same order; `texts` is emptied as it goes, so that each
    text is freed once encoded (when nothing else holds it)."""
    files: dict[str, bytes] = {}
    for path in list(texts):
        text = texts.pop(path)
        files[path] = text if isinstance(text, bytes) else text.encode("utf-8")
    return files


def _spec_copy_name(spec: Path, raw: bytes) -> str:
    """`openapi.yaml` or `openapi.json`, by the spec's own suffix, else by its first byte."""
    suffix = spec.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        suffix = ".json" if raw.lstrip()[:1] in (b"{", b"[") else ".yaml"
    return "openapi" + suffix
