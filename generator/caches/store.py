"""The on-disk cache shared by the stages that skip work they have done before.

Formatted files, generated model modules and run fingerprints live under
`$XDG_CACHE_HOME/sdkforge` (default `~/.cache/sdkforge`) and outlive runs. A cache that
cannot be written never fails generation: it only makes the next run slower.

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
import functools
import hashlib
import os
from pathlib import Path


def cache_root() -> Path:
    """`$XDG_CACHE_HOME/sdkforge`, default `~/.cache/sdkforge`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sdkforge"


_MADE: set[Path] = set()
_LATER: list[tuple[Path, str]] = []


def store_text(path: Path, text: str) -> None:
    """Create a cache entry unless one exists; ignore failures."""
    try:
        body = text.encode("utf-8")
        if path.parent not in _MADE:
            path.parent.mkdir(parents=True, exist_ok=True)
            _MADE.add(path.parent)
        with open(path, "xb") as fh:
            fh.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    except FileExistsError:
        pass
    except (OSError, ValueError):
        _MADE.discard(path.parent)


def load_text(path: Path) -> str | None:
    """The text of a cache entry, or None when it is missing, torn or not ours."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, sep, body = data.partition(b"\n")
    if sep and hashlib.sha256(body).hexdigest().encode() == digest:
        try:
            return body.decode("utf-8")
        except ValueError:
            pass
    with contextlib.suppress(OSError):
        path.unlink()
    return None


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
