"""The cache's size: a cap, least-recently-used eviction, and what `sdkforge cache` shows.

Every changed regeneration adds entries (GitHub's spec: 35 MiB on a cold run, 0.9 MiB more
per one-schema edit), so the cache is capped: `SDKFORGE_CACHE_MAX_SIZE` (`256M`, `1G`, or
bytes), default 256 MiB, seven times the working set of the biggest spec known here
(GitHub's), small enough to save and restore between CI jobs in seconds (it compresses about
8x). Sizes are disk usage (whole blocks), as `du` counts them. A run that alone adds more
than the cap keeps (Microsoft Graph under the default) gets a warning: its entries are pruned at
once and its next run is cold, which no one would guess.

Knowing the size must not cost a scan of the whole cache per run (tens of thousands of
files). A run that wrote entries appends what they took to a ledger (`usage`, one number a
line; a run that only read entries does nothing); only when the ledger's sum passes the cap
is the cache walked: the least recently used entries (oldest mtime: `store` sets it on a hit)
are removed down to 90% of the cap, and the ledger is rewritten with the true size. A
missing, unreadable or long ledger also means one walk.

Only sdkforge's own entries are ever counted or removed, recognised by their folder and
name (`KINDS`); anything else found under the cache folder is left alone.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sdkforge.caches import store
from sdkforge.diagnostics import Diagnostic, warning

ENV = "SDKFORGE_CACHE_MAX_SIZE"
DEFAULT_MAX = 256 << 20
KEEP = 0.9
"""After a run passes the cap, entries are removed down to this share of it (so that the
next runs do not walk the cache again at once)."""
LEDGER = "usage"
LONG_LEDGER = 1000
"""Lines after which the ledger is replaced by a walk's exact total."""

_SHARD = re.compile("[0-9a-f]{2}")
KINDS: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str]]] = {
    # kind: (folder under the root, shard folder or None, entry file)
    "formatted": (re.compile(r"(black|ruff)-[\w.+-]+"), _SHARD, re.compile("[0-9a-f]{64}")),
    "models": (re.compile("models"), _SHARD, re.compile(r"[0-9a-f]{64}\.py")),
    "renders": (re.compile("renders"), _SHARD, re.compile(r"[0-9a-f]{64}\.txt")),
    "plans": (re.compile("plans"), _SHARD, re.compile(r"[0-9a-f]{64}\.json")),
    # A pack holds a cold run's entries (`packs`): used and evicted as one.
    "packs": (re.compile("packs"), None, re.compile(r"[0-9a-f]{16}\.(pack|tmp)")),
    "templates": (re.compile("jinja"), None, re.compile(r"__jinja2_[0-9a-f]+\.cache(\w+\.tmp)?")),
}
_LEDGER_FILE = re.compile(re.escape(LEDGER) + r"(\.\d+\.tmp)?")


@dataclass(frozen=True)
class Entry:
    """One cache entry: its kind (a key of `KINDS`), disk usage and last use (mtime)."""

    kind: str
    path: Path
    size: int
    used: float


def entries(root: Path) -> Iterator[Entry]:
    """Every sdkforge entry under `root` (nothing else; symlinks are never followed)."""
    for folder in _scan(root):
        if not folder.is_dir(follow_symlinks=False):
            continue
        for kind, (name, shard, entry) in KINDS.items():
            if not name.fullmatch(folder.name):
                continue
            shards = [Path(folder.path)] if shard is None else _dirs(Path(folder.path), shard)
            for place in shards:
                for item in _scan(place):
                    if entry.fullmatch(item.name) and item.is_file(follow_symlinks=False):
                        with contextlib.suppress(OSError):
                            st = item.stat(follow_symlinks=False)
                            size = getattr(st, "st_blocks", 0) * 512 or st.st_size
                            yield Entry(kind, Path(item.path), size, st.st_mtime)


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as items:
            return list(items)
    except OSError:
        return []


def _dirs(folder: Path, shard: re.Pattern[str]) -> list[Path]:
    return [
        Path(d.path)
        for d in _scan(folder)
        if shard.fullmatch(d.name) and d.is_dir(follow_symlinks=False)
    ]


def parse_size(text: str) -> int:
    """`256M`, `1.5G`, `512KiB`, `1000000` → bytes (K, M, G, T are powers of 1024)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", text, re.IGNORECASE)
    if match is None:
        raise ValueError(f"not a size: {text!r} (examples: 256M, 1G, 1000000)")
    power = " KMGT".index(match.group(2).upper() or " ")
    return int(float(match.group(1)) * (1 << (10 * power)))


def human(size: int) -> str:
    """Bytes for people: `39.1 MiB`."""
    if size < 1024:
        return f"{size} B"
    power = min(3, (size.bit_length() - 1) // 10)
    return f"{size / (1 << (10 * power)):.1f} {' KMG'[power]}iB"


def cap() -> tuple[int, list[Diagnostic]]:
    """The cap in bytes (`SDKFORGE_CACHE_MAX_SIZE`, else the default) and a warning when the
    variable is set to something that is not a size."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return DEFAULT_MAX, []
    try:
        return parse_size(text), []
    except ValueError as exc:
        hint = f"the default ({human(DEFAULT_MAX)}) is used"
        return DEFAULT_MAX, [warning(f"{ENV}: {exc}", hint=hint)]


