"""The runtime, copied as a package, passes mypy --strict, pyright strict and ruff.

The copied package includes the hand-written client and ``_type_usage.py``, whose
``assert_type`` calls prove the raw/streaming wrappers keep the return types.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def checked_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import build_package

    root = tmp_path_factory.mktemp("static")
    build_package(root)
    (root / "pyrightconfig.json").write_text(
        json.dumps(
            {
                "typeCheckingMode": "strict",
                "pythonVersion": "3.10",
                "include": ["rtpkg"],
            }
        )
    )
    return root


def test_mypy_strict(checked_dir: Path) -> None:
    result = run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--no-incremental",
            "rtpkg",
        ],
        checked_dir,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_strict(checked_dir: Path) -> None:
    pyright = shutil.which("pyright", path=str(BIN)) or shutil.which("pyright")
    if pyright is None:
        pytest.skip("pyright not installed")
    result = run([pyright, "--pythonpath", sys.executable], checked_dir)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff(checked_dir: Path) -> None:
    ruff = shutil.which("ruff", path=str(BIN)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff not installed")
    files = [
        str(p)
        for p in (checked_dir / "rtpkg").glob("*.py")
        if p.name not in ("_client.py", "_resources.py", "_type_usage.py")
    ]
    result = run(
        [
            ruff,
            "check",
            "--no-cache",
            "--isolated",
            "--select",
            "E,F,W,I,B,UP,SIM,RUF",
            "--line-length",
            "100",
            "--target-version",
            "py310",
            *files,
        ],
        checked_dir,
    )
    assert result.returncode == 0, result.stdout + result.stderr
