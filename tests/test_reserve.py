"""Files made ahead for a first generation (`control.reserve`): the same client, the
inodes made while it renders, and no trace however the run ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT
from proc_util import Run, environment, many_models_spec, need_proc, wait_for

from sdkforge import pipeline
from sdkforge.cli import main
from sdkforge.codegen.gate import GeneratedCodeError
from sdkforge.control import reserve
from sdkforge.control.reserve import PREFIX, Reservation
from sdkforge.write import MANIFEST, Plan, write

pytestmark = pytest.mark.skipif(os.name != "posix", reason="reservations are POSIX only")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _staging(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.name.startswith(PREFIX)] if root.exists() else []


def _generate(spec: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["generate", "--spec", str(spec), "--output", str(out), "--no-cache", *extra]
    )
    return result.exit_code, result.output


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every reserved file `write` was given."""
    given: list[Path] = []
    real = Reservation.take

    def spy(self: Reservation) -> Path | None:
        path = real(self)
        if path is not None:
            given.append(path)
        return path

    monkeypatch.setattr(Reservation, "take", spy)
    return given


def test_a_first_generation_writes_through_reserved_files_the_same_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taken: list[Path]
) -> None:
    spec = many_models_spec(tmp_path / "many.yaml", 250)
    code, output = _generate(spec, tmp_path / "ahead")
    assert code == 0, output
    used = len(taken)
    # Most new files went through a reserved one; none is left, nor is the folder.
    assert used > 250
    assert not _staging(tmp_path / "ahead")
    monkeypatch.setattr(reserve, "MIN_FILES", 10**9)  # no reservation
    code, output = _generate(spec, tmp_path / "plain")
    assert code == 0, output
    assert len(taken) == used
    assert _tree(tmp_path / "ahead") == _tree(tmp_path / "plain")
    # Made as Path.write_bytes makes files: the umask's permissions.
    modes = {p.stat().st_mode & 0o777 for p in (tmp_path / "ahead").rglob("*") if p.is_file()}
    assert modes == {p.stat().st_mode & 0o777 for p in (tmp_path / "plain").rglob("*.py")}


def test_only_a_first_generation_reserves(tmp_path: Path, taken: list[Path]) -> None:
    spec = many_models_spec(tmp_path / "many.yaml", 250)
    out = tmp_path / "out"
    assert _generate(spec, out, "--check")[0] == 1  # writes nothing, reserves nothing
    assert not out.exists()
    assert _generate(spec, out)[0] == 0
    first = len(taken)
    changed = many_models_spec(tmp_path / "many2.yaml", 250, salt=" (changed)")
    assert _generate(changed, out)[0] == 0  # a regeneration: its files exist
    assert _generate(changed, out, "--diff")[0] == 0
    assert len(taken) == first
    assert Reservation.start(out, 1000) is None
    assert Reservation.start(tmp_path / "small", 10) is None and not (tmp_path / "small").exists()


@pytest.mark.parametrize("existed", [False, True], ids=["new-dir", "empty-dir"])
def test_a_run_that_fails_after_reserving_leaves_the_output_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existed: bool
) -> None:
    out = tmp_path / "out"
    if existed:
        out.mkdir()
    started: list[Reservation] = []
    real = Reservation.start

    def start(out_dir: Path, count: int) -> Reservation | None:
        held = real(out_dir, count)
        assert held is not None
        started.append(held)
        return held

    def broken_gate(*args: object, **kwargs: object) -> None:
        raise GeneratedCodeError("x.py:1: generated Python does not compile: boom")

    monkeypatch.setattr(Reservation, "start", staticmethod(start))
    monkeypatch.setattr(pipeline, "compile_gate", broken_gate)
    code, _ = _generate(many_models_spec(tmp_path / "many.yaml", 250), out)
    assert code == 3 and started
    assert out.exists() == existed
    assert not existed or list(out.iterdir()) == []


def test_a_signal_during_generation_leaves_no_reservation(tmp_path: Path) -> None:
    need_proc()
    out = tmp_path / "out"
    spec = many_models_spec(tmp_path / "many.yaml", 600)
    run = Run(
        "generate", "--spec", str(spec), "--output", str(out), "--no-cache",
        env=environment(tmp_path), logs=tmp_path / "logs",
    )  # fmt: skip
    try:
        wait_for(lambda: bool(_staging(out)), "the staging folder")
        os.kill(run.pid, signal.SIGTERM)
        code, _, err = run.finish()
    finally:
        run.proc.kill()
    assert code == 128 + signal.SIGTERM, err
    assert not out.exists()


def test_a_signal_while_the_reservation_starts_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window the test above can only hit by chance (on a loaded machine, starting the
    helper takes long): a signal after the folders are made, before the reservation is
    recorded, is acted on once it is, so the unwinding removes them."""
    from sdkforge.control import interrupts

    out = tmp_path / "out"
    real = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGTERM)  # handled before the helper has started
        return real(*args, **kwargs)

    monkeypatch.setattr(reserve.subprocess, "Popen", popen)
    try:
        with interrupts.handled(out), reserve.Ahead(out) as ahead:
            ahead(reserve.MIN_FILES)
    except interrupts.Interrupted as exc:
        exc.settle()  # no forced exit of the test process
        assert exc.signum == signal.SIGTERM and not exc.after_write
    else:
        raise AssertionError("the signal was lost")
    assert not out.exists()


def test_a_killed_runs_staging_folder_is_swept_and_never_makes_the_output_foreign(
    tmp_path: Path,
) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    out = tmp_path / "out"
    stale = out / f"{PREFIX}{int(gone.stdout)}"
    stale.mkdir(parents=True)
    for i in range(5):
        (stale / str(i)).touch()
    (stale / "5").write_bytes(b"half written")
    live = out / f"{PREFIX}{os.getppid()}"  # a running process's: left alone
    live.mkdir()
    (live / "0").touch()
    spec = ROOT / "tests" / "golden" / "tags" / "spec.yaml"
    code, output = _generate(spec, out)  # no --force: the directory is not someone else's
    assert code == 0, output
    assert not stale.exists()
    assert (live / "0").exists()
    assert (out / MANIFEST).exists()


def test_write_fills_reserved_files_and_creates_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    held = Reservation.start(out, reserve.MIN_FILES)
    assert held is not None
    files = {f"pkg/m{i}.py": f"x = {i}\n".encode() for i in range(reserve.MIN_FILES + 20)}
    wait_for(lambda: len(list(held.folder.iterdir())) == reserve.MIN_FILES, "the helper")
    # One reserved file is not as the helper made it: it is left, the file created anyway.
    (held.folder / "0").write_bytes(b"not empty")
    try:
        changes = write(Plan(files=files, spec_hash="x"), out, reserved=held)
    finally:
        held.close()
    assert len(changes.added) == len(files)
    assert _tree(out) == {MANIFEST: (out / MANIFEST).read_bytes(), **files}
    assert not _staging(out)
