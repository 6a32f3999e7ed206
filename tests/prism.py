"""Start and stop the Prism mock server (npm `@stoplight/prism-cli`, pinned in package.json).

Prism validates every request against the spec (`--errors` turns violations into 4xx
responses), which proves that what a generated client sends is what the spec describes.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT

PRISM = ROOT / "node_modules" / ".bin" / "prism"


def prism_or_skip() -> Path:
    """The Prism binary; a missing one fails in CI (`make test` installs it) and skips elsewhere."""
    if not PRISM.exists():
        if os.environ.get("CI"):
            pytest.fail("Prism is not installed; `make test` runs `npm ci` to install it")
        pytest.skip("Prism is not installed (run `make test` or `npm ci`)")
    return PRISM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def prism_mock(spec: Path, *, timeout: float = 60.0) -> Iterator[str]:
    """Run `prism mock --errors` for `spec` on a free loopback port; yield its base URL."""
    binary = prism_or_skip()
    port = _free_port()
    log = open(os.devnull, "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(binary), "mock", str(spec), "--errors", "-h", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Prism exited early with code {proc.returncode} for {spec}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("Prism did not start listening in time")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
