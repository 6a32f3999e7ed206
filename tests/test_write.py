"""Regeneration as a build step: ownership, atomicity, check mode, determinism."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from sdkforge.cli import main
from sdkforge.diagnostics import SpecError
from sdkforge.write import MANIFEST, Plan, check_path, compare, write

SPEC = ROOT / "tests" / "golden" / "tags" / "spec.yaml"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _generate(out: Path, *extra: str) -> tuple[int, str]:
    return _run("generate", "--spec", str(SPEC), "--output", str(out), *extra)


def test_first_run_writes_a_manifest_of_every_file(tmp_path: Path) -> None:
    out = tmp_path / "client"
    code, _ = _generate(out)
    assert code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {MANIFEST}
    assert set(manifest["files"]) == on_disk
    assert "timestamp" not in json.dumps(manifest)


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "client"
    _generate(out)
    target = out / "store" / "_client.py"
    os.utime(target, (1_000_000, 1_000_000))
    code, _ = _generate(out)
    assert code == 0
    assert target.stat().st_mtime == 1_000_000


def test_refuses_a_non_empty_directory_without_manifest(tmp_path: Path) -> None:
    out = tmp_path / "client"
    out.mkdir()
    (out / "mine.txt").write_text("precious")
    code, output = _generate(out)
    assert code == 2 and "--force" in output
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    code, _ = _generate(out, "--force")
    assert code == 0 and (out / "mine.txt").read_text() == "precious"


def test_hand_edits_are_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "client"
    _generate(out)
    edited = out / "store" / "_client.py"
    edited.write_text("# my change\n")
    code, output = _generate(out)
    assert code == 0 and "kept" in output
    assert edited.read_text() == "# my change\n"
    code, _ = _generate(out, "--force")
    assert code == 0 and edited.read_text() != "# my change\n"


def test_stale_owned_files_are_removed_and_foreign_files_kept(tmp_path: Path) -> None:
    out = tmp_path / "client"
    _generate(out)
    (out / "notes.md").write_text("not ours")
    manifest = json.loads((out / MANIFEST).read_text())
    stale = out / "store" / "resources" / "old.py"
    stale.write_text("# old\n")
    import hashlib

    manifest["files"]["store/resources/old.py"] = hashlib.sha256(b"# old\n").hexdigest()
    (out / MANIFEST).write_text(json.dumps(manifest))
    code, _ = _generate(out)
    assert code == 0
    assert not stale.exists()
    assert (out / "notes.md").read_text() == "not ours"


def test_check_mode(tmp_path: Path) -> None:
    out = tmp_path / "client"
    code, _ = _generate(out, "--check")
    assert code == 1 and not out.exists()
    _generate(out)
    assert _generate(out, "--check")[0] == 0
    (out / "store" / "_client.py").write_text("drift\n")
    code, output = _generate(out, "--check")
    assert code == 1 and "store/_client.py" in output
    code, output = _generate(out, "--diff")
    assert code == 1 and "-drift" in output


def test_bad_spec_exits_2_and_leaves_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "client"
    _generate(out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\ninfo: [not, a, mapping\n")
    result = CliRunner().invoke(main, ["generate", "--spec", str(bad), "--output", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(bad) in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    "path", ["../escape.py", "/abs.py", "a/../../b.py", "pkg/CON.py", "pkg\\evil.py", "", "a//b.py"]
)
def test_unsafe_output_paths_are_refused(path: str) -> None:
    with pytest.raises(SpecError):
        check_path(path)


def test_case_insensitive_collisions_are_refused(tmp_path: Path) -> None:
    plan = Plan(files={"pkg/Model.py": b"", "pkg/model.py": b""}, spec_hash="x")
    with pytest.raises(SpecError):
        compare(plan, tmp_path)


def test_symlinked_subdirectory_cannot_redirect_writes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    outside = tmp_path / "outside"
    outside.mkdir()
    out.mkdir()
    (out / "pkg").symlink_to(outside, target_is_directory=True)
    plan = Plan(files={"pkg/x.py": b"x"}, spec_hash="x")
    with pytest.raises(SpecError):
        write(plan, out, force=True)
    assert not (outside / "x.py").exists()


def test_new_files_are_created_in_place_and_leave_no_temp_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plan = Plan(files={"pkg/a.py": b"a", "pkg/sub/b.py": b"b"}, spec_hash="x")
    changes = write(plan, out)
    assert changes.added == ["pkg/a.py", "pkg/sub/b.py"]
    assert (out / "pkg" / "a.py").read_bytes() == b"a"
    assert not [p for p in out.rglob("*") if "sdkforge-tmp" in p.name]


def test_a_symlink_that_appears_after_the_comparison_is_replaced_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between deciding a file is new and writing it, a symlink appears where it goes:
    the write replaces the link itself and never writes through it."""
    out = tmp_path / "out"
    (out / "pkg").mkdir(parents=True)
    (out / MANIFEST).write_text(json.dumps({"files": {}}))
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    plan = Plan(files={"pkg/a.py": b"generated"}, spec_hash="x")
    real_compare = compare

    def racing_compare(*args: object, **kwargs: object) -> object:
        changes = real_compare(*args, **kwargs)  # type: ignore[arg-type]
        (out / "pkg" / "a.py").symlink_to(victim)
        return changes

    monkeypatch.setattr("sdkforge.write.compare", racing_compare)
    write(plan, out)
    assert victim.read_bytes() == b"precious"
    assert not (out / "pkg" / "a.py").is_symlink()
    assert (out / "pkg" / "a.py").read_bytes() == b"generated"


