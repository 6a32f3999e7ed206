"""The on-disk cache shared by the stages that skip work they have done before.

Formatted files, generated model modules and run fingerprints live under
`$XDG_CACHE_HOME/sdkforge` (default `~/.cache/sdkforge`) and outlive runs. A cache that
cannot be written (full disk, no permission) never fails generation: the first failure is
remembered for the CLI's one warning, and the run writes no more entries. `caches.budget`
keeps the whole under its cap, evicting the entries least recently used: a hit marks its
entry used by setting its mtime (at most once an hour per entry).

A loose entry (one file) starts with the SHA-256 of its text and is created with `O_EXCL`,
not through a temporary file and a rename (where a rename costs a journal commit, that is
ten times slower). A reader that meets a torn or foreign entry (its digest does not match)
treats it as a miss and removes it so that it can be written again. Entries queued with
`store_later` are written by `flush`, a big batch as one pack file (`caches.packs`): a cold
run of a big spec makes thousands of entries, and thousands of files cost seconds.

`tree_hash` and `code_hash` are what every stage puts in its keys so that a change to the
generator or to a template never reuses an entry made before it.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sdkforge.caches import packs


def cache_root() -> Path:
    """`$XDG_CACHE_HOME/sdkforge`, default `~/.cache/sdkforge`."""
    return _root(os.environ.get("XDG_CACHE_HOME") or "", os.environ.get("HOME", ""))


@functools.lru_cache(maxsize=8)
def _root(xdg: str, home: str) -> Path:
    """The root for these values of the variables (asked thousands of times a run)."""
    return Path(xdg or str(Path.home() / ".cache")) / "sdkforge"


@functools.lru_cache(maxsize=8)
def _prefix(root: Path) -> str:
    return str(root) + os.sep


TOUCH_AFTER = 3600.0
"""An entry read is marked used (its mtime set to now, the recency `budget` evicts by) when
its mark is older than this: once an hour at most, so a warm run rarely writes at all."""
BLOCK = 4096

PACK_MIN = 64
"""A flush of at least this many entries writes one pack; fewer are written as loose files
(a warm run's handful), so packs stay few."""

FLUSH_AT = 1 << 25
"""Characters queued (`store_later`) past which the queue is written at once, mid-run.

The queue holds texts the run has otherwise let go: `api.md`'s method sections (the
document itself is kept as bytes) and copies of the model modules. Microsoft Graph's
cold run queued 272 M characters, all held to the end of the run; flushed in packs of
this size they go as they come. GitHub's whole run queues about 30 M, so a run of that
size still writes one pack."""

_MADE: set[Path] = set()
_LATER: dict[Path, str] = {}
_PACKED: dict[Path, dict[str, packs.Location]] = {}
"""Per cache root, the index of its packs, read on the first lookup of the process."""
_TOUCHED: set[str] = set()


class _Queued:
    """Characters in `_LATER`, for `FLUSH_AT`."""

    chars = 0


class _Writes:
    """This process's writes: bytes added (for `budget`), and the first failure, after
    which nothing more is tried (a full disk must not cost thousands of failing calls)."""

    added = 0
    failure: tuple[Path, OSError] | None = None


def store_text(path: Path, text: str) -> None:
    """Create a cache entry unless one exists; a failure is remembered (`failure`), never
    raised."""
    if _Writes.failure is not None:
        return
    try:
        body = text.encode("utf-8")
    except ValueError:  # lone surrogates: not cacheable, not a disk problem
        return
    data = hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    try:
        fd = _create(path)
    except FileExistsError:
        return
    except OSError as exc:
        _Writes.failure = (path, exc)
        return
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        _Writes.failure = (path, exc)
        with contextlib.suppress(OSError):
            path.unlink()  # a torn entry would be a miss anyway: free its space now
    else:
        _Writes.added += -(-len(data) // BLOCK) * BLOCK
    finally:
        os.close(fd)


def _create(path: Path) -> int:
    """Open a new entry for writing, making its folder once per run."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    if path.parent not in _MADE:
        _mkdir(path.parent)
        _MADE.add(path.parent)
    try:
        return os.open(path, flags, 0o644)
    except FileNotFoundError:  # its folder was removed meanwhile (`sdkforge cache clear`)
        _mkdir(path.parent)
        return os.open(path, flags, 0o644)


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where the folder should be: not "entry exists"
        raise NotADirectoryError(errno.ENOTDIR, "not a directory", str(folder)) from None


def account() -> tuple[int, tuple[Path, OSError] | None]:
    """What this process's writes took (whole blocks) and the first entry it could not
    write, with why; both start again from nothing (one account per run)."""
    taken = _Writes.added, _Writes.failure
    _Writes.added, _Writes.failure = 0, None
    return taken


def load_text(path: Path) -> str | None:
    """The text of a cache entry, or None when it is missing, torn or not ours. A hit
    marks the entry (or its pack) used (see `TOUCH_AFTER`)."""
    queued = _LATER.get(path)
    if queued is not None:
        return queued
    location = _packed(path)
    if location is not None:
        data = packs.read(location)
        if data is not None:
            _touch(location[0])
            try:
                return data.decode("utf-8")
            except ValueError:
                pass
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        data = _read(fd, st.st_size)
        if time.time() - st.st_mtime > TOUCH_AFTER:
            with contextlib.suppress(OSError):
                os.utime(fd)
    except OSError:
        return None
    finally:
        os.close(fd)
    digest, sep, body = data.partition(b"\n")
    if sep and hashlib.sha256(body).hexdigest().encode() == digest:
        try:
            return body.decode("utf-8")
        except ValueError:
            pass
    with contextlib.suppress(OSError):
        path.unlink()
    return None


def _read(fd: int, size: int) -> bytes:
    """The whole file (a regular file's short read is its end)."""
    data = os.read(fd, size + 1)
    if len(data) <= size:
        return data
    chunks = [data]  # it grew since `fstat` (a writer still at work: the digest will tell)
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def has(path: Path) -> bool:
    """Whether an entry exists (queued, packed or loose), without reading it."""
    return path in _LATER or _packed(path) is not None or os.path.exists(path)


def store_later(path: Path, text: str) -> None:
    """Queue a cache entry for `flush` (`load_text` and `has` see it at once); a queue
    grown past `FLUSH_AT` characters is flushed now."""
    _LATER[path] = text
    _Queued.chars += len(text)
    if _Queued.chars >= FLUSH_AT:
        flush()


def flush() -> None:
    """Write every queued entry: one pack for a big batch, loose files for a small one."""
    _Queued.chars = 0
    if _Writes.failure is not None:  # the first failure stops all writing
        _LATER.clear()
        return
    if len(_LATER) < PACK_MIN:
        while _LATER:
            store_text(*_LATER.popitem())
        return
    root = cache_root()
    prefix = _prefix(root)
    queued = list(_LATER.items())
    _LATER.clear()
    for path, text in queued:
        if not str(path).startswith(prefix):  # not under the root (never so today): loose
            store_text(path, text)

    def encoded() -> Iterator[tuple[str, bytes]]:
        """The entries as the pack takes them, one at a time (never all encoded at once)."""
        for path, text in queued:
            name = str(path)
            if name.startswith(prefix):
                with contextlib.suppress(ValueError):  # lone surrogates: not cacheable
                    yield name[len(prefix) :], text.encode("utf-8")

    try:
        pack, added = packs.write(root, encoded())
        size = pack.stat().st_size
    except OSError as exc:
        _Writes.failure = (root / packs.FOLDER, exc)
        return
    _Writes.added += -(-size // BLOCK) * BLOCK
    _index(root).update(added)


def _index(root: Path) -> dict[str, packs.Location]:
    found = _PACKED.get(root)
    if found is None:
        found = _PACKED[root] = packs.index(root)
    return found


def _packed(path: Path) -> packs.Location | None:
    """Where `path`'s entry is packed, if it is."""
    root = cache_root()
    name, prefix = str(path), _prefix(root)
    if not name.startswith(prefix):
        return None
    return _index(root).get(name[len(prefix) :])


def _touch(pack: str) -> None:
    """Mark a pack used (once per process, and only when its mark is old)."""
    if pack in _TOUCHED:
        return
    _TOUCHED.add(pack)
    with contextlib.suppress(OSError):
        if time.time() - os.stat(pack).st_mtime > TOUCH_AFTER:
            os.utime(pack)


def tree_hash(folder: Path | None) -> str:
    """A hash of every file under `folder` (names and contents), `__pycache__` aside."""
    digest = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.cache  # the running code does not change; three stages ask
def code_hash() -> str:
    """A hash of the generator's own source, so a code change never reuses old results."""
    return tree_hash(Path(__file__).resolve().parents[1])
