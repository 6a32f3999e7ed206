"""What runs at the same time as something else: the worker processes and the fast path.

`pipeline` reads as the stages in order (load → validate → bundle → build → render →
format). Two things make a big spec faster than that order, and both live here:

- `Workers`: a process pool started before the spec is even loaded. Its processes import
  datamodel-code-generator (as costly as running it for a one-schema change) on the other
  core while this process reads the spec; later they generate model modules in parallel
  (`codegen.modelgen` queues them through `Workers.call`).
- `Overlap` (a spec of 2 MB or more, two cores): a worker reads and validates the file
  itself while this process loads it, bundles it and builds the IR, the IR on the hunch
  that the spec is its own bundle (one file, local refs), as big specs nearly always are;
  the worker's walk for `$ref`s says whether the hunch held, and when it did not,
  everything is done again the plain way. Validation's verdict still comes first: when it
  finds errors, those are raised, whatever bundling or building made of the broken spec.

Both give exactly the plain path's results and errors (tests hold the overlapped path to
the plain one). Calls go one way: this module calls the stages, never the pipeline.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from sdkforge.apimodel.build import build_api
from sdkforge.apimodel.ir import Api
from sdkforge.config import Config
from sdkforge.control import lifeline
from sdkforge.diagnostics import Diagnostic, Severity, SpecError
from sdkforge.reading.bundle import Ref, bundle, local_refs
from sdkforge.reading.load import LoadedDocument, load_document
from sdkforge.reading.resolve import Resolver
from sdkforge.reading.swagger import openapi3
from sdkforge.reading.validate import validate

T = TypeVar("T")
Built = tuple[Api, list[Diagnostic], list[Path]]
"""The IR, every diagnostic found on the way, and every file read (spec and `$ref`'d)."""

OFFLOAD_BYTES = 2_000_000
"""Specs this big validate on a worker (GitHub's 13 MB: 0.27 s; OpenAI's 3 MB: 0.1 s)."""


def _ready() -> bool:
    return True


class Workers:
    """Worker processes started before the spec is loaded (see the module docstring).

    There is one worker fewer than the cores used: the parent process itself does a share
    of the work (model modules on a cold run).
    """

    def __init__(
        self,
        cores: int | None = None,
        *,
        warm_up: Callable[[], None] | None = None,
        preload: bool = True,
    ) -> None:
        """`warm_up` runs on every worker when it starts (`preload`), or when `preload()`
        is called, so that a job queued first (validating a big spec) is not kept waiting
        behind it."""
        self.cores = max(1, min(cores if cores is not None else (os.cpu_count() or 1), 4))
        self.count = max(1, self.cores - 1)
        self._warm_up = warm_up
        self._preloaded = preload or warm_up is None
        # Workers die with this process, however it ends (`lifeline`).
        self._pool: ProcessPoolExecutor | None = lifeline.pool(
            self.count, warm_up if preload else None
        )
        self._pool.submit(_ready)  # forks the workers now, not when work is due

    def preload(self) -> None:
        """Queue the warm-up on every worker, unless it was done when they started."""
        if not self._preloaded and self._warm_up is not None:
            self._preloaded = True
            for _ in range(self.count):
                self.call(self._warm_up)

    def call(self, fn: Callable[..., T], *args: object) -> Future[T] | None:
        """Run any picklable job on a worker; None when the pool is gone."""
        if self._pool is None:
            return None
        try:
            return self._pool.submit(fn, *args)
        except (BrokenProcessPool, RuntimeError):
            return None

    def close(self) -> None:
        """Stop the workers (before anything else forks: no pool thread may be running)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def big(spec: Path) -> bool:
    """Big enough to validate on a worker (which then warms up after it)."""
    try:
        return spec.stat().st_size >= OFFLOAD_BYTES
    except OSError:
        return False


Findings = tuple[list[Diagnostic], list[Ref] | None]
"""Validation's diagnostics, and every `$ref`'s pointer when all are local (else None)."""


def identity(spec: Path) -> object:
    """What tells two reads of a file apart (size, mtime, inode): both processes must have
    read the same file, not one from before and one from after an edit."""
    try:
        st = spec.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


class Changed(Exception):
    """The spec changed while the worker read it: the caller validates its own copy."""


def validate_job(spec: Path, seen: object) -> Findings:
    """Worker side of `Overlap.start`: it also walks the document for `$ref`s, which
    bundling would otherwise do in the parent."""
    loaded = load_document(spec)
    if identity(spec) != seen:
        raise Changed(str(spec))
    return validate(loaded), local_refs(loaded.data)


class Overlap:
    """Validation of `spec` queued on a worker, which reads the file itself while this
    process does the same (sending the parsed document would cost more than reading it)."""

    @staticmethod
    def start(spec: Path, workers: Workers | None) -> Overlap | None:
        """Queue the worker's read and validation; None when not worth it: only a big
        document is, as a worker first spends about 0.3 s warming up, which a small
        spec's whole run would then wait for."""
        if workers is None or workers.cores < 2 or not big(spec):
            return None
        seen = identity(spec)
        pending = workers.call(validate_job, spec, seen)
        return Overlap(spec, seen, pending) if pending is not None else None

    def __init__(self, spec: Path, seen: object, pending: Future[Findings]) -> None:
        self._spec = spec
        self._seen = seen
        self._pending = pending
        self._findings: Findings | None = None
        self._loaded: LoadedDocument | None = None

    def same_file(self, spec: Path) -> bool:
        """Whether the file is still the one the worker was sent to read."""
        return identity(spec) == self._seen

    def _get(self) -> Findings:
        """The worker's findings, waited for when first asked (found here if it died)."""
        if self._findings is None:
            assert self._loaded is not None
            try:
                self._findings = self._pending.result()
            except Exception:  # the worker died: look here
                self._findings = validate(self._loaded), local_refs(self._loaded.data)
        return self._findings

    def read_and_build(
        self,
        loaded: LoadedDocument,
        config: Config,
        allow_external: tuple[Path, ...] = (),
        allow_remote: bool = False,
    ) -> Built:
        """Bundle and build while the worker validates; its verdict is judged first.

        The IR is built before the worker's `$ref` walk is asked for, on the hunch that
        the document is its own bundle; when it is not, bundling and building are done
        again from the bundle.
        """
        self._loaded = loaded
        spec = self._spec
        try:
            resolver = Resolver(loaded, allow_external=allow_external, allow_remote=allow_remote)
            early: Callable[[], tuple[Api, list[Diagnostic]]] | None = None
            if isinstance(loaded.data, dict):
                early = _attempt(build_api, openapi3(loaded.data), config, str(spec))
            local = self._get()[1] if early is not None else None
            data, bundled = bundle(resolver, local)
            if any(d.severity is Severity.ERROR for d in bundled):
                raise _BundleFailed(bundled)
            # The early IR came from `loaded.data`, which is `data` when `local` is given.
            if early is not None and local is not None:
                api, built = early()
            else:
                api, built = build_api(openapi3(data), config, str(spec))
            result: Built | Exception = (api, bundled + built, [spec, *resolver.documents])
        except Exception as exc:
            result = exc
        found = [*loaded.diagnostics, *self._get()[0]]
        if any(d.severity is Severity.ERROR for d in found):
            raise SpecError(found)
        if isinstance(result, _BundleFailed):
            raise SpecError([*found, *result.diagnostics]) from None
        if isinstance(result, Exception):
            raise result
        api, later, files = result
        return api, [*found, *later], files


class _BundleFailed(Exception):
    """Bundling found errors (reported after validation's findings, with them)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics)
        self.diagnostics = diagnostics


def _attempt(fn: Callable[..., T], *args: Any) -> Callable[[], T]:
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
