"""Nothing outlives a killed run; SIGINT/SIGTERM stop a run quickly, quietly, output whole.

Real processes throughout: `python -m sdkforge generate` (on a synthetic spec with many
models, and on OpenAI's full spec when ../shared is present), its workers found in /proc,
signals sent with `os.kill`. Waits are generous; only "gone eventually" decides.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SPECS
from proc_util import (
    Reaper,
    Run,
    children,
    environment,
    many_models_spec,
    need_proc,
    snapshot,
    wait_for,
)

from sdkforge.control import lifeline
from sdkforge.control.concurrency import Workers


def _specs() -> list[object]:
    openai = SPECS / "openai.yaml"
    skip = pytest.mark.skipif(not openai.is_file(), reason="../shared/specs/openai.yaml absent")
    return ["synthetic", pytest.param(openai, id="openai", marks=skip)]


def _spec(which: object, tmp_path: Path) -> Path:
    return many_models_spec(tmp_path / "many.yaml") if which == "synthetic" else Path(str(which))


@pytest.fixture
def reaper() -> Iterator[Reaper]:
    need_proc()
    watched = Reaper()
    yield watched
    watched.close()


def _workers_of(pid: int, reaper: Reaper, at_least: int = 1) -> set[int]:
    found = wait_for(lambda: len(children(pid)) >= at_least and children(pid), "workers")
    return reaper.watch(set(found))  # type: ignore[call-overload]


@pytest.mark.parametrize("which", _specs())
def test_sigkill_of_a_run_leaves_no_worker_behind(
    which: object, tmp_path: Path, reaper: Reaper
) -> None:
    spec = _spec(which, tmp_path)
    run = Run(
        "generate", "--spec", str(spec), "--output", str(tmp_path / "out"), "--no-cache",
        env=environment(tmp_path), logs=tmp_path / "logs",
    )  # fmt: skip
    try:
        _workers_of(run.pid, reaper)
    finally:
        run.proc.kill()
    assert run.finish()[0] == -signal.SIGKILL
    reaper.gone()


_POOL_SCRIPT = """
import sys, time
from sdkforge.control import lifeline
pool = lifeline.pool(2, poll_only={poll_only})
for f in [pool.submit(int, 1) for _ in range(4)]:
    f.result()
