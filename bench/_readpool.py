"""A pool of `_readcheck.py` workers with a per-spec timeout.

Each worker is a long-lived subprocess (sdkforge imported once) fed one spec path at a
time; a spec that takes longer than the timeout gets its worker killed (whole process
group) and recorded as timed out, and a fresh worker takes the next spec. A worker that
dies (out of memory, a crash in C) is recorded the same way with its exit status.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from _common import PYTHON, REPO, sdkforge_env

_SCRIPT = Path(__file__).resolve().parent / "_readcheck.py"


class _Worker:
    def __init__(self, memory_mb: int) -> None:
        env = sdkforge_env({"BENCH_READ_MEMORY_MB": str(memory_mb)})
        self.proc = subprocess.Popen(
            [PYTHON, str(_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=REPO,
            env=env,
            text=True,
            start_new_session=True,
        )
        self.sel = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)

    def ask(self, spec: Path, timeout: float) -> dict[str, Any] | None:
        """The worker's answer, or None when it timed out or died (worker then unusable)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(str(spec) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        if not self.sel.select(timeout):
            return None
        line = self.proc.stdout.readline()
        if not line:
            return None
        answer: dict[str, Any] = json.loads(line)
        return answer

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.sel.close()


def read_all(
    specs: Iterable[Path],
    *,
    jobs: int,
    timeout: float,
    memory_mb: int = 4096,
    done: Callable[[dict[str, Any]], None] = lambda r: None,
) -> list[dict[str, Any]]:
    """Run the read check on every spec with `jobs` workers; results in completion order."""
    queue = list(specs)
    lock = threading.Lock()
    results: list[dict[str, Any]] = []

    def drive() -> None:
        worker: _Worker | None = None
        while True:
            with lock:
                if not queue:
                    break
                spec = queue.pop(0)
            if worker is None:
                worker = _Worker(memory_mb)
            started = time.perf_counter()
            answer = worker.ask(spec, timeout)
            if answer is None:
                status = worker.proc.poll()
                worker.kill()
                worker = None
                why = (
                    f"timed out after {timeout:.0f}s"
                    if status is None
                    else f"worker died ({status})"
                )
                answer = {
                    "spec": str(spec),
                    "ok": False,
                    "warnings": [],
                    "errors": [],
                    "crash": why,
                    "seconds": round(time.perf_counter() - started, 3),
                }
            with lock:
                results.append(answer)
                done(answer)
        if worker is not None:
            worker.kill()

    threads = [threading.Thread(target=drive) for _ in range(max(1, jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
