"""Venvs the tests build for themselves, and the other installed Pythons.

- `venv_python`: a venv of another interpreter for the tests that run something under every
  supported Python (`test_interpreters`: the generator's bytes; `test_runtime_pythons`: the
  generated runtime's tests). It lives in `.venv-py3X[suffix]/` (gitignored), holds the given
  requirements at the versions installed in the running environment (so that only the
  interpreter differs), and is rebuilt when its key (requirements, those versions, the
  interpreter) changes.
- `pinned_venv`: a venv of the running Python holding exactly some pins (`test_min_versions`:
  the declared floors; `test_publish`: the build frontend and the setuptools floor), made
  once per key under `.venv/NAME-<key>`; a failed install fails in CI and skips elsewhere
  (offline).
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def _version_of(python: Path) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [str(python), "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except OSError:
        return None
    parts = out.stdout.split()
    return (int(parts[0]), int(parts[1])) if out.returncode == 0 and len(parts) == 2 else None


def find_python(version: tuple[int, int]) -> Path | None:
    """An installed interpreter of `version`: the running one, pyenv's newest, or PATH's."""
    if sys.version_info[:2] == version:
        return Path(sys.executable)
    tag = "{}.{}".format(*version)
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(
        pyenv.glob(f"{tag}.*/bin/python"),
        key=lambda p: [int(x) if x.isdigit() else -1 for x in p.parts[-3].split(".")],
        reverse=True,
    )
    on_path = shutil.which(f"python{tag}")
    for python in [*candidates, *([Path(on_path)] if on_path else [])]:
        if _version_of(python) == version:
            return python
    return None


def _constraints() -> str:
    """Every distribution installed here, pinned, so a venv gets black, pydantic, pytest ...
    at exactly the versions the running Python uses."""
    pins = {
        f"{d.metadata['Name']}=={d.version}"
        for d in importlib.metadata.distributions()
        if d.metadata["Name"] and d.metadata["Name"].lower() != "sdkforge"
    }
    return "\n".join(sorted(pins, key=str.lower)) + "\n"


def venv_python(
    version: tuple[int, int], base: Path, requirements: list[str], suffix: str = ""
) -> Path:
    """A venv of `base` holding `requirements` (pinned to this environment's versions) in
    `.venv-py3X{suffix}`; reused while its key holds."""
    constraints = _constraints()
    key = hashlib.sha256(
        b"\0".join(
            [
                "\n".join(requirements).encode(),
                constraints.encode(),
                str(base.resolve()).encode(),
            ]
        )
    ).hexdigest()
    folder = ROOT / (".venv-py{}{}".format(*version) + suffix)
    python = folder / "bin" / "python"
    key_file = folder / ".sdkforge-key"
    if key_file.is_file() and key_file.read_text() == key and python.exists():
        return python
    shutil.rmtree(folder, ignore_errors=True)
    building = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    subprocess.run([str(base), "-m", "venv", str(building)], check=True, capture_output=True)
    pins = building / "constraints.txt"
    pins.write_text(constraints, encoding="utf-8")
    pip = [str(building / "bin" / "python"), "-m", "pip", "install", "--quiet", "-c", str(pins)]
    install = subprocess.run(
        [*pip, "--disable-pip-version-check", *requirements], capture_output=True, text=True
    )
    assert install.returncode == 0, f"pip install into {building} failed:\n{install.stderr}"
    (building / ".sdkforge-key").write_text(key)
    try:
        building.rename(folder)
    except OSError:  # another run built it meanwhile: use that one
        shutil.rmtree(building, ignore_errors=True)
    return python


def pinned_venv(name: str, pins: list[str]) -> Path:
    """The Python of a venv of the running interpreter holding `pins`, made once per key
    (a parallel run waits for the same venv)."""
    key = hashlib.sha256(json.dumps([pins, sys.version_info[:2]]).encode()).hexdigest()[:12]
    home = ROOT / ".venv"
    home.mkdir(exist_ok=True)
    venv = home / f"{name}-{key}"
    python = venv / "bin" / "python"
    stamp = venv / ".complete"
    with (home / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stamp.is_file():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            proc = subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *pins],
                capture_output=True,
                text=True,
                timeout=900,
            )
            if proc.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                message = f"cannot install {pins} from PyPI:\n{proc.stderr[-2000:]}"
                if os.environ.get("CI"):
                    pytest.fail(message)
                pytest.skip(message)
            stamp.write_text("\n".join(pins) + "\n")
    return python
