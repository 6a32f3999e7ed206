"""`generate --tests` writes a smoke suite that passes against Prism, for small specs and OpenAI's.

Each case generates a project into a temp dir and runs its own pytest suite in a subprocess,
as a user would (`PYTHONPATH` = the project). Every operation must pass, or be an xfail
whose reason puts the blame on Prism's mock (a response Prism cannot produce or finds
invalid against the spec itself), never on the request the client sent.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from prism import prism_or_skip

from sdkforge.cli import main

GOLDEN = ROOT / "tests" / "golden"
OPENAI = Path(__file__).resolve().parents[2] / "shared" / "specs" / "openai.yaml"
SMALL = {
    "seed": (ROOT / "spec" / "openapi.yaml", ROOT / "spec" / "sdkforge.yaml"),
    "params": (GOLDEN / "params" / "spec.yaml", None),
    "enums": (GOLDEN / "enums" / "spec.yaml", None),
    "discriminator": (GOLDEN / "discriminator" / "spec.yaml", None),
    "tags": (GOLDEN / "tags" / "spec.yaml", None),
}
SUMMARY = re.compile(r"(\d+) (passed|failed|xfailed|error|errors|skipped)")


def _generate(spec: Path, config: Path | None, out: Path, *extra: str) -> None:
    args = ["generate", "--spec", str(spec), "--output", str(out), "--tests", "-q", *extra]
    if config is not None:
        args += ["--config", str(config)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert {p.name for p in (out / "tests").iterdir()} >= {"conftest.py", "test_smoke.py"}


def _run_suite(project: Path, *pytest_args: str, timeout: float) -> tuple[dict[str, int], str]:
    """Run the generated suite; return outcome counts and the output."""
    env = {**os.environ, "PYTHONPATH": str(project), "PRISM": str(prism_or_skip())}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rfxX",
            "-p",
            "no:cacheprovider",
            *pytest_args,
            "tests",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    out = proc.stdout + proc.stderr
    last = [line for line in out.splitlines() if " in " in line and SUMMARY.search(line)]
    counts = {kind: int(n) for n, kind in SUMMARY.findall(last[-1])} if last else {}
    return counts, out


def _blamed_on_prism(out: str) -> list[str]:
    """xfail lines whose reason does not name Prism (there should be none)."""
    return [
        line for line in out.splitlines() if line.startswith("XFAIL") and " - Prism" not in line
    ]


@pytest.mark.parametrize("case", sorted(SMALL))
def test_generated_smoke_suite_passes(case: str, tmp_path: Path) -> None:
    prism_or_skip()
    spec, config = SMALL[case]
    _generate(spec, config, tmp_path / "proj")
    assert (tmp_path / "proj" / "tests" / "openapi.yaml").read_bytes() == spec.read_bytes()
    counts, out = _run_suite(tmp_path / "proj", timeout=180)
    assert counts.get("passed", 0) >= 1, out
    assert not counts.get("failed") and not counts.get("error") and not counts.get("errors"), out
    assert not _blamed_on_prism(out), out


def test_without_the_flag_no_tests_are_written(tmp_path: Path) -> None:
    spec, config = SMALL["seed"]
    result = CliRunner().invoke(
        main, ["generate", "--spec", str(spec), "--config", str(config), "--output", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "tests").exists()


@pytest.mark.openai_smoke
def test_openai_smoke_suite(tmp_path: Path) -> None:
    """All 288 OpenAI operations against Prism: no request Prism rejects (about 2 minutes).

    Deselect with `-m "not openai_smoke"`. When a spec example breaks the spec's own
    schema, the call is repeated with a response Prism generates from the schema; the few
    xfails left are responses Prism cannot produce validly either way, and a
    Transfer-Encoding header it mocks. Issue 4's target: at least 95 % pass.
    """
    if not OPENAI.is_file():
        pytest.skip("../shared/specs/openai.yaml is not present next to this clone")
    prism_or_skip()
    _generate(OPENAI, None, tmp_path / "proj", "--formatter", "none")
    counts, out = _run_suite(tmp_path / "proj", timeout=240)
    total = sum(counts.values())
    assert total == 288, out[-3000:]
    assert not counts.get("failed") and not counts.get("error"), out[-6000:]
    assert not _blamed_on_prism(out), out[-6000:]
    assert counts["passed"] >= 0.95 * total, counts


def test_values_respect_formats_bounds_and_escaping() -> None:
    from sdkforge.apimodel.ir import TypeRef
    from sdkforge.codegen.smoke import number_value, string_value

    assert string_value(TypeRef("str", fmt="uuid")) == "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"
    assert string_value(TypeRef("str", constraints=(("minLength", 3),))) == "xxx"
    assert string_value(TypeRef("str", constraints=(("pattern", "^[0-9]+$"),))) == "1"
    assert number_value(TypeRef("int", constraints=(("minimum", 5),))) == "5"
    assert number_value(TypeRef("float", constraints=(("maximum", 0.5),))) == "0.5"
    assert (
        number_value(TypeRef("int", constraints=(("exclusiveMinimum", 1), ("multipleOf", 4))))
        == "4"
    )
