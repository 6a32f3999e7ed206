"""The same bytes on every supported Python: goldens, `output/` and the OpenAI spec.

Every Python that `requires-python` admits and that is installed here (the running one,
`python3.X` on PATH, pyenv's versions) generates the same specs in its own process, with
its own empty cache and its own hash seed; every file must be byte-identical to the
running interpreter's. The other interpreters get a venv holding the generator's
dependencies at the versions installed here (`.venv-py3X/`, rebuilt when pyproject.toml,
those versions or the interpreter change), so that only the interpreter differs.
A version that is not installed is skipped with the reason.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, SPECS, source_import_path
from venv_util import find_python, venv_python

DRIVER = ROOT / "tests" / "same_bytes_driver.py"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
GOLDEN = ROOT / "tests" / "golden"
OPENAI_CONFIG = ROOT / "examples" / "openai" / "sdkforge.yaml"


def supported() -> list[tuple[int, int]]:
    """The 3.x versions `requires-python` admits: `>=3.A,<3.B` (an upper bound is required,
    so that the list is what this test checks and nothing more)."""
    spec = PYPROJECT["project"]["requires-python"]
    low = re.search(r">=\s*3\.(\d+)", spec)
    high = re.search(r"<\s*3\.(\d+)", spec)
    assert low and high, f"requires-python {spec!r} needs the form '>=3.A,<3.B'"
    return [(3, minor) for minor in range(int(low.group(1)), int(high.group(1)))]


def jobs() -> list[str]:
    """NAME=SPEC::CONFIG::FLAG for the driver: every golden case, `output/`, OpenAI."""
    out = []
    for case in sorted(p for p in GOLDEN.iterdir() if (p / "spec.yaml").is_file()):
        config = case / "sdkforge.yaml"
        out.append(f"{case.name}={case / 'spec.yaml'}::{config if config.exists() else ''}")
    out.append(f"output={ROOT / 'spec' / 'openapi.yaml'}::{ROOT / 'spec' / 'sdkforge.yaml'}")
    openai = SPECS / "openai.yaml"
    if openai.is_file():
        config = OPENAI_CONFIG if OPENAI_CONFIG.is_file() else ""
        out.append(f"openai={openai}::{config}::tests")
    return out


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int], Path | str]:
    """Each supported version → its output folder, or why it was not run. All of them
    generate at once (each its own process), as a developer's and CI's runs would."""
    pythons: dict[tuple[int, int], Path] = {}
    outcome: dict[tuple[int, int], Path | str] = {}
    venvs = {}
    with ThreadPoolExecutor() as pool:  # the venvs build at once (pip mostly waits)
        for version in supported():
            base = find_python(version)
            if base is None:
                outcome[version] = "Python {}.{} is not installed".format(*version)
            elif version == sys.version_info[:2]:
                pythons[version] = base  # this venv already holds the pinned dependencies
            else:
                deps = PYPROJECT["project"]["dependencies"]
                venvs[version] = pool.submit(venv_python, version, base, deps)
        pythons.update({version: future.result() for version, future in venvs.items()})
    runs = {}
    for seed, (version, python) in enumerate(sorted(pythons.items()), start=1):
        out = tmp_path_factory.mktemp("py{}{}".format(*version))
        env = {
            **os.environ,
            "PYTHONPATH": str(source_import_path()),
            "PYTHONHASHSEED": str(seed),  # a different set order in each, on purpose
            "XDG_CACHE_HOME": str(out / "cache"),
        }
        cmd = [str(python), str(DRIVER), str(out / "files"), *jobs()]
        runs[version] = (out, subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True))
    for version, (out, proc) in runs.items():
        _, stderr = proc.communicate()
        assert proc.returncode == 0, f"Python {version} failed to generate:\n{stderr[-4000:]}"
        outcome[version] = out / "files"
    return outcome


OTHERS = [v for v in supported() if v != sys.version_info[:2]]


@pytest.mark.parametrize("version", OTHERS, ids=lambda v: "py{}{}".format(*v))
def test_same_bytes_as_the_running_python(
    version: tuple[int, int], generated: dict[tuple[int, int], Path | str]
) -> None:
    this = sys.version_info[:2]
    reference, result = generated.get(this), generated[version]
    if isinstance(result, str):
        pytest.skip(result)
    if not isinstance(reference, Path):
        pytest.skip(f"the running Python {this} is not one requires-python admits")
    expected, actual = _tree(reference), _tree(result)
    assert expected, "nothing was generated"
    assert sorted(actual) == sorted(expected), "the two runs wrote different files"
    for rel in sorted(expected):
        if expected[rel] != actual[rel]:
            diff = difflib.unified_diff(
                expected[rel].decode(errors="replace").splitlines(keepends=True),
                actual[rel].decode(errors="replace").splitlines(keepends=True),
                "python{}.{}/{}".format(*this, rel),
                "python{}.{}/{}".format(*version, rel),
            )
            pytest.fail(f"{rel} differs under Python {version}:\n{''.join(diff)[:6000]}")


def test_requires_python_is_what_this_test_checks() -> None:
    """Every version the package claims is one this test knows how to run, and the
    running Python is among them."""
    assert supported()[0] == (3, 11)
    assert sys.version_info[:2] in supported()