print("ready", flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("poll_only", [False, True], ids=["parent-death-signal", "polling"])
def test_pool_workers_exit_when_their_parent_is_killed(
    poll_only: bool, tmp_path: Path, reaper: Reaper
) -> None:
    """Both ties: Linux's parent-death signal and the portable polling thread."""
    script = _POOL_SCRIPT.format(poll_only=poll_only)
    proc = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=environment(tmp_path),
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        assert len(reaper.watch(children(proc.pid))) == 2
    finally:
        proc.kill()
        proc.wait()
    reaper.gone()


def test_black_pool_workers_die_with_their_parent(tmp_path: Path, reaper: Reaper) -> None:
    """The formatting pool (`codegen.format`) is tied the same way."""
    script = textwrap.dedent(
        """
        from sdkforge.codegen.format import format_many
        big = [f"x{i} = [" + ", ".join(str(j) for j in range(30000)) + "]\\n" for i in range(6)]
        format_many(big, use_cache=False, jobs=2)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=environment(tmp_path))
    try:
        _workers_of(proc.pid, reaper, at_least=2)
    finally:
        proc.kill()
        proc.wait()
    reaper.gone()


def test_a_worker_whose_parent_died_before_the_tie_exits() -> None:
    """The check after prctl: a worker that finds another parent than the one that made
    the pool ends at once instead of waiting for a signal that will never come."""
    code = (
        "from sdkforge.control import lifeline; lifeline._start(1, None, False); print('survived')"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "survived" not in done.stdout


_WARMED: list[int] = []


def _warm() -> None:
    _WARMED.append(os.getpid())


def _warmed() -> list[int]:
    return list(_WARMED)


def test_the_tied_workers_still_run_the_pools_warm_up() -> None:
    workers = Workers(cores=2, warm_up=_warm, preload=True)
    try:
        pending = workers.call(_warmed)
        assert pending is not None
        warmed = pending.result()
    finally:
        workers.close()
    assert len(warmed) == 1 and warmed[0] != os.getpid()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_run_with_its_code_and_the_output_untouched(
    signum: int, tmp_path: Path, reaper: Reaper
) -> None:
    env = environment(tmp_path)
    out = tmp_path / "out"
    first = subprocess.run(
        [sys.executable, "-m", "sdkforge", "generate", "--spec",
         str(many_models_spec(tmp_path / "v1.yaml", 60)), "--output", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    spec = many_models_spec(tmp_path / "v2.yaml", salt=" (changed)")
    run = Run(
        "generate", "--spec", str(spec), "--output", str(out), "--no-cache",
        env=env, logs=tmp_path / "logs",
    )  # fmt: skip
    try:
        _workers_of(run.pid, reaper)
        os.kill(run.pid, signum)
        code, _, err = run.finish()
    finally:
        run.proc.kill()
    assert code == 128 + signum
    name = signal.Signals(signum).name
    assert err.splitlines() == [f"sdkforge: stopped by {name}; {out} was not touched"]
    assert snapshot(out) == before
    reaper.gone()


def test_a_signal_while_writing_is_held_until_the_output_is_complete(tmp_path: Path) -> None:
    """The write phase is finished, not cut short: every file and the manifest match the
    new plan, and the run still ends with the signal's code and one line."""
    script = textwrap.dedent(
        """
        import os, signal, sys, time
        from pathlib import Path
        from sdkforge.control import interrupts
        from sdkforge.write import Plan, write
        out = Path(sys.argv[1])
        plan = Plan({f"pkg/m{i}.py": b"x = %d\\n" % i for i in range(300)}, spec_hash="s")
        try:
            with interrupts.handled(out):
                with interrupts.writing():
                    os.kill(os.getpid(), signal.SIGTERM)
                    time.sleep(0.2)  # the handler runs (and holds the signal) meanwhile
                    write(plan, out)
                print("not stopped")
        except interrupts.Interrupted as exc:
            exc.settle()
            print(exc.message(out), file=sys.stderr)
            sys.exit(exc.code)
        """
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", script, str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 143 and "not stopped" not in done.stdout
    assert done.stderr.splitlines() == [
        f"sdkforge: stopped by SIGTERM after writing {out} completely"
    ]
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == sorted([".sdkforge-manifest.json", *(f"pkg/m{i}.py" for i in range(300))])
    assert (out / "pkg" / "m299.py").read_bytes() == b"x = 299\n"


@pytest.mark.parametrize("command", ["diff", "init"])
def test_diff_and_init_stop_like_generate(command: str, tmp_path: Path) -> None:
    """`sdkforge diff` and `sdkforge init` stopped mid-run: one line, 130, no traceback,
    and `init` leaves no half-written config. The signal is sent from inside the run
    (while the spec loads), so when it arrives does not depend on a clock."""
    script = textwrap.dedent(
        """
        import os, signal, sys
        from sdkforge import cli, pipeline
        real = pipeline.load_api
        def load_api(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGINT)
            return real(*args, **kwargs)
        pipeline.load_api = load_api
        cli.main(sys.argv[1:])
        """
    )
    spec = many_models_spec(tmp_path / "spec.yaml", 20)
    target = tmp_path / "sdkforge.yaml"
    args = [str(spec), str(spec)] if command == "diff" else [str(spec), "--output", str(target)]
    done = subprocess.run(
        [sys.executable, "-c", script, command, *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 130, done.stderr
    expected = "sdkforge: stopped by SIGINT"
    if command == "init":
        expected += f"; {target} was not touched"
    assert done.stderr.splitlines() == [expected]
    assert done.stdout == "" and not target.exists()


def _parent(_: int) -> int:
    return os.getppid()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and forkserver: Linux")
def test_a_big_heap_starts_its_workers_from_a_fork_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past BIG_HEAP_MB the workers do not inherit this process's heap: their parent is the
    fork server; below it they are forked from this process. Results are the same either way."""
    with lifeline.forked_map(_parent, range(4), workers=2) as parents:
        assert set(parents) == {os.getpid()}
    monkeypatch.setattr(lifeline, "BIG_HEAP_MB", -1.0)
    with lifeline.forked_map(_parent, range(4), workers=2) as parents:
        found = set(parents)
    assert os.getpid() not in found and len(found) == 1