def test_a_new_file_whose_write_fails_is_not_left_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up mid-file: the partial file goes (ours, and otherwise read as a
    hand edit by the next run), the error is raised."""
    out = tmp_path / "out"
    plan = Plan(files={"pkg/a.py": b"x" * 100}, spec_hash="x")
    real_open = open

    class Full(io.FileIO):
        def write(self, data: object) -> int:
            super().write(b"partial")
            raise OSError(28, "No space left on device")

    def full_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if isinstance(file, int) and "w" in mode:
            return Full(file, "wb")
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", full_open)
    with pytest.raises(OSError, match="No space"):
        write(plan, out)
    monkeypatch.undo()
    assert not (out / "pkg" / "a.py").exists()


def _tree(root: Path) -> dict[str, bytes | str]:
    """Every entry below `root`: file bytes, or a symlink's target (not followed)."""
    tree: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            tree[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            tree[rel] = path.read_bytes()
        else:
            tree[rel] = "dir"
    return tree


@pytest.mark.parametrize("form", ["dotdot", "relative", "absolute", "symlinked-parent", "symlink-itself", "messy"])
def test_every_form_of_output_path_writes_the_same_client(
    tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`..`, relative, absolute, through a symlinked folder (macOS's /tmp) or a symlink to the
    folder itself: one real directory, fully written, and a second run finds it current."""
    real = tmp_path / "real"
    real.mkdir()
    work = real / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    if form == "symlink-itself":
        (real / "client").mkdir()
        (tmp_path / "client-link").symlink_to(real / "client", target_is_directory=True)
    arg = {
        "dotdot": "../client",
        "relative": "client",
        "absolute": str(real / "client"),
        "symlinked-parent": str(tmp_path / "link" / "client"),
        "symlink-itself": str(tmp_path / "client-link"),
        "messy": "./x/../../client/",
    }[form]
    code, output = _generate(Path(arg))
    assert code == 0, output
    written = (work / "client") if form == "relative" else (real / "client")
    assert (written / MANIFEST).is_file() and (written / "store" / "_client.py").is_file()
    assert (written / "pyproject.toml").is_file()
    code, output = _generate(Path(arg))
    assert code == 0, output
    code, output = _generate(Path(arg), "--check")
    assert code == 0, output


def test_a_refused_run_leaves_the_directory_byte_identical(tmp_path: Path) -> None:
    """A symlink planted inside a generated client that points out of it: the run is refused
    (exit 2) before the first write, neither the client nor the outside folder changes."""
    out = tmp_path / "client"
    assert _generate(out)[0] == 0
    (out / "README.md").write_text("stale, owned: would be rewritten")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    (out / "store" / "resources").rename(tmp_path / "moved-away")
    (out / "store" / "resources").symlink_to(outside, target_is_directory=True)
    before, before_outside = _tree(out), _tree(outside)
    code, output = _generate(out, "--force")
    assert code == 2 and "resolves outside" in output and "Traceback" not in output
    assert _tree(out) == before
    assert _tree(outside) == before_outside


def test_identical_bytes_across_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "12345"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sdkforge",
                "generate",
                "--spec",
                str(SPEC),
                "--output",
                str(out),
                "-q",
            ],
            check=True,
            cwd=ROOT,
            env=env,
        )
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]


def test_check_notices_a_changed_referenced_file(tmp_path: Path) -> None:
    """The incremental fast path covers every input, not just the spec file itself."""
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Ext, version: '1'}\npaths:\n  /pets:\n    get:\n"
        "      operationId: listPets\n      responses:\n        '200':\n          description: ok\n"
        "          content: {application/json: {schema: {$ref: 'models.yaml#/Pet'}}}\n"
    )
    models = tmp_path / "models.yaml"
    models.write_text("Pet: {type: object, properties: {name: {type: string}}}\n")
    out = tmp_path / "out"
    args = ["generate", "--spec", str(spec), "--output", str(out)]
    assert _run(*args)[0] == 0
    assert _run(*args, "--check")[0] == 0
    models.write_text(
        "Pet: {type: object, properties: {name: {type: string}, age: {type: integer}}}\n"
    )
    code, output = _run(*args, "--check")
    assert code == 1 and "pet.py" in output


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_terminals_for_big_specs() -> None:
    from sdkforge.cli import ProgressBar

    stream = _Tty()
    bar = ProgressBar(stream, quiet=False)
    bar("operations", 288, 288)
    bar("rendering", 10, 20)
    bar("formatting", 20, 20)
    assert "rendering" in stream.getvalue() and "20/20" in stream.getvalue()
    small = _Tty()
    bar = ProgressBar(small, quiet=False)
    bar("operations", 3, 3)
    bar("rendering", 1, 2)
    assert small.getvalue() == ""
    piped = io.StringIO()
    bar = ProgressBar(piped, quiet=False)
    bar("operations", 288, 288)
    bar("rendering", 1, 2)
    assert piped.getvalue() == ""


def test_a_config_named_on_the_command_line_must_exist(tmp_path: Path) -> None:
    """`--config nope.yaml` ran with the defaults (exit 0): a typo dropped every setting."""
    code, output = _generate(tmp_path / "client", "--config", str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml" in output and "no such file" in output
    assert not (tmp_path / "client").exists()
