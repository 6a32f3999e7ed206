#!/usr/bin/env python
"""Cleanliness sweep (issue 22): generate a client for every spec and run pyflakes' checks
(`ruff check --select F`) on it, and `mypy --strict` on some, so that an undefined name, a
redefinition or an unused import in generated code shows up as a row, not as a user's
NameError.

    python bench/cleanliness.py [PATH ...] [--every N] [--mypy N|all] [--jobs N]
                                [--timeout S] [--keep DIR] [--json FILE] [--checkout DIR]

Inputs default to `../shared/specs/corpus` and `../shared/specs/edge`; every
`.json`/`.yaml`/`.yml` below a directory is a spec (a directory holding APIs.guru's
`openapi.yaml`/`swagger.yaml` files works the same way). `--every N` keeps every Nth spec
of the sorted list (a sample of a large directory). `--mypy N` type-checks the first N
generated clients (default 5), `--mypy all` every one. `--checkout DIR` measures another
checkout's generator (`git worktree add /tmp/base main`: the numbers before a change).
Columns:

| column | meaning |
| --- | --- |
| `exit` | sdkforge's exit code (`T/O`: timed out); 2 = the spec was refused (not a finding) |
| `F` | `ruff check --select F` findings in the generated package (must be 0) |
| `codes` | those findings by rule (`F821x3`: three undefined names) |
| `mypy` | `mypy --strict` errors (`-`: not run) |
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _checkout import Checkout, add_arguments
from _common import (
    PYTHON,
    SHARED_SPECS,
    find_package,
    find_specs,
    log,
    mypy_errors,
    rmtree,
    run,
    table,
)

DEFAULT_INPUTS = [SHARED_SPECS / "corpus", SHARED_SPECS / "edge"]
RUFF = Path(PYTHON).with_name("ruff")


@dataclass
class Row:
    spec: str
    exit: str = ""
    findings: int | None = None
    codes: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    mypy: int | None = None
    mypy_first: str = ""


def ruff_findings(out: Path, package: str, timeout: float) -> tuple[int | None, Counter[str], list[str]]:
    """pyflakes findings (`F` rules) in `out/package`, by code, with their messages."""
    cmd = [str(RUFF), "check", "--isolated", "--select", "F", "--output-format", "json", package]
    r = run(cmd, timeout=timeout, cwd=out)
    if r.timed_out or r.returncode not in (0, 1):
        return None, Counter(), [r.stderr.strip()[-200:]]
    found = json.loads(r.stdout or "[]")
    codes = Counter(str(f["code"]) for f in found)
    messages = [
        f"{Path(f['filename']).relative_to(out)}:{f['location']['row']}: {f['code']} {f['message']}"
        for f in found
    ]
    return len(found), codes, messages


def sweep_one(spec: Path, root: Path, index: int, args: argparse.Namespace) -> Row:
    row = Row(_short(spec) if args.short else str(spec))
    out = root / f"{index:04d}"
    gen: Checkout = args.gen
    cmd = [gen.python, "-m", gen.module, "generate", "--spec", str(spec), "--output", str(out)]
    cmd += ["--force", "--formatter", "ruff", "-q"]
    r = run(cmd, timeout=args.timeout, cwd=root, env=gen.env())
    row.exit = "T/O" if r.timed_out else str(r.returncode)
    if not r.ok:
        if r.returncode not in (2,):
            row.messages.append(r.stderr.strip()[-300:])
        return row
    pkg = find_package(out, "_client.py")
    if pkg is None:
        row.exit += "?"
        return row
    row.findings, codes, row.messages = ruff_findings(out, pkg, args.timeout)
    row.codes = dict(sorted(codes.items()))
    if args.mypy_all or index < args.mypy_count:
        row.mypy, problem = mypy_errors(out, pkg, timeout=args.timeout)
        if problem:
            row.mypy_first = problem
        elif row.mypy:
            row.mypy_first = _first_mypy_error(out, pkg, args.timeout)
    if not args.keep:
        rmtree(out)
    return row


def _first_mypy_error(out: Path, pkg: str, timeout: float) -> str:
    cmd = [PYTHON, "-m", "mypy", "--strict", "--no-color-output", "--cache-dir"]
    cmd += [str(out / ".mypy_cache"), "-p", pkg]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = run(cmd, timeout=timeout, cwd=out, env={**env, "MYPYPATH": str(out)})
    return next((line for line in r.stdout.splitlines() if ": error:" in line), "")


def _short(spec: Path) -> str:
    parts = spec.parts
    for anchor in ("APIs", "corpus", "edge"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1 :])
    return spec.name


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--every", type=int, default=1, help="keep every Nth spec (sorted by path)")
    p.add_argument("--mypy", default="5", help="type-check the first N clients, or 'all'")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--keep", type=Path, help="keep the generated clients under this directory")
    p.add_argument("--json", type=Path, help="also write the rows as JSON")
    p.add_argument("--full-paths", dest="short", action="store_false")
    add_arguments(p)
    args = p.parse_args()
    args.gen = Checkout.at(args.checkout, args.python)
    args.gen.env()  # a checkout without a venv is installed once, before any worker runs
    args.mypy_all = args.mypy == "all"
    args.mypy_count = 0 if args.mypy_all else int(args.mypy)
    specs = find_specs([p.resolve() for p in args.paths] or DEFAULT_INPUTS)
    specs = [s for s in specs if s.name not in ("package.json",)][:: max(args.every, 1)]
    if not specs:
        log("no specs found")
        return 2
    root = args.keep or Path(tempfile.mkdtemp(prefix="sdkforge-clean-"))
    root.mkdir(parents=True, exist_ok=True)
    log(f"{len(specs)} specs, clients under {root}, generator {args.gen.describe()}")
    with ThreadPoolExecutor(max(args.jobs, 1)) as pool:
        rows = list(pool.map(lambda ix: sweep_one(ix[1], root, ix[0], args), enumerate(specs)))
    if not args.keep:
        rmtree(root)
    headers = ["spec", "exit", "F", "codes", "mypy"]
    body = [
        [
            r.spec,
            r.exit,
            "-" if r.findings is None else str(r.findings),
            " ".join(f"{c}x{n}" for c, n in r.codes.items()),
            "-" if r.mypy is None else str(r.mypy),
        ]
        for r in rows
    ]
    print(table(headers, body, right={2, 4}))
    generated = [r for r in rows if r.findings is not None]
    total = Counter[str]()
    for r in generated:
        total.update(r.codes)
    checked = [r for r in rows if r.mypy is not None]
    print(
        f"\n{len(rows)} specs, {len(generated)} generated, "
        f"{sum(1 for r in generated if r.findings)} with F findings "
        f"({sum(total.values())}: {' '.join(f'{c}x{n}' for c, n in sorted(total.items())) or 'none'}), "
        f"mypy --strict clean {sum(1 for r in checked if r.mypy == 0)}/{len(checked)}"
    )
    for r in rows:
        for line in [*r.messages[:5], *([r.mypy_first] if r.mypy_first else [])]:
            print(f"  {r.spec}: {line}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