@dataclass
class Pruned:
    """What `prune` did."""

    removed: int = 0
    freed: int = 0
    left: int = 0


def prune(limit: int, root: Path | None = None) -> Pruned:
    """Remove the least recently used entries until the cache takes at most `limit` bytes."""
    root = root if root is not None else store.cache_root()
    return _prune(list(entries(root)), limit, root)


def _prune(found: list[Entry], limit: int, root: Path) -> Pruned:
    done = Pruned(left=sum(e.size for e in found))
    for entry in sorted(found, key=lambda e: e.used):
        if done.left <= limit:
            break
        try:
            entry.path.unlink()
        except FileNotFoundError:
            pass  # another run removed it
        except OSError:
            continue
        done.removed += 1
        done.freed += entry.size
        done.left -= entry.size
    _write_ledger(root, done.left)
    return done


def settle(root: Path | None = None) -> list[Diagnostic]:
    """After a run: count what it added and prune if the cache passed its cap. Returns the
    warnings for the CLI (the cache could not be written, or the cap is not a size)."""
    root = root if root is not None else store.cache_root()
    limit, problems = cap()
    added, failed = store.account()
    if failed is not None:
        exc = failed[1]
        problems.append(
            warning(
                f"the cache could not be written ({exc.strerror or exc}): "
                "this run's results will not be reused",
                file=str(root),
                hint="free space or allow writing there, set XDG_CACHE_HOME, or pass --no-cache",
            )
        )
    if added > int(limit * KEEP):
        # Pruning keeps the most recent entries, but not more than this: the run's own
        # entries go too, and the next run of the same spec is cold again (Microsoft Graph
        # adds more than the default cap).
        twice = -(-2 * added // (1 << 20)) << 20
        problems.append(
            warning(
                f"this run added {human(added)} to the cache, more than its cap "
                f"({human(limit)}) keeps: it was removed again, so the next run redoes the work",
                file=str(root),
                hint=f"set {ENV} to {human(twice)} or more for a spec this big",
            )
        )
    if added:
        known = _ledger_total(root)
        if known is None:  # the true size, once
            found = list(entries(root))
            over = sum(e.size for e in found) > limit
            _prune(found, int(limit * KEEP) if over else limit, root)
        elif known + added > limit:
            prune(int(limit * KEEP), root)
        else:
            _append_ledger(root, added)
    return problems


def _ledger_total(root: Path) -> int | None:
    """The ledger's sum; None when it is missing, unreadable or due for a walk."""
    try:
        lines = (root / LEDGER).read_text(encoding="ascii").split()
        return sum(int(line) for line in lines) if len(lines) < LONG_LEDGER else None
    except (OSError, ValueError):
        return None


def _append_ledger(root: Path, added: int) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(root / LEDGER, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
        try:
            os.write(fd, f"{added}\n".encode())
        finally:
            os.close(fd)


def _write_ledger(root: Path, total: int) -> None:
    tmp = root / f"{LEDGER}.{os.getpid()}.tmp"
    with contextlib.suppress(OSError):
        tmp.write_text(f"{total}\n", encoding="ascii")
        os.replace(tmp, root / LEDGER)


@dataclass
class Usage:
    """What `sdkforge cache info` shows: count and disk usage per kind."""

    root: Path
    kinds: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(size for _, size in self.kinds.values())


def usage(root: Path | None = None) -> Usage:
    """Walk the cache: entries and disk usage per kind (every kind listed, empty or not)."""
    found = Usage(root if root is not None else store.cache_root(), dict.fromkeys(KINDS, (0, 0)))
    for entry in entries(found.root):
        count, size = found.kinds[entry.kind]
        found.kinds[entry.kind] = (count + 1, size + entry.size)
    return found


def clear(root: Path | None = None) -> Pruned:
    """Remove every sdkforge entry, the ledger and the folders left empty; nothing else."""
    root = root if root is not None else store.cache_root()
    done = prune(-1, root)
    for item in _scan(root):
        if _LEDGER_FILE.fullmatch(item.name) and item.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(item.path)
            continue
        for name, shard, _ in KINDS.values():
            if name.fullmatch(item.name) and item.is_dir(follow_symlinks=False):
                for folder in _dirs(Path(item.path), shard) if shard is not None else []:
                    with contextlib.suppress(OSError):
                        folder.rmdir()  # only when empty
                with contextlib.suppress(OSError):
                    os.rmdir(item.path)
    with contextlib.suppress(OSError):
        root.rmdir()
    return done
