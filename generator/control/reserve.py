"""Empty files made ahead of the write by a helper process, while the client renders.

On some file systems creating a file is the costly part of writing a big client: ext4
without a journal (as on the VMs this project is benchmarked on) reads each recently freed
inode it passes while it looks for a free one. GitHub's 3,437 files took anything from 0.1
to 2.8 s there, depending on the disk's recent history; that is kernel time, on one core,
after everything else is done, while the other core idles.

So a first generation (the output directory new, or empty) reserves files: once the spec
has validated and the IR is built, `touch` makes N empty files in a staging folder inside
the output directory, on the other core, while this process renders and formats. `write`
then fills each new file through one of them and renames it into place: an inode that
exists already, no search. What is not reserved is created as usual, so a reservation
never changes what is written, only when the inodes are made.

The staging folder (`.sdkforge-staging-<pid>`) is this run's alone, holds only the empty
files its helper made, and goes when the run ends, however it ends; the output directory
too, when this run made it and wrote nothing. One left by a run that was killed outright
is removed by the next write into that directory (its process is gone).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

from sdkforge.control import interrupts
from sdkforge.control.outlock import LOCK

PREFIX = ".sdkforge-staging-"
MIN_FILES = 200
"""Fewer files than this are written in well under 0.1 s anyway: no helper."""
PATIENCE = 30.0
"""Seconds the write waits for a helper still making files (a stalled file system)."""
MAX_FILES = 30_000
"""At most this many names on the helper's command line (short names: ~200 KB)."""


def ours(name: str) -> bool:
    """Whether an entry of an output directory is a run's lock or staging folder, not
    part of a project."""
    return name == LOCK or name.startswith(PREFIX)


def fresh(out_dir: Path) -> bool:
    """Whether a write into `out_dir` creates every file: it does not exist, or holds
    nothing but another run's lock or staging folders."""
    if not out_dir.exists():
        return True
    if not out_dir.is_dir():
        return False
    try:
        return all(ours(e.name) for e in out_dir.iterdir())
    except OSError:
        return False


class Reservation:
    """Empty files in a staging folder, taken one by one by `write` (see the module
    docstring). `close()` must be called however the run ends."""

    def __init__(
        self, out_dir: Path, folder: Path, made_out: bool, helper: subprocess.Popen[bytes]
    ) -> None:
        self.out_dir = out_dir
        self.folder = folder
        self._made_out = made_out
        self._helper: subprocess.Popen[bytes] | None = helper
        self._names: list[str] | None = None

    @classmethod
    def start(cls, out_dir: Path, count: int) -> Reservation | None:
        """Start making `count` files for a first generation into `out_dir`; None when
        there is nothing to gain (a few files, a directory with files, no `touch`)."""
        touch = shutil.which("touch")
        if count < MIN_FILES or os.name != "posix" or touch is None or not fresh(out_dir):
            return None
        made_out = not out_dir.exists()
        folder = out_dir / f"{PREFIX}{os.getpid()}"
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            folder.mkdir()
        except OSError:
            _remove_dir(out_dir, made_out)
            return None
        names = [str(i) for i in range(min(count, MAX_FILES))]
        try:
            helper = subprocess.Popen(
                [touch, "--", *names],
                cwd=folder,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            _remove_dir(folder, True)
            _remove_dir(out_dir, made_out)
            return None
        return cls(out_dir, folder, made_out, helper)

    def _stop(self, patience: float = 0.0) -> None:
        """The helper is done: waited for up to `patience` seconds (what it has left to
        make, the write would otherwise make itself), then stopped where it is (what it
        made is used, the rest is created as usual)."""
        if self._helper is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._helper.wait(patience)
            if self._helper.poll() is None:
                self._helper.kill()
            self._helper.wait()
            self._helper = None

    def take(self) -> Path | None:
        """An empty reserved file, or None when none is left."""
        if self._names is None:
            self._stop(PATIENCE)
            try:
                found = [
                    e.name for e in os.scandir(self.folder) if e.is_file(follow_symlinks=False)
                ]
            except OSError:
                found = []
            self._names = found  # any order: each is an empty file
        return self.folder / self._names.pop() if self._names else None

    def close(self) -> None:
        """Remove what is left: the unused files, the folder, and the output directory
        when this run made it and nothing was written into it."""
        self._stop()
        _empty(self.folder)
        if self._made_out and fresh(self.out_dir):
            _remove_dir(self.out_dir, True)


class Ahead:
    """`reserve` for `pipeline.generate` (called with the planned number of files), as a
    context: what it started is closed when the block ends, however it ends."""

    def __init__(self, out_dir: Path, *, enabled: bool = True) -> None:
        self.out_dir = out_dir
        self.enabled = enabled
        self.held: Reservation | None = None

    def __call__(self, count: int) -> None:
        if self.enabled and self.held is None:
            # A signal between making the folders and recording them here would leave
            # them behind (the helper's start takes long on a loaded machine): held.
            with interrupts.held():
                self.held = Reservation.start(self.out_dir, count)

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.held is not None:
            self.held.close()
            self.held = None


def sweep(out_dir: Path) -> None:
    """Remove the staging folders of runs that are gone (killed before they could)."""
    try:
        entries = [e for e in os.scandir(out_dir) if e.name.startswith(PREFIX)]
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(PREFIX) :]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        _empty(Path(entry.path))


def _empty(folder: Path) -> None:
    """Remove a staging folder: its files (a helper's, some filled by a write that failed
    part way), then the folder, which goes only if nothing else is in it."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
    _remove_dir(folder, True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def _remove_dir(path: Path, ours: bool) -> None:
    """`rmdir` (only an empty folder goes), when `ours`."""
    if ours:
        with contextlib.suppress(OSError):
            path.rmdir()
