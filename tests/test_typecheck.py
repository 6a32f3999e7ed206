"""Generated code passes `mypy --strict`, pyright strict and pyflakes' checks (`ruff check
--select F`: undefined names, unused imports, redefinitions): the seed client and every
golden case."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from sdkforge.config import Config, load_config
from sdkforge.pipeline import generate
from sdkforge.write import write

GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Every golden case and the seed generated side by side (distinct package names)."""
    root = tmp_path_factory.mktemp("typed")
    names = []
    for case in sorted(p for p in GOLDEN.iterdir() if (p / "spec.yaml").is_file()):
        config_file = case / "sdkforge.yaml"
        result = generate(
            case / "spec.yaml", load_config(config_file) if config_file.exists() else Config()
        )
        out = root / case.name
        write(result.plan, out)
        names.append(result.api.package)
        shutil.move(str(out / result.api.package), root / result.api.package)
    seed = generate(ROOT / "spec" / "openapi.yaml", load_config(ROOT / "spec" / "sdkforge.yaml"))
    write(seed.plan, root / "seed")
    shutil.move(str(root / "seed" / seed.api.package), root / seed.api.package)
    names.append(seed.api.package)
    return root, names


def test_mypy_strict(packages: tuple[Path, list[str]]) -> None:
    root, names = packages
    args = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        "--python-version",
        "3.10",
    ]
    for name in names:
        args += ["-p", name]
    result = subprocess.run(args, cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-5000:]


def test_pyright_strict(packages: tuple[Path, list[str]]) -> None:
    root, names = packages
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
    if pyright is None:
        pytest.skip("pyright is not installed")
    (root / "pyrightconfig.json").write_text(
        json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.10", "include": names})
    )
    result = subprocess.run(
        [pyright, "--pythonpath", sys.executable], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-5000:]


def test_ruff_pyflakes(packages: tuple[Path, list[str]]) -> None:
    """No undefined name (a `NameError` on the first call), unused import or redefinition.
    `--isolated`: the project's own ruff settings exclude generated code."""
    root, names = packages
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed")
    result = subprocess.run(
        [ruff, "check", "--isolated", "--select", "F", "--output-format", "concise", *names],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-5000:]
