"""Formatting generated Python: black (default) in process, or ruff, cached by content hash.

Formatting is the slowest stage on big specs, and most files are identical from one run
to the next, so results are cached on disk keyed by (formatter, version, mode, source
hash): a regeneration after a one-schema change formats one file, not hundreds. Black
runs in worker processes for large batches; ruff (over 100x faster, for users who choose
speed) runs once over a temporary folder. Black is imported only when something misses
the cache, which keeps warm runs fast.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sdkforge.caches.store import cache_root, load_text, store_later
from sdkforge.control import lifeline
from sdkforge.diagnostics import SpecError, error

if TYPE_CHECKING:
    import black

LINE_LENGTH = 100
Voucher = Callable[[str], bool | Callable[[], str]]
"""Says a source is formatted already (True), leaves it to the formatter (False), or gives a
cheaper way to black's output for it (a callable, called only when black is the formatter);
see `blackcheck`, `blackparts` and `modelparts`."""
_PARALLEL_BYTES = 400_000
FORMATTERS = ("black", "ruff", "none")


def _version(formatter: str) -> str:
    try:
        return importlib.metadata.version(formatter)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def cache_dir(formatter: str = "black") -> Path:
    """The formatting cache, one folder per formatter version."""
    return cache_root() / f"{formatter}-{_version(formatter)}"


def _key(formatter: str, source: str) -> str:
    return hashlib.sha256(f"{formatter}\0{LINE_LENGTH}\0py310\0{source}".encode()).hexdigest()


def format_mode() -> black.Mode:
    """Black's options for generated code."""
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)


def format_source(source: str) -> str:
    """Black-format one Python module (no caching)."""
    import black

    return black.format_str(source, mode=format_mode())


def ruff_binary() -> str | None:
    """The ruff executable: next to this Python (a venv) or on PATH; None when absent."""
    here = Path(sys.executable).parent / "ruff"
    if here.exists():
        return str(here)
    return shutil.which("ruff")


