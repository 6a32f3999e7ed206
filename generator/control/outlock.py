"""One writer per output directory: a lock held for the write phase.

Runs started together on one directory (parallel CI jobs, a pre-commit hook beside a
`make generate`) would otherwise interleave their files and manifests, or, on a new
directory, all but one would find it "not empty" and fail. Each run renders and formats on
its own, then takes the lock to write: the first writes, the next finds the project in place
(its files unchanged), and so on.

The lock is `fcntl.flock` on `.sdkforge-lock` inside the output directory (nothing is
written outside it). The file holds the holder's pid, host and start time, so a run that
waits can name it; a run waits up to `timeout` seconds, then fails (exit 2) naming the other
run. The kernel drops a flock when its process dies, so a lock file left by a killed run
is simply taken over. The file is removed on release, while still locked: a run that opened
it meanwhile then finds a different file at the path and opens that one instead. The lock
file is never in the manifest and does not make a directory "not empty" (`write.py`).
Where `fcntl` does not exist (Windows), there is no lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sdkforge.diagnostics import Diagnostic, SpecError, error

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK = ".sdkforge-lock"
DEFAULT_TIMEOUT = 60.0
"""Seconds to wait for another run's write phase (a big project's takes about a second)."""
POLL = 0.05


@contextlib.contextmanager
def locked(out_dir: Path, timeout: float = DEFAULT_TIMEOUT, started: float = 0.0) -> Iterator[None]:
    """Hold the output directory's lock for the block (creating the directory if needed;
    removed again if the block leaves it empty). `started` is this run's start time."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    if out_dir.exists() and not out_dir.is_dir():
        raise SpecError([error(f"output path {out_dir} exists and is not a directory")])
    made = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SpecError([error(f"cannot create {out_dir}: {exc.strerror}")]) from None
    path = out_dir / LOCK
    try:
        fd = _acquire(path, timeout, started or time.time())
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(fd)
    finally:
        if made:
            with contextlib.suppress(OSError):
                out_dir.rmdir()  # only if empty: the block wrote nothing


def _acquire(path: Path, timeout: float, started: float) -> int:
    deadline = time.monotonic() + max(0.0, timeout)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise SpecError(
                [error(f"cannot take the lock {path}: {exc.strerror}", hint=_HINT_FILE)]
            ) from None
        try:
            _wait(fd, path, deadline, timeout)
        except BaseException:
            os.close(fd)
            raise
        if _same_file(path, fd):
            _record(fd, started)
            return fd
        os.close(fd)  # released and removed by its holder meanwhile: open the new one


def _wait(fd: int, path: Path, deadline: float, timeout: float) -> None:
    """Until `fd` is locked (or the file system has no locks: then go on unlocked)."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise SpecError([_busy(path.parent, _holder(fd), timeout)]) from None
            time.sleep(POLL)
        except OSError:  # a file system without locks (some network mounts)
            return


_HINT_FILE = "remove it if it is not a regular file sdkforge made"


def _same_file(path: Path, fd: int) -> bool:
    try:
        on_disk = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_ino, on_disk.st_dev) == (held.st_ino, held.st_dev)


def _record(fd: int, started: float) -> None:
    """Name this run in the lock file (for the messages of runs that wait)."""
    text = json.dumps({"pid": os.getpid(), "host": os.uname().nodename, "started": started})
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, text.encode(), 0)


def _holder(fd: int) -> dict[str, object]:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _busy(out_dir: Path, holder: dict[str, object], timeout: float) -> Diagnostic:
    pid, started, host = holder.get("pid"), holder.get("started"), holder.get("host")
    who = f"pid {pid}" if isinstance(pid, int) else "pid unknown"
    if isinstance(host, str) and host != os.uname().nodename:
        who += f" on {host}"
    if isinstance(started, int | float):
        from datetime import datetime  # only for this message

        when = datetime.fromtimestamp(started).astimezone().isoformat(sep=" ", timespec="seconds")
        who += f", started {when}"
    return error(
        f"{out_dir} is being written by another sdkforge run ({who}); gave up after {timeout:g} s",
        hint="wait for it to finish, or give it longer with --lock-timeout SECONDS",
    )
