"""Helpers for tests that start real `sdkforge` processes: children from /proc, waits
with generous timeouts (only "eventually" decides), and a synthetic spec with many models."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

PATIENCE = 120.0
"""Seconds a wait may last on a loaded machine before the test gives up (never a verdict
about speed: a process that is gone in time passes however long it took)."""


def need_proc() -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc (Linux)")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is `pid`."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie is dead: it only waits to be reaped)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def wait_for(condition: Callable[[], object], what: str, timeout: float = PATIENCE) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


class Run:
    """`python -m sdkforge ARGS` as a real process. Its output goes to files, not pipes:
    a worker that outlived it (the bug under test) would hold a pipe open forever."""

    def __init__(self, *args: str, env: dict[str, str], logs: Path) -> None:
        logs.mkdir(parents=True, exist_ok=True)
        self._out, self._err = logs / "stdout", logs / "stderr"
        with self._out.open("w") as out, self._err.open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "sdkforge", *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=err,
            )
        self.pid = self.proc.pid

    def finish(self, timeout: float = PATIENCE) -> tuple[int, str, str]:
        """Exit code, stdout and stderr once the process has ended."""
        code = self.proc.wait(timeout)
        return code, self._out.read_text(), self._err.read_text()


class Reaper:
    """Worker pids a test saw; any still alive at the end are killed (only if the code
    under test failed to end them: the test has failed by then)."""

    def __init__(self) -> None:
        self.pids: set[int] = set()

    def watch(self, pids: set[int]) -> set[int]:
        self.pids |= pids
        return pids

    def gone(self) -> None:
        pids = self.pids
        wait_for(lambda: not any(alive(p) for p in pids), f"processes {sorted(pids)} to exit")

    def close(self) -> None:
        for pid in self.pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.update(extra)
    return env


def many_models_spec(path: Path, count: int = 300, salt: str = "") -> Path:
    """A spec whose generation takes seconds: `count` object models, an operation each."""
    schemas = {
        f"Thing{i}": {
            "type": "object",
            "description": f"Thing number {i}{salt}",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string", "maxLength": 40},
                "tags": {"type": "array", "items": {"type": "string"}},
                "next": {"$ref": f"#/components/schemas/Thing{(i + 1) % count}"},
                "kind": {"type": "string", "enum": ["a", "b", f"k{i}"]},
            },
        }
        for i in range(count)
    }
    paths = {
        f"/things{i}/{{id}}": {
            "get": {
                "operationId": f"getThing{i}",
                "tags": [f"area{i % 10}"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/Thing{i}"}
                            }
                        },
                    }
                },
            }
        }
        for i in range(count)
    }
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Many Things", "version": "1.0.0"},
        "servers": [{"url": "https://example.invalid"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and mtime (what "untouched" means)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
