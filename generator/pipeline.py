"""The whole pipeline as one function: spec path + config → a `Plan` (nothing written).

load → validate → resolve/bundle → build (IR) → render → format. Rendering and formatting
finish before `write` is ever called, so a failure at any stage leaves the output
directory exactly as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from generator import cache, plancache
from generator.build import build_api
from generator.bundle import Ref, bundle, local_refs
from generator.config import Config
from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.format import format_many
from generator.ir import Api
from generator.load import LoadedDocument, load_document
from generator.modelgen import ModelWorkers
from generator.render import render_project
from generator.resolve import Resolver
from generator.validate import validate
from generator.write import Plan


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
    api, diagnostics, raw, _ = _load(spec, config, options)
    return api, diagnostics, raw


def _load(
    spec: Path, config: Config, options: Options, workers: ModelWorkers | None = None
) -> tuple[Api, list[Diagnostic], bytes, list[Path]]:
    """`load_api` plus every file that was read (the spec and its `$ref`'d files).

    With `workers`, validation runs on one of them while this process bundles and builds
    the IR (a third of a big spec's regeneration). Its verdict still comes first: when it
    finds errors they are raised, whatever bundling or building made of the broken spec.
    """
    pending, seen = _validate_elsewhere(spec, workers)
    loaded = load_document(spec)
    if pending is not None and _identity(spec) != seen:  # changed while being read
        pending = None
    if workers is not None:
        workers.preload()
    if pending is None:
        found = validate(loaded)
        _raise_errors([*loaded.diagnostics, *found])
        built, failure = _bundle_and_build(spec, loaded, config, options)
    else:
        verdict = _Verdict(pending, loaded)
        built, failure = _bundle_and_build(spec, loaded, config, options, verdict.local_refs)
        found = verdict.found()
        _raise_errors([*loaded.diagnostics, *found])
    if isinstance(failure, _BundleFailed):
        raise SpecError([*loaded.diagnostics, *found, *failure.diagnostics]) from None
    if failure is not None or built is None:
        raise failure or AssertionError("no IR and no error")
    api, later, inputs = built
    return api, [*loaded.diagnostics, *found, *later], spec.read_bytes(), inputs


_OFFLOAD_BYTES = 2_000_000
"""Specs this big validate on a worker (GitHub's 13 MB: 0.27 s; OpenAI's 3 MB: 0.1 s)."""


def _big(spec: Path) -> bool:
    """Big enough to validate on a worker (which then imports its generator after it)."""
    try:
        return spec.stat().st_size >= _OFFLOAD_BYTES
    except OSError:
        return False


class _BundleFailed(Exception):
    """Bundling found errors (reported after validation's findings, with them)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics)
        self.diagnostics = diagnostics


def _raise_errors(diagnostics: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise SpecError(diagnostics)


Findings = tuple[list[Diagnostic], list[Ref] | None]
"""Validation's diagnostics, and every `$ref`'s pointer when all are local (else None)."""


def _validate_elsewhere(
    spec: Path, workers: ModelWorkers | None
) -> tuple[Future[Findings] | None, object]:
    """`validate` of the spec queued on a worker, which reads the file itself while this
    process does the same (sending the parsed document would cost more than reading it),
    with what the file looked like; or None.

    Only a big document is worth it: a worker first spends about 0.3 s importing
    datamodel-code-generator, which a small spec's whole run would then wait for.
    """
    if workers is None or workers.cores < 2 or not _big(spec):
        return None, None
    seen = _identity(spec)
    return workers.call(_validate_job, spec, seen), seen


def _identity(spec: Path) -> object:
    """What tells two reads of a file apart (size, mtime, inode): both processes must have
    read the same file, not one from before and one from after an edit."""
    try:
        st = spec.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


class _Changed(Exception):
    """The spec changed while the worker read it: the caller validates its own copy."""


def _validate_job(spec: Path, seen: object) -> Findings:
    """Worker side of `_validate_elsewhere`: it also walks the document for `$ref`s, which
    bundling would otherwise do in the parent."""
    loaded = load_document(spec)
    if _identity(spec) != seen:
        raise _Changed(str(spec))
    return validate(loaded), local_refs(loaded.data)


class _Verdict:
    """What the worker found, waited for when first asked (found here if it died)."""

    def __init__(self, pending: Future[Findings], loaded: LoadedDocument) -> None:
        self._pending = pending
        self._loaded = loaded
        self._findings: Findings | None = None

    def _get(self) -> Findings:
        if self._findings is None:
            try:
                self._findings = self._pending.result()
            except Exception:  # the worker died: look here
                data = self._loaded.data
                self._findings = validate(self._loaded), local_refs(data)
        return self._findings

    def found(self) -> list[Diagnostic]:
        return self._get()[0]

    def local_refs(self) -> list[Ref] | None:
        return self._get()[1]


Built = tuple[Api, list[Diagnostic], list[Path]]
T = TypeVar("T")


def _bundle_and_build(
    spec: Path,
    loaded: LoadedDocument,
    config: Config,
    options: Options,
    refs: Callable[[], list[Ref] | None] | None = None,
) -> tuple[Built | None, Exception | None]:
    """Bundle the document and build the IR: `(api, diagnostics found, files read)`, or
    the exception that stopped it (judged by the caller after validation's verdict).

    With `refs` (the worker's walk for `$ref`s, waited for when needed) the IR is built
    first, on the hunch that the document is its own bundle (one file, local refs: big
    specs nearly always are); when it turns out not to be, everything is done again.
    """
    try:
        resolver = Resolver(
            loaded,
            allow_external=options.allow_external_refs,
            allow_remote=options.allow_remote_refs,
        )
        local: list[Ref] | None = None
        early: Callable[[], tuple[Api, list[Diagnostic]]] | None = None
        if refs is not None and isinstance(loaded.data, dict):
            early = _attempt(_build, spec, loaded.data, config)
            local = refs()
        data, diagnostics = bundle(resolver, local)
        if any(d.severity is Severity.ERROR for d in diagnostics):
            raise _BundleFailed(diagnostics)
        # The early IR was built from `loaded.data`, which is `data` when `local` was given.
        api, build_diags = early() if early and local is not None else _build(spec, data, config)
        return (api, diagnostics + build_diags, [spec, *resolver.documents]), None
    except Exception as exc:
        return None, exc


def _attempt(fn: Callable[..., T], *args: object) -> Callable[[], T]:
    """Run `fn(*args)` now; the returned callable gives its result, or raises what it
    raised, when the caller is ready to judge it."""
    try:
        value = fn(*args)
    except Exception as exc:
        failure = exc

        def reraise() -> T:
            raise failure

        return reraise
    return lambda: value


def _build(spec: Path, data: dict[str, Any], config: Config) -> tuple[Api, list[Diagnostic]]:
    """The IR of a bundled document (a Swagger 2 one converted first)."""
    if str(data.get("swagger", "")).startswith("2"):
        from generator.swagger import convert

        data = convert(data)
    try:
        return build_api(data, config, str(spec))
    except RecursionError:
        raise _too_deep(spec) from None


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
    return options.use_cache and plancache.up_to_date(
        plancache.fingerprint(spec, config, options), out_dir
    )


Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    """The default progress callback: report nothing."""


def generate(
    spec: Path, config: Config, options: Options = Options(), progress: Progress = _quiet
) -> Result:
    """Run every stage up to (not including) writing; return the plan.

    `progress(stage, done, total)` hears about each stage as it advances; it is kept out
    of `Options` because options are part of the incremental-build fingerprint.
    """
    key = plancache.fingerprint(spec, config, options) if options.use_cache else ""
    progress("loading", 0, 1)
    workers = ModelWorkers(preload=not _big(spec))
    try:
        api, diagnostics, raw, inputs = _load(spec, config, options, workers)
        total_ops = len(api.all_operations())
        progress("operations", total_ops, total_ops)
        progress("rendering", 0, len(api.models) + total_ops)
        spec_copy = _spec_copy_name(spec, raw) if options.tests else ""
        rendered = []
        for item in render_project(
            api,
            options.templates,
            use_cache=options.use_cache,
            tests_spec=spec_copy,
            workers=workers,
        ):
            rendered.append(item)
            progress("rendering", len(rendered), len(api.models) + total_ops)
    except RecursionError:
        raise _too_deep(spec) from None
    finally:
        workers.close()
    texts = {path: text for path, text, _ in rendered}
    todo = [(path, how) for path, _, how in rendered if how]
    progress("formatting", 0, len(todo))
    formatted = format_many(
        [texts[p] for p, _ in todo],
        formatter=options.formatter,
        use_cache=options.use_cache,
        vouchers=[how if callable(how) else None for _, how in todo],
    )
    progress("formatting", len(todo), len(todo))
    texts.update(zip((p for p, _ in todo), formatted, strict=True))
    files = {path: text.encode("utf-8") for path, text in texts.items()}
    if spec_copy:
        # The original bytes: Prism reads the document exactly as the author wrote it.
        files[f"tests/{spec_copy}"] = raw
    cache.flush()
    plan = Plan(files=files, spec_hash=hashlib.sha256(raw).hexdigest())
    if key:
        plancache.remember(key, plan, inputs)
    return Result(plan=plan, api=api, diagnostics=diagnostics)


def _spec_copy_name(spec: Path, raw: bytes) -> str:
    """`openapi.yaml` or `openapi.json`, by the spec's own suffix, else by its first byte."""
    suffix = spec.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        suffix = ".json" if raw.lstrip()[:1] in (b"{", b"[") else ".yaml"
    return "openapi" + suffix
