"""The generated runtime works on every Python the generated clients declare.

The clients say `requires-python >= 3.10` and carry a classifier for each version in
`codegen.project.PYTHONS`; the generator itself needs 3.11, so the normal test run never
sees 3.10. Here the runtime's tests (`tests/runtime`: paging, streaming, lenient parsing,
uploads, retries ... against a loopback server) run under each of those Pythons that is
installed, in its own venv (`.venv-py3X-runtime/`, built by this test through
`venv_util.venv_python`: httpx, pydantic and the test tools at this environment's
versions). The running Python is skipped here: the run itself covers it. A version that is
not installed is skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT
from venv_util import find_python, venv_python

from sdkforge.codegen.project import PYTHONS

REQUIREMENTS = ["httpx", "pydantic", "typing-extensions", "pytest", "pytest-asyncio"]
SUITE = (
    "tests/runtime",
    # Only tests/runtime's conftest: the suite-wide one sets up hypothesis, unused here.
    "--confcutdir=tests/runtime",
    # The type checkers hold the runtime to one Python's typeshed; they run in the main venv.
    "--ignore=tests/runtime/test_static.py",
)


@pytest.mark.parametrize("version", PYTHONS, ids=lambda v: "py{}{}".format(*v))
def test_runtime_tests_pass_on_every_declared_python(version: tuple[int, int]) -> None:
    if version == sys.version_info[:2]:
        pytest.skip("the running Python runs tests/runtime itself")
    base = find_python(version)
    if base is None:
        pytest.skip("Python {}.{} is not installed".format(*version))
    python = venv_python(version, base, REQUIREMENTS, suffix="-runtime")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *SUITE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = proc.stdout.strip().splitlines()[-1:] or [""]
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert " passed" in summary[0] and "skipped" not in summary[0], summary
