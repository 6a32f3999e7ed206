"""The dependency floors a generated client declares are true.

Its pyproject (`codegen/project.py`'s DEPENDENCIES) says `pydantic>=A` and `httpx>=B`.
A fresh venv holds exactly those floors (pydantic-core at the version that pydantic pins)
plus the test tools at the versions of this environment; in it, every generated client we
have (each golden case, output/, and the full OpenAI client when ../shared is beside the
clone) is imported whole with every model's schema built (`floors_check.py`), and the
runtime tests and the seed client's tests run.

The venv is built once per key (the pins and the Python version) under
`.venv/floors-<key>` (`make clean` removes it) from PyPI; a failed install fails in CI and
skips elsewhere (offline).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SPECS
from packaging.requirements import Requirement
from venv_util import pinned_venv

from sdkforge.cli import main
from sdkforge.codegen.project import DEPENDENCIES
from sdkforge.config import Config
from sdkforge.pipeline import Options, generate
from sdkforge.write import write

GOLDEN = ROOT / "tests" / "golden"
CHECK = Path(__file__).with_name("floors_check.py")
TOOLS = ("pytest", "pytest-asyncio", "hypothesis")
# Not the type checkers (test_static: they hold the code to current pydantic) nor the
# seed tests that run the generator itself (the floors venv has only the client's needs).
SUITES = (
    "tests/runtime",
    "--ignore=tests/runtime/test_static.py",
    "tests/test_seed_client.py",
    "--deselect=tests/test_seed_client.py::test_documented_example_runs_against_the_server",
)


def declared_floors() -> dict[str, str]:
    """`{"httpx": "0.23.0", "pydantic": "2.0"}` as the generated pyproject declares them
    (`codegen.project.DEPENDENCIES`). typing-extensions is left to pip: its floor is the one
    pydantic 2.0 itself requires (so no install can go below it), and the test tools here
    need a newer one (pytest-asyncio: 4.12)."""
    floors: dict[str, str] = {}
    for _, requirement in DEPENDENCIES:
        parsed = Requirement(requirement)
        (floor,) = (s.version for s in parsed.specifier if s.operator == ">=")
        floors[parsed.name] = floor
    assert set(floors) == {"httpx", "pydantic", "typing-extensions"}, floors
    return {name: floor for name, floor in floors.items() if name != "typing-extensions"}


def _pins() -> list[str]:
    floors = [f"{name}=={version}" for name, version in sorted(declared_floors().items())]
    return floors + [f"{tool}=={importlib.metadata.version(tool)}" for tool in TOOLS]


@pytest.fixture(scope="module")
def floor_python() -> Path:
    """The Python of a venv holding the declared floors, made once per key."""
    return pinned_venv("floors", _pins())


def _in_venv(python: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(python), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def _check(python: Path, clients: list[tuple[Path, str]]) -> dict[str, dict[str, object]]:
    args = [str(CHECK)] + [str(x) for root, package in clients for x in (root, package)]
    proc = _in_venv(python, *args, timeout=600)
    assert proc.returncode == 0, proc.stderr[-5000:]
    result: dict[str, dict[str, object]] = json.loads(proc.stdout)
    return result


def _package(project: Path) -> str:
    """The package folder of a generated project (the one with `_client.py`)."""
    (client,) = project.glob("*/_client.py")
    return client.parent.name


def test_the_venv_holds_exactly_the_floors(floor_python: Path) -> None:
    """pydantic and httpx at the declared minimum, pydantic-core as that pydantic pins it."""
    script = (
        "import importlib.metadata as m, json; print(json.dumps({d: m.version(d) for d in"
        " ('pydantic', 'pydantic-core', 'httpx')} | {'core-pin': [r for r in"
        " m.requires('pydantic') if r.startswith('pydantic-core')]}))"
    )
    proc = _in_venv(floor_python, "-c", script, timeout=60)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    floors = declared_floors()
    assert (found["pydantic"], found["httpx"]) == (floors["pydantic"], floors["httpx"])
    assert found["core-pin"] == [f"pydantic-core=={found['pydantic-core']}"], found


def test_golden_clients_load_on_the_floors(floor_python: Path, tmp_path: Path) -> None:
    """Every golden case (`floors` holds the shapes older pydantic failed on) and output/."""
    clients = [(ROOT / "output", _package(ROOT / "output"))]
    for spec in sorted(GOLDEN.glob("*/spec.yaml")):
        generated = generate(spec, Config(), Options(formatter="none"))  # formatting: no matter
        write(generated.plan, tmp_path / spec.parent.name)
        clients.append((tmp_path / spec.parent.name, generated.api.package))
    checked = _check(floor_python, clients)
    assert {pkg: r["failures"] for pkg, r in checked.items() if r["failures"]} == {}
    assert checked["floors_demo"]["models"] == 12


def test_openai_client_loads_on_the_floors(floor_python: Path, tmp_path: Path) -> None:
    """All of OpenAI's models: before the fix, 2.0 to 2.9 failed at import on its aliases."""
    spec = SPECS / "openai.yaml"
    if not spec.is_file():
        pytest.skip("../shared/specs/openai.yaml is not present next to this clone")
    out = tmp_path / "openai"
    args = ["generate", "--spec", str(spec), "--output", str(out), "-q", "--formatter", "none"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    package = _package(out)
    checked = _check(floor_python, [(out, package)])[package]
    assert checked["failures"] == {}
    assert isinstance(checked["models"], int) and checked["models"] > 1900


def test_runtime_tests_pass_on_the_floors(floor_python: Path) -> None:
    """The runtime and the seed client against a loopback server, on the floors."""
    proc = _in_venv(
        floor_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SUITES, timeout=900
    )
    summary = proc.stdout.strip().splitlines()[-1:] or [""]
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert " passed" in summary[0] and "skipped" not in summary[0], summary


def test_bare_aliases_become_plain_aliases() -> None:
    """Only `TypeAliasType("X", Name)` is rewritten (UTF-8 offsets, comments kept)."""
    from sdkforge.codegen.models import _plain_aliases

    source = (
        "from __future__ import annotations\n\n"
        "from typing import Union\n"
        "from typing_extensions import TypeAliasType\n\n"
        'Größe = TypeAliasType("Größe", Maß)  # note\n'
        'Part = TypeAliasType("Part", Union[Text, Image])\n'
        'Tree = TypeAliasType("Tree", "Node")\n'
    )
    assert _plain_aliases(source) == (
        "from __future__ import annotations\n"
        "from typing import TypeAlias\n\n"
        "from typing import Union\n"
        "from typing_extensions import TypeAliasType\n\n"
        "Größe: TypeAlias = Maß  # note\n"
        'Part = TypeAliasType("Part", Union[Text, Image])\n'
        'Tree = TypeAliasType("Tree", "Node")\n'
    )
    assert _plain_aliases("X = 1\n") == "X = 1\n"
