"""Worker processes that die with the run that started them.

sdkforge forks worker processes (the pre-started model workers of `concurrency`, black's
pool in `codegen.format`). A run killed outright (SIGKILL, as CI does to a cancelled job)
gets no chance to stop them, and reparented to init they would wait for work forever, tens
of megabytes each. So each worker, as it starts, ties its life to its parent's:

- on Linux, the parent-death signal (`prctl(PR_SET_PDEATHSIG, SIGKILL)`): the kernel kills
  the worker the moment the parent dies. The parent may have died between the fork and the
  prctl (the signal would then never come), so the worker next checks that its parent is
  still the process that created the pool, and exits if not;
- elsewhere, or when prctl is refused, a daemon thread in the worker polls `os.getppid()`
  and ends the worker once it changes (a dead parent's children are reparented).

Workers ignore SIGINT (a Ctrl-C reaches the whole process group: the parent decides how the
run stops, instead of every worker printing a traceback) and take the default action on
SIGTERM. `kill_workers` is how the parent stops every live pool at once when interrupted.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.25
"""How often the portable fallback looks at its parent."""

BIG_HEAP_MB = 384
"""Above this resident size, `forked_map`'s workers start from a fork server (a fresh,
small process) instead of from this one. Forked from a big heap (a 47 MB spec's document,
IR and rendered files), every worker maps all of it copy-on-write, and whatever it touches
(reference counts, the free slots of a fragmented heap it allocates into) becomes its own
copy: Microsoft Graph beta's tree held 2.6 GB of PSS with two forked formatting workers,
and Graph v1.0's (600 MB resident at formatting) 830 MB against 733 MB from a fork server.
A fork server costs its start (an interpreter and the imports, about a second), which
only a run this big can afford unnoticed: GitHub's (13 MB) is at 190 MB when it formats."""

_POOLS: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()
T = TypeVar("T")


def pool(
    max_workers: int,
    warm_up: Callable[[], None] | None = None,
    *,
    poll_only: bool = False,
    lean: tuple[str, ...] | None = None,
) -> ProcessPoolExecutor:
    """A process pool whose workers exit when this process dies; `warm_up` runs on each
    worker as it starts. `poll_only` skips the parent-death signal (tests of the fallback).

    On Linux the workers are forked, whatever the interpreter's default (Python 3.14 makes
    it forkserver): they start at once with what this process has imported, and their
    parent is this process, which the tie needs. `lean` (the modules the workers need)
    starts them from a fork server instead, without this process's heap (`BIG_HEAP_MB`);
    they are then tied to the fork server, which ends with this process. The server
    imports those modules, not `__main__`; each worker does import a caller's main script,
    as under spawn, so it must keep its work under `if __name__ == "__main__":` (the
    `sdkforge` command and `python -m sdkforge` do)."""
    linux = sys.platform.startswith("linux")
    context = multiprocessing.get_context(
        ("forkserver" if lean is not None else "fork") if linux else None
    )
    if lean is not None and linux:
        context.set_forkserver_preload([__name__, *lean])
    # With forkserver the workers' parent is the fork server, not this process.
    parent = os.getpid() if context.get_start_method() != "forkserver" else 0
    executor = ProcessPoolExecutor(
        max_workers, context, initializer=_start, initargs=(parent, warm_up, poll_only)
    )
    _POOLS.add(executor)
    return executor


@contextlib.contextmanager
def forked_map(
    fn: Callable[..., T], *iterables: Iterable[Any], workers: int, chunksize: int = 1
) -> Iterator[Iterator[T]]:
    """`fn` mapped over `iterables` on a `pool` of `workers`, results in order; the caller
    may do other work (flush a cache) before it reads them.

    The workers are forked and inherit this process's heap (the spec, the IR, every
    rendered file); frozen while they run, it is left out of their garbage collections,
    which would otherwise walk (and so copy) all of it again and again. Unfrozen after,
    so that a caller running many generations gets its garbage collected. Past
    `BIG_HEAP_MB` the workers come from a fork server instead, without the heap."""
    gc.freeze()
    try:
        lean = (fn.__module__,) if resident_mb() > BIG_HEAP_MB else None
        with pool(workers, lean=lean) as executor:
            yield executor.map(fn, *iterables, chunksize=chunksize)
    finally:
        gc.unfreeze()


def resident_mb() -> float:
    """This process's resident size in MB (0 where /proc/self/statm is missing)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _start(parent: int, warm_up: Callable[[], None] | None, poll_only: bool) -> None:
    """Worker initializer: signals, the tie to the parent, then the pool's own warm-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    watched = parent or os.getppid()
    if poll_only or not _parent_death_signal():
        watcher = threading.Thread(target=_watch, args=(watched,), name="lifeline", daemon=True)
        watcher.start()
    if os.getppid() != watched:  # the parent died before the tie was made
        os._exit(1)
    if warm_up is not None:
        warm_up()


def _parent_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here: only workers need it

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done = libc.prctl(ctypes.c_int(PR_SET_PDEATHSIG), ctypes.c_ulong(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        return False
    return bool(done == 0)


def _watch(parent: int) -> None:
    """The portable tie: end this process once `parent` is no longer its parent."""
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)


def kill_workers() -> None:
    """SIGKILL every worker of every live pool (the run is stopping: nothing they do is
    needed, and a job in progress could take seconds to finish)."""
    for executor in list(_POOLS):
        processes = getattr(executor, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(OSError, ValueError, AttributeError):  # gone or closed
                process.kill()
