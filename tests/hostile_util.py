"""Helpers shared by test_hostile.py, test_fuzz.py and test_bounds.py: run the CLI (in process,
or in a fresh interpreter measuring peak memory), inspect generated code."""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
import textwrap
import tokenize
from pathlib import Path

from click.testing import CliRunner, Result

from sdkforge.cli import main

# Names that must never appear as code (outside strings and comments) in generated files.
FORBIDDEN_NAMES = frozenset({"__import__", "system", "PWNED", "eval", "exec", "pickle", "jinja"})


def run_cli(*args: str) -> Result:
    """Invoke `sdkforge` in process; exceptions propagate into the Result, never swallowed."""
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def generate(spec: Path, out: Path, *extra: str) -> Result:
    return run_cli(
        "generate", "--spec", str(spec), "--output", str(out), "--formatter", "none",
        "--no-cache", *extra,
    )  # fmt: skip


def write_spec(path: Path, doc: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"exception escaped the CLI: {result.exception!r}") from (
            result.exception
        )


def python_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.py") if "__pycache__" not in p.parts)


def code_tokens(source: str) -> list[tokenize.TokenInfo]:
    """Every token that is code: not a string (or f-string part), comment or whitespace."""
    skip = {tokenize.STRING, tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT}
    skip |= {tokenize.DEDENT, tokenize.ENDMARKER, tokenize.ENCODING}
    for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END"):
        if hasattr(tokenize, name):
            skip.add(getattr(tokenize, name))
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [t for t in tokens if t.type not in skip]


def assert_payload_only_in_strings(path: Path, source: str) -> None:
    """The injection payloads only ever surface inside string tokens or comments.

    Identifiers derived from hostile names are fine (`touch_pwned` is a name, not code),
    so the check is on what a successful injection would need: a call to `__import__`,
    `os.system`, `eval`/`exec`, a `PWNED` token of its own, or a Jinja expression that was
    evaluated (`{{ 1337*1337 }}` → 1787569).
    """
    tokens = code_tokens(source)
    for tok in tokens:
        assert tok.string not in FORBIDDEN_NAMES, (
            f"{path}:{tok.start[0]}: code token {tok.string!r}"
        )
    assert "1787569" not in source, f"{path}: a Jinja expression from the spec was evaluated"
    tree = ast.parse(source, str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            assert name not in {"__import__", "system", "eval", "exec", "popen"}, (
                f"{path}:{node.lineno}: call to {name}"
            )


def compile_all(out: Path) -> list[Path]:
    files = python_files(out)
    for path in files:
        source = path.read_text(encoding="utf-8")
        compile(source, str(path), "exec")
    return files


IMPORT_SCRIPT = textwrap.dedent(
    """
    import functools, importlib, inspect, json, sys
    sys.path.insert(0, sys.argv[1])
    pkg = importlib.import_module(sys.argv[2])
    importlib.import_module(sys.argv[2] + ".models")
    touched = []

    def touch(obj, trail, depth=0):
        if depth > 20:
            return
        for name, value in sorted(vars(type(obj)).items()):
            if isinstance(value, functools.cached_property) and not name.startswith("with_"):
                child = getattr(obj, name)
                touched.append(".".join([*trail, name]))
                touch(child, [*trail, name], depth + 1)

    for cls_name in pkg.__all__:
        cls = getattr(pkg, cls_name)
        if isinstance(cls, type) and cls_name.endswith("Client") and cls_name != "APIClient":
            try:
                client = cls()
            except TypeError:
                continue
            except importlib.import_module(sys.argv[2] + "._exceptions").SDKError:
                # a required credential: give every text argument a value
                text = {
                    n: "x"
                    for n, p in inspect.signature(cls).parameters.items()
                    if p.default is None and str(p.annotation).startswith("str") and n != "base_url"
                }
                client = cls(**text)
            touch(client, [cls_name])
            repr(client)
    print(json.dumps(touched))
    """
)


def import_and_touch(
    out: Path, package: str, cwd: Path, env: dict[str, str] | None = None
) -> list[str]:
    """Import the generated package in a fresh interpreter (cwd = `cwd`), build every client
    class with no arguments and touch every resource attribute; return what was touched."""
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_SCRIPT, str(out), package],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def package_name(out: Path) -> str:
    inits = [p.parent.name for p in out.glob("*/__init__.py")]
    assert len(inits) == 1, inits
    return inits[0]


BOUNDED = textwrap.dedent(
    """
    import json, os, resource, sys
    from sdkforge.cli import main
    # A cap on address space (MB) turns a runaway expansion into a quick failure.
    cap = int(os.environ.get("SDKFORGE_TEST_AS_MB", "0")) << 20
    if cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        main(sys.argv[1:])
        code = 0
    except SystemExit as exc:
        code = exc.code
    # ru_maxrss survives exec on Linux (it would report the forking pytest's peak);
    # VmHWM is this process's own peak. Fall back to getrusage elsewhere.
    try:
        status = open("/proc/self/status").read()
        rss_kb = int(status.split("VmHWM:")[1].split()[0])
    except (OSError, IndexError):
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The model and formatter worker processes (joined by now) count too.
    rss_kb = max(rss_kb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"code": code, "rss_mb": rss_kb / 1024}), file=sys.stderr)
    """
)


def bounded_run(
    spec: Path, out: Path, timeout: float = 600, *, address_space_mb: int = 0
) -> tuple[int, float, str]:
    """Run the CLI in a fresh interpreter; (exit code, peak RSS in MB, stderr).

    `address_space_mb` caps each process's address space (workers inherit it), so a run
    that would grow without bound fails early instead of filling the machine.

    Bounds are memory and outcome, never time (a clock would let a slow CI machine fail a
    good change); `timeout` only stops a run that hangs. Speed is bench/perf.py's job."""
    env = {
        **os.environ,
        "SDKFORGE_TEST_AS_MB": str(address_space_mb),
    }
    args = ["generate", "--spec", str(spec), "--output", str(out), "--formatter", "none"]
    proc = subprocess.run(
        [sys.executable, "-c", BOUNDED, *args, "--no-cache"],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    stats = json.loads(proc.stderr.strip().splitlines()[-1])
    return stats["code"], stats["rss_mb"], proc.stderr
