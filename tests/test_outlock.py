"""One writer per output directory: runs started together all succeed with one correct
output; a held lock makes a run wait, then give up naming the holder; a lock left by a dead
process is taken over. Processes, not threads: the lock is between processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from proc_util import Run, environment, need_proc, snapshot, wait_for

from sdkforge.control.outlock import LOCK
from sdkforge.write import MANIFEST

SPEC = ROOT / "tests" / "golden" / "tags" / "spec.yaml"

_HOLD = """
import sys, time
from pathlib import Path
from sdkforge.control.outlock import locked
with locked(Path(sys.argv[1]), started=1_700_000_000.0):
    print("locked", flush=True)
    time.sleep(600)
"""


def _generate(out: Path, tmp_path: Path, *extra: str, logs: str = "logs") -> Run:
    return Run(
        "generate", "--spec", str(SPEC), "--output", str(out), *extra,
        env=environment(tmp_path), logs=tmp_path / logs,
    )  # fmt: skip


def _reference(tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "reference"
    assert _generate(out, tmp_path, logs="ref").finish()[0] == 0
    return {rel: data for rel, (data, _) in snapshot(out).items()}


def test_four_runs_started_together_on_a_new_directory_all_succeed(tmp_path: Path) -> None:
    reference = _reference(tmp_path)  # also warms the cache: the four finish close together
    out = tmp_path / "new" / "client"
    runs = [_generate(out, tmp_path, logs=f"run{i}") for i in range(4)]
    results = [run.finish() for run in runs]
    assert [code for code, _, _ in results] == [0, 0, 0, 0], [err for _, _, err in results]
    _one_correct_output(out, reference)


def test_four_runs_waiting_for_the_lock_together_all_succeed(tmp_path: Path) -> None:
    """The same, with the four certainly at the write phase at once: a process holds the
    new directory's lock until all four are waiting for it, then lets go."""
    reference = _reference(tmp_path)
    out = tmp_path / "client"
    holder = _hold(out, tmp_path)
    try:
        runs = [_generate(out, tmp_path, logs=f"run{i}") for i in range(4)]
        for run in runs:
            _wait_for_lock_attempt(run)
    finally:
        holder.kill()
        holder.wait()
    results = [run.finish() for run in runs]
    assert [code for code, _, _ in results] == [0, 0, 0, 0], [err for _, _, err in results]
    _one_correct_output(out, reference)


def _one_correct_output(out: Path, reference: dict[str, bytes]) -> None:
    written = {rel: data for rel, (data, _) in snapshot(out).items()}
    assert written == reference
    assert LOCK not in written and LOCK not in json.loads(written[MANIFEST])["files"]
    assert not list(out.rglob("*sdkforge-tmp"))


def _hold(out: Path, tmp_path: Path) -> subprocess.Popen[str]:
    """A process holding `out`'s lock (its start time: 2023-11-14)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(out)], cwd=ROOT, env=environment(tmp_path),
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def test_a_held_lock_makes_a_run_wait_then_give_up_naming_the_holder(tmp_path: Path) -> None:
    out = tmp_path / "client"
    holder = _hold(out, tmp_path)
    try:
        code, _, err = _generate(out, tmp_path, "--lock-timeout", "0.5").finish()
        assert code == 2, err
        assert (
            f"is being written by another sdkforge run (pid {holder.pid}, started 2023-11-" in err
        )
        assert "--lock-timeout" in err and "Traceback" not in err
        assert [p.name for p in out.iterdir()] == [LOCK], "nothing written while it waited"
    finally:
        holder.kill()  # SIGKILL: its lock file stays behind, naming a dead pid
        holder.wait()
    assert json.loads((out / LOCK).read_text())["pid"] == holder.pid
    code, _, err = _generate(out, tmp_path, "--lock-timeout", "0.5", logs="after").finish()
    assert code == 0, err
    assert {rel: d for rel, (d, _) in snapshot(out).items()} == _reference(tmp_path)
    assert not (out / LOCK).exists(), "taken over, and removed when done"


def test_a_run_waiting_for_the_lock_stops_on_sigterm(tmp_path: Path) -> None:
    out = tmp_path / "client"
    holder = _hold(out, tmp_path)
    try:
        run = _generate(out, tmp_path, "--lock-timeout", "600")
        try:
            # It waits once everything is rendered: its summary line would come after.
            _wait_for_lock_attempt(run)
            os.kill(run.pid, signal.SIGTERM)
            code, _, err = run.finish()
        finally:
            run.proc.kill()
        assert code == 143 and err.splitlines() == [
            f"sdkforge: stopped by SIGTERM; {out} was not touched"
        ]
        assert [p.name for p in out.iterdir()] == [LOCK]
        assert json.loads((out / LOCK).read_text())["pid"] == holder.pid, "the holder's lock stays"
    finally:
        holder.kill()
        holder.wait()


def _wait_for_lock_attempt(run: Run) -> None:
    """Until the run has the lock file open (it is then waiting for the lock)."""
    need_proc()

    def opened() -> bool:
        try:
            fds = os.listdir(f"/proc/{run.pid}/fd")
        except OSError:
            return False
        for fd in fds:
            try:
                if os.readlink(f"/proc/{run.pid}/fd/{fd}").endswith(LOCK):
                    return True
            except OSError:
                continue
        return False

    wait_for(opened, "the run to try the lock")
