"""Shared test helpers: repo paths, the optional ../shared corpus, generation into tmp dirs."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: derandomized in CI, so its verdict depends only on the code; exploring
# locally; `make fuzz` (profile "fuzz") runs them with many more examples. No profile has a
# deadline: how long an example takes on a loaded machine never decides a test.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.register_profile("fuzz", max_examples=2_000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SPECS = SHARED / "specs"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


def source_import_path() -> Path:
    """A folder that makes the checkout importable as `sdkforge` (a link to `generator/`),
    for interpreters that have no install of it: put it on their PYTHONPATH."""
    folder = ROOT / "build" / "source-path"
    link = folder / "sdkforge"
    if not link.is_symlink():
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another test process made it meanwhile
            link.symlink_to(ROOT / "generator", target_is_directory=True)
    return folder


def shared_specs() -> Path:
    """`../shared/specs`, or skip the test cleanly when the clone has no shared/ beside it."""
    if not SPECS.is_dir():
        pytest.skip("../shared/specs is not present next to this clone")
    return SPECS


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the formatting cache of the test run out of the user's home."""
    os.environ.setdefault("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Property tests get the `property` mark (`make fuzz` selects them); `@pytest.mark.slow`
    tests run only with SDKFORGE_SLOW=1."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)
    if os.environ.get("SDKFORGE_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow; set SDKFORGE_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def ruff_formatted(source: str, tmp_path: Path) -> str | None:
    """What `ruff format` (sdkforge's settings) makes of `source`; None without ruff."""
    from sdkforge.codegen import format as fmt

    binary = fmt.ruff_binary()
    if binary is None:
        return None
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    cmd = [binary, "format", "--isolated", "--no-cache", "--line-length", str(fmt.LINE_LENGTH)]
    subprocess.run([*cmd, "--target-version", "py310", str(path)], check=True, capture_output=True)
    return path.read_text(encoding="utf-8")


def black_by_parts(answer: object, source: str) -> str:
    """The text a voucher's callable answer gives (`blackparts`, `modelparts`), found
    without black on the whole module, held to black's text for the whole module."""
    from sdkforge.codegen import blackparts
    from sdkforge.codegen.format import format_source

    def whole(text: str) -> str:
        raise AssertionError("black on the whole module")

    assert callable(answer), answer
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blackparts, "format_source", whole)  # the statements alone, not this
        text = answer()
    assert isinstance(text, str) and text == format_source(source)
    return text
