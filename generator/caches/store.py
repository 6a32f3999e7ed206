"""The on-disk cache shared by the stages that skip work they have done before.

Formatted files, generated model modules and run fingerprints live under
`$XDG_CACHE_HOME/sdkforge` (default `~/.cache/sdkforge`) and outlive runs. A cache that
cannot be written (full disk, no permission) never fails generation: the first failure is
remembered for the CLI's one warning, and the run writes no more entries. `caches.budget`
keeps the whole under its cap, evicting the entries least recently used: a hit marks its
entry used by setting its mtime (at most once an hour per entry).

An entry starts with the SHA-256 of its text and is created with `O_EXCL`, not through a
temporary file and a rename: a cold run of a big spec writes about 4,000 entries, and on a
file system where a rename costs a journal commit that took 3 s instead of 0.3 s. A reader
that meets a torn or foreign entry (its digest does not match) treats it as a miss and
removes it so that it can be written again.

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
from pathlib import Path


def cache_root() -> Path:
    """`$XDG_CACHE_HOME/sdkforge`, default `~/.cache/sdkforge`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sdkforge"


TOUCH_AFTER = 3600.0
"""An entry read is marked used (its mtime set to now, the recency `budget` evicts by) when
its mark is older than this: once an hour at most, so a warm run rarely writes at all."""
BLOCK = 4096

_MADE: set[Path] = set()
_LATER: list[tuple[Path, str]] = []


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
    marks the entry used (see `TOUCH_AFTER`)."""
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


def store_later(path: Path, text: str) -> None:
    """Queue a cache entry for `flush`: a cold run of a big spec writes thousands of them
    (a second of file system calls), better done while worker processes format."""
    _LATER.append((path, text))


def flush() -> None:
    """Write every queued entry."""
    while _LATER:
        store_text(*_LATER.pop())


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
