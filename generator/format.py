"""Formatting generated Python with black, in process, cached by content hash.

Black is the slowest stage by far on big specs, and most files are identical from one
run to the next, so results are cached on disk keyed by (black version, mode, source
hash): a regeneration after a one-schema change formats one file, not hundreds. Large
batches are spread over worker processes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import black
from black.mode import TargetVersion
from black.report import NothingChanged

_MODE = black.Mode(target_versions={TargetVersion.PY310}, line_length=100)
_PARALLEL_BYTES = 400_000
_BLACK_VERSION = importlib.metadata.version("black")


def cache_root() -> Path:
    """`$XDG_CACHE_HOME/sdkforge` (default `~/.cache/sdkforge`): caches that outlive runs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sdkforge"


def cache_dir() -> Path:
    """The formatting cache, one folder per black version."""
    return cache_root() / f"black-{_BLACK_VERSION}"


def _key(source: str) -> str:
    return hashlib.sha256(f"{_MODE!r}\0{source}".encode()).hexdigest()


def format_source(source: str) -> str:
    """Black-format one Python module (no caching)."""
    try:
        return black.format_str(source, mode=_MODE)
    except NothingChanged:  # pragma: no cover - format_str does not raise it
        return source


def format_many(
    sources: Sequence[str], *, use_cache: bool = True, jobs: int | None = None
) -> list[str]:
    """Format every source, reusing cached results and formatting misses in parallel."""
    results: list[str | None] = [None] * len(sources)
    cache = cache_dir() if use_cache else None
    misses: list[int] = []
    for i, src in enumerate(sources):
        if cache is not None:
            hit = cache / _key(src)[:2] / _key(src)
            try:
                results[i] = hit.read_text(encoding="utf-8")
                continue
            except OSError:
                pass
        misses.append(i)
    total = sum(len(sources[i]) for i in misses)
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if workers > 1 and total > _PARALLEL_BYTES and len(misses) > 1:
        # Largest first so one huge module does not finish last on an idle pool.
        order = sorted(misses, key=lambda i: -len(sources[i]))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for i, out in zip(
                order, pool.map(format_source, [sources[i] for i in order]), strict=True
            ):
                results[i] = out
    else:
        for i in misses:
            results[i] = format_source(sources[i])
    if cache is not None:
        for i in misses:
            _store(cache, sources[i], results[i] or "")
    return [r if r is not None else "" for r in results]


def _store(cache: Path, source: str, formatted: str) -> None:
    """Write a cache entry atomically; a failure to cache never fails generation."""
    key = _key(source)
    path = cache / key[:2] / key
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(formatted, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
