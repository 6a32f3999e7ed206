"""Pack files: many cache entries in one file, so a cold run creates one file, not thousands.

A cold run of a big spec makes one entry per model module, formatted file, rendered part
and compiled text: GitHub's makes 8,700. Created one file each, they cost 2-4 s of kernel
time on an ext4 volume (0.2-0.4 ms a file, measured on the CI machine), most of it at the
end of the run, when nothing else can use the cores. `store.flush` writes a big batch as
one pack instead (one file, one rename); a small batch (a warm run's few changed entries)
stays loose files, so packs stay few (one per big change) and need no compaction.

A pack is `MAGIC`, the entries' bytes one after another, a JSON index of
`{key: [offset, length, sha256]}` (keys are paths relative to the cache root, as for loose
entries), and a fixed-size trailer giving the index's offset and length. It is written
under a temporary name and renamed, so a reader never sees half a pack; an entry whose
bytes do not match its digest (a damaged disk) is a miss. The budget treats a pack as one
entry: a hit marks the pack used, eviction removes the whole pack.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

FOLDER = "packs"
MAGIC = b"sdkforge-pack 1\n"
_TRAILER = 41  # "%020d%020d\n": the index's offset and length
SUFFIX = ".pack"

Location = tuple[str, int, int, str]
"""Where an entry is: pack file, offset, length, SHA-256 of its bytes (hex)."""


def write(root: Path, entries: Iterable[tuple[str, bytes]]) -> tuple[Path, dict[str, Location]]:
    """Write `(key, bytes)` entries as one new pack under `root`; return its path and index.

    Entries are written as they come (a big spec's are hundreds of megabytes: never all in
    memory at once). Raises `OSError` (full disk, no permission); a half-written pack is
    removed."""
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = folder / f"{secrets.token_hex(8)}{SUFFIX}"
    tmp = name.with_suffix(".tmp")
    index: dict[str, tuple[int, int, str]] = {}
    try:
        with open(tmp, "xb") as out:
            out.write(MAGIC)
            offset = len(MAGIC)
            for key, data in entries:
                if key in index:
                    continue
                index[key] = (offset, len(data), hashlib.sha256(data).hexdigest())
                out.write(data)
                offset += len(data)
            table = json.dumps(index, separators=(",", ":")).encode()
            out.write(table)
            out.write(b"%020d%020d\n" % (offset, len(table)))
        os.replace(tmp, name)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    where = str(name)
    return name, {key: (where, o, n, d) for key, (o, n, d) in index.items()}


def index(root: Path) -> dict[str, Location]:
    """Every entry of every readable pack under `root` (an unreadable pack is skipped)."""
    out: dict[str, Location] = {}
    try:
        with os.scandir(root / FOLDER) as items:
            names = sorted(i.path for i in items if i.name.endswith(SUFFIX))
    except OSError:
        return out
    for path in names:
        out.update(_read_index(path))
    return out


def _read_index(path: str) -> dict[str, Location]:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return {}
    try:
        size = os.fstat(fd).st_size
        if size < len(MAGIC) + _TRAILER or os.pread(fd, len(MAGIC), 0) != MAGIC:
            return {}
        trailer = os.pread(fd, _TRAILER, size - _TRAILER)
        start, length = int(trailer[:20]), int(trailer[20:40])
        if start + length + _TRAILER != size:
            return {}
        table = json.loads(os.pread(fd, length, start))
        return {
            str(key): (path, int(o), int(n), str(d))
            for key, (o, n, d) in table.items()
            if int(o) > 0 and int(o) + int(n) <= start
        }
    except (OSError, ValueError, TypeError, AttributeError):
        return {}
    finally:
        os.close(fd)


def read(location: Location) -> bytes | None:
    """An entry's bytes, or None when its pack is gone or the bytes do not match."""
    path, offset, length, digest = location
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        data = os.pread(fd, length, offset)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) != length or hashlib.sha256(data).hexdigest() != digest:
        return None
    return data
