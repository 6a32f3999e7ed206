"""The installed tool is the tested tool: sdkforge built as a wheel, installed the usual way.

Every other test imports the checkout (an editable install). Users get a wheel: `pip
install`, `pipx install`, and pre-commit's `language: python` hooks all build one and
install it non-editable, where nothing of the repository is on disk beside it. A wheel
that lacked the templates wrote a client without a client and exited 0, so here the
wheel is built, installed into a clean venv, and its command regenerates every golden
case and `output/` from a folder outside the checkout; the bytes must be the committed
ones. The pre-commit hooks run through pre-commit itself, which installs the repository
as its users' hooks do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.yaml").is_file())
RUNTIME = ROOT / "templates" / "python" / "{{package}}"


def _env() -> dict[str, str]:
    """The environment of a user's shell: nothing of the checkout importable."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONHASHSEED"] = "0"
    return env


def _run(cmd: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdkforge's wheel, built from the working tree as pip builds it (isolated build)."""
    dist = tmp_path_factory.mktemp("dist")
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)],
        cwd=dist,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (found,) = dist.glob("sdkforge-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean venv with the wheel installed (not editable); its `bin/`."""
    venv = tmp_path_factory.mktemp("wheel-venv")
    made = _run([sys.executable, "-m", "venv", str(venv)], cwd=venv)
    assert made.returncode == 0, made.stderr
    pip = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], cwd=venv)
    assert pip.returncode == 0, pip.stderr[-3000:]
    return venv / "bin"


def test_the_wheel_installs_one_top_level_package_with_its_templates(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"sdkforge"}
    from sdkforge.codegen.builtin import SHIPPED

    missing = [rel for rel in SHIPPED if f"sdkforge/templates/{rel}" not in names]
    assert not missing, f"templates missing from the wheel: {missing}"
    # Every package of the source folder is in the wheel (pyproject lists them by hand).
    in_wheel = {n.rsplit("/", 1)[0] for n in names if n.endswith("/__init__.py")}
    source = {
        "/".join(("sdkforge", *p.parent.relative_to(ROOT / "generator").parts))
        for p in (ROOT / "generator").rglob("__init__.py")
    }
    assert {p for p in in_wheel if not p.startswith("sdkforge/templates")} == source


def test_shipped_names_every_built_in_template() -> None:
    """`builtin.SHIPPED` is what a broken install is checked against: it must be the tree."""
    from sdkforge.codegen.builtin import SHIPPED

    tree = ROOT / "templates"
    on_disk = sorted(
        p.relative_to(tree).as_posix()
        for p in (tree / "python").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    assert sorted(SHIPPED) == on_disk


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _generate(bin_dir: Path, spec: Path, config: Path | None, out: Path) -> None:
    cmd = [str(bin_dir / "sdkforge"), "generate", "--spec", str(spec), "--output", str(out)]
    cmd += ["--config", str(config)] if config is not None else []
    done = _run(cmd, cwd=out.parent)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.parametrize("case", CASES)
def test_the_installed_command_regenerates_every_golden(
    installed: Path, case: str, tmp_path: Path
) -> None:
    folder = GOLDEN / case
    config = folder / "sdkforge.yaml"
    out = tmp_path / "out"
    _generate(installed, folder / "spec.yaml", config if config.exists() else None, out)
    actual = _tree(out)
    expected = _tree(folder / "expected")
    package = json.loads(actual.pop(".sdkforge-manifest.json"))["files"]
    assert set(package) == set(actual)
    runtime = {rel for rel in actual if rel not in expected}
    for rel in runtime:  # the goldens leave out the runtime's verbatim copies
        assert actual[rel] == (RUNTIME / rel.split("/", 1)[1]).read_bytes(), rel
    assert {rel: actual[rel] for rel in expected} == expected


def test_the_installed_command_regenerates_output(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "output"
    _generate(installed, ROOT / "spec" / "openapi.yaml", ROOT / "spec" / "sdkforge.yaml", out)
    committed = {
        rel: data
        for rel, data in _tree(ROOT / "output").items()
        if ".egg-info" not in rel and not (rel.startswith(".") and rel != ".sdkforge-manifest.json")
    }
    assert _tree(out) == committed
    again = _run([str(installed / "python"), "-m", "sdkforge", "generate", "--check", "--spec",
                  str(ROOT / "spec" / "openapi.yaml"), "--config", str(ROOT / "spec" / "sdkforge.yaml"),
                  "--output", str(out)], cwd=tmp_path)
    assert again.returncode == 0, again.stderr


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, installed: Path) -> Path:
    """A user's repository laid out as the hooks' defaults expect: `spec/openapi.yaml`, its
    `spec/sdkforge.yaml`, and the committed client in `output/`, under git."""
    repo = tmp_path_factory.mktemp("user-repo")
    (repo / "spec").mkdir()
    shutil.copy(ROOT / "spec" / "openapi.yaml", repo / "spec" / "openapi.yaml")
    shutil.copy(ROOT / "spec" / "sdkforge.yaml", repo / "spec" / "sdkforge.yaml")
    _generate(installed, repo / "spec" / "openapi.yaml", None, repo / "output")
    (repo / ".pre-commit-config.yaml").write_text("repos: []\n")
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"]):
        assert _run(cmd, cwd=repo).returncode == 0
    return repo


def _hook(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo CHECKOUT HOOK`: pre-commit builds the hook's environment from
    the checkout (working tree included) with pip, not editable, as users' hooks get it."""
    exe = Path(sys.executable).parent / "pre-commit"
    env = {**_env(), "PRE_COMMIT_HOME": str(home)}
    cmd = [str(exe), "try-repo", str(ROOT), hook, "--all-files"]
    return subprocess.run(
        cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def test_the_pre_commit_hooks_work_as_users_install_them(hook_repo: Path, tmp_path: Path) -> None:
    home = tmp_path / "pre-commit-home"
    current = _hook(hook_repo, "sdkforge-check", home)
    assert current.returncode == 0, current.stdout + current.stderr
    spec = hook_repo / "spec" / "openapi.yaml"
    text = spec.read_text()
    assert "Create a new video generation job by editing" in text
    spec.write_text(text.replace("Create a new video generation job by editing", "Edit"))
    subprocess.run(["git", "add", "-A"], cwd=hook_repo, check=True)
    stale = _hook(hook_repo, "sdkforge-check", home)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    regenerated = _hook(hook_repo, "sdkforge-generate", home)
    # pre-commit fails a hook that changed files, so the user sees the regenerated client.
    assert regenerated.returncode == 1 and "files were modified" in regenerated.stdout
    subprocess.run(["git", "add", "-A"], cwd=hook_repo, check=True)
    assert _hook(hook_repo, "sdkforge-check", home).returncode == 0