def _scratch() -> str | None:
    """A RAM-backed directory for ruff's thousands of short-lived files when there is one
    (`/dev/shm`), else the default temp dir: on a machine whose page cache is kept small,
    a disk round trip per file costs more than ruff itself."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def _ruff_format(sources: list[str]) -> list[str]:
    binary = ruff_binary()
    if binary is None:
        raise SpecError([error("--formatter ruff needs ruff installed", hint="pip install ruff")])
    with tempfile.TemporaryDirectory(prefix="sdkforge-ruff-", dir=_scratch()) as tmp:
        paths = [Path(tmp) / f"m{i}.py" for i in range(len(sources))]
        for path, src in zip(paths, sources, strict=True):
            path.write_text(src, encoding="utf-8")
        cmd = [binary, "format", "--isolated", "--no-cache", "--line-length", str(LINE_LENGTH)]
        done = subprocess.run(
            [*cmd, "--target-version", "py310", tmp], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"ruff format failed: {done.stderr.strip()[:2000]}")
        return [path.read_text(encoding="utf-8") for path in paths]


def format_many(
    sources: Sequence[str],
    *,
    formatter: str = "black",
    use_cache: bool = True,
    jobs: int | None = None,
    vouchers: Sequence[Voucher | None] | None = None,
) -> list[str]:
    """Format every source, reusing cached results and formatting misses together.

    `vouchers[i]`, when given, may declare source i already formatted (see `blackcheck`);
    it is asked only on a cache miss, and its yes is cached like a formatting result."""
    if formatter == "none":
        return list(sources)
    results: list[str | None] = [None] * len(sources)
    cache = cache_dir(formatter) if use_cache else None
    misses: list[int] = []
    keys = [_key(formatter, src) for src in sources] if cache is not None else []
    for i in range(len(sources)):
        if cache is not None:
            found = load_text(cache / keys[i][:2] / keys[i])
            if found is not None:
                # Most modules are already formatted: keep the source, not a second copy
                # of it (Microsoft Graph: 95 MB of Python held twice to the end).
                results[i] = sources[i] if found == sources[i] else found
                continue
        misses.append(i)

    def done(i: int, out: str) -> None:
        results[i] = out
        if cache is not None:
            store_later(cache / keys[i][:2] / keys[i], out)

    checks: Sequence[Voucher | None] = vouchers or [None] * len(sources)
    if misses and formatter == "ruff":
        for i in _vouched(sources, misses, checks, jobs):
            done(i, sources[i])
        misses = [i for i in misses if results[i] is None]
        if misses:
            for i, out in zip(misses, _ruff_format([sources[i] for i in misses]), strict=True):
                done(i, out)
    elif misses:
        _black_many(sources, misses, checks, done, jobs)
    return [r if r is not None else "" for r in results]


def _vouched(
    sources: Sequence[str],
    misses: list[int],
    checks: Sequence[Voucher | None],
    jobs: int | None,
) -> list[int]:
    """The misses whose voucher says they are formatted already; a big batch is checked
    on worker processes (the checks parse every module: seconds on GitHub's)."""
    asked = [i for i in misses if checks[i] is not None]
    workers = _workers(jobs)
    if workers < 2 or sum(len(sources[i]) for i in asked) <= _PARALLEL_BYTES:
        return [i for i in asked if _vouch(sources[i], checks[i])]
    texts, vouchers = [sources[i] for i in asked], [checks[i] for i in asked]
    with lifeline.forked_map(_vouch, texts, vouchers, workers=workers, chunksize=4) as answers:
        return [i for i, yes in zip(asked, answers, strict=True) if yes]


def _workers(jobs: int | None) -> int:
    """Worker processes for a big batch: `jobs`, else one per core (at most 8)."""
    return jobs if jobs is not None else min(os.cpu_count() or 1, 8)


def _vouch(source: str, voucher: Voucher | None) -> bool:
    """Worker job: whether the voucher says the source is formatted as it is (ruff's path:
    a voucher's way to black's output is not ruff's, and is not taken)."""
    return voucher is not None and voucher(source) is True


def vouched_or_formatted(source: str, voucher: Voucher | None) -> str:
    """One miss: the source itself when its voucher says black would leave it as it is,
    black's output by the voucher's way when it gives one (`blackparts`), else black's
    output. A job for the pool, where checking runs beside formatting."""
    answer = voucher(source) if voucher is not None else False
    if answer is True:
        return source
    return answer() if callable(answer) else format_source(source)


def _changed_only(source: str, voucher: Voucher | None) -> str | None:
    """Worker job: `vouched_or_formatted`, None when that is the source itself. Most
    results are (vouched for), and a copy sent back would sit beside the source until the
    stage ends (Microsoft Graph: 80 MB)."""
    out = vouched_or_formatted(source, voucher)
    return None if out == source else out


def _black_many(
    sources: Sequence[str],
    misses: list[int],
    checks: Sequence[Voucher | None],
    done: Callable[[int, str], None],
    jobs: int | None,
) -> None:
    """Check or black every miss, on worker processes when the batch is big; each result is
    queued for the cache (`store.flush` writes them with the run's other entries).

    The vouchers' checks go to the workers too: on a cold run of a big spec (GitHub: 600
    resource modules, 9 MB) checking them costs seconds, which the cores share."""
    total = sum(len(sources[i]) for i in misses)
    workers = _workers(jobs)
    if workers > 1 and total > _PARALLEL_BYTES and len(misses) > 1:
        # Largest first so one huge module does not finish last on an idle pool.
        order = sorted(misses, key=lambda i: -len(sources[i]))
        texts, vouchers = [sources[i] for i in order], [checks[i] for i in order]
        job = _changed_only
        with lifeline.forked_map(job, texts, vouchers, workers=workers, chunksize=4) as outs:
            for i, out in zip(order, outs, strict=True):
                done(i, sources[i] if out is None else out)
    else:
        for i in misses:
            done(i, vouched_or_formatted(sources[i], checks[i]))
