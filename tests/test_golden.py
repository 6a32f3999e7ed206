"""Golden tests: regenerating must reproduce the committed files byte for byte.

`UPDATE_GOLDEN=1 make test` (or `make golden`) rewrites every expected tree; review the
`git diff` before committing it. Runtime modules copied verbatim from templates are
checked once, against output/, instead of once per case.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, UPDATE_GOLDEN

from sdkforge.config import Config, load_config
from sdkforge.pipeline import generate
from sdkforge.write import compare

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.yaml").is_file())
RUNTIME = ROOT / "templates" / "python" / "{{package}}"


def _is_runtime_copy(rel: str, package: str) -> bool:
    prefix = package + "/"
    return rel.startswith(prefix) and (RUNTIME / rel[len(prefix) :]).is_file()


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _assert_same(expected: dict[str, bytes], actual: dict[str, bytes], where: str) -> None:
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    assert not missing and not extra, f"{where}: files missing {missing}, unexpected {extra}"
    for rel in sorted(expected):
        if expected[rel] != actual[rel]:
            diff = "".join(
                difflib.unified_diff(
                    expected[rel].decode(errors="replace").splitlines(keepends=True),
                    actual[rel].decode(errors="replace").splitlines(keepends=True),
                    f"expected/{rel}",
                    f"generated/{rel}",
                )
            )
            pytest.fail(
                f"{where}: {rel} drifted (UPDATE_GOLDEN=1 make test refreshes):\n{diff[:6000]}"
            )


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case: str) -> None:
    folder = GOLDEN / case
    config_file = folder / "sdkforge.yaml"
    config = load_config(config_file) if config_file.exists() else Config()
    result = generate(folder / "spec.yaml", config)
    actual = {
        rel: data
        for rel, data in result.plan.files.items()
        if not _is_runtime_copy(rel, result.api.package)
    }
    expected_dir = folder / "expected"
    if UPDATE_GOLDEN:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, data in actual.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_bytes(data)
    _assert_same(_tree(expected_dir), actual, f"golden case {case!r}")


def test_output_is_current() -> None:
    """`output/` is exactly what `make generate` produces from `spec/` (runtime included)."""
    result = generate(ROOT / "spec" / "openapi.yaml", load_config(ROOT / "spec" / "sdkforge.yaml"))
    output = ROOT / "output"
    if UPDATE_GOLDEN:
        from sdkforge.write import write

        write(result.plan, output)
    changes = compare(result.plan, output)
    expected = {**result.plan.files, ".sdkforge-manifest.json": result.plan.manifest()}
    on_disk = {
        rel: data
        for rel, data in _tree(output).items()
        if not rel.startswith(".") or rel == ".sdkforge-manifest.json"
    }
    on_disk = {
        rel: data
        for rel, data in on_disk.items()
        if "__pycache__" not in rel and ".egg-info" not in rel
    }
    _assert_same(expected, on_disk, "output/")
    assert not changes.differs


def test_runtime_files_are_verbatim_copies() -> None:
    result = generate(ROOT / "spec" / "openapi.yaml", load_config(ROOT / "spec" / "sdkforge.yaml"))
    copies = [rel for rel in result.plan.files if _is_runtime_copy(rel, "openai_videos")]
    assert copies, "no runtime modules were generated"
    for rel in copies:
        assert result.plan.files[rel] == (RUNTIME / rel.split("/", 1)[1]).read_bytes(), rel


def test_generation_is_deterministic() -> None:
    """Two runs (fresh caches aside) give identical bytes."""
    spec = GOLDEN / "keywords" / "spec.yaml"
    first = generate(spec, Config()).plan
    second = generate(spec, Config()).plan
    assert first.files == second.files
