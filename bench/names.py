#!/usr/bin/env python
"""Name benchmark (issue 15): how many generated method names still spell the request line?

    python bench/names.py [PATH ...] [--checkout PATH] [--jobs N] [--examples N] [--json FILE]

For every spec (default: ../shared/specs/corpus, ../shared/specs/edge and the OpenAI spec),
sdkforge's IR with no config gives each operation's accessor; a method name is "verb+path"
when it is spelled from the operation's HTTP method and path and not from its operationId or
summary (the rule: _verbpath.py and bench/README.md). Also counted: methods per resource
depth (`client.files.list` is depth 1, `client.beta.threads.runs.list` depth 3).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _checkout import Checkout, add_arguments
from _common import SHARED_SPECS, find_specs, log, table
from _verbpath import matches, verb_path

DEFAULT_INPUTS = [SHARED_SPECS / "corpus", SHARED_SPECS / "edge", SHARED_SPECS / "openai.yaml"]
MAX_DEPTH = 4  # the last depth column counts this depth and deeper


def spec_label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(SHARED_SPECS))
    except ValueError:
        return str(path)


def measure(dump: dict[str, Any]) -> dict[str, Any]:
    """Counts for one spec's IR dump."""
    ops = dump["operations"]
    flagged: list[dict[str, str]] = []
    by_spec = 0
    depth: Counter[int] = Counter()
    for op in ops:
        depth[min(len(op["resources"]), MAX_DEPTH)] += 1
        name = op["name"]
        accessor = ".".join([*op["resources"], name])
        found = verb_path(name, op["path"], op["operation_id"], op["summary"])
        if found:
            flagged.append(
                {"accessor": accessor, "request": f"{op['method']} {op['path']}", "pattern": found}
            )
        elif matches(name, op["path"]):
            by_spec += 1
    return {
        "methods": len(ops),
        "verb_path": len(flagged),
        "V": sum(1 for f in flagged if f["pattern"] == "V"),
        "P": sum(1 for f in flagged if f["pattern"] == "P"),
        "spec_named": by_spec,
        "depth": {str(d): depth[d] for d in range(MAX_DEPTH + 1)},
        "flagged": flagged,
    }


def one(checkout: Checkout, spec: Path, timeout: float) -> dict[str, Any]:
    dump = checkout.dump_ir(spec, None, timeout=timeout)
    row: dict[str, Any] = {"spec": spec_label(spec)}
    if not dump.get("ok"):
        row["error"] = dump.get("error", "?")
        return row
    row.update(measure(dump))
    return row


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}" if whole else "-"


def depth_cells(depth: dict[str, int]) -> list[str]:
    return [str(depth.get(str(d), 0)) for d in range(MAX_DEPTH + 1)]


def render(rows: list[dict[str, Any]], examples: int) -> str:
    ok = [r for r in rows if "error" not in r]
    heads = [
        "spec",
        "methods",
        "verb+path",
        "%",
        "V",
        "P",
        "spec-named",
        *[f"d{d}" for d in range(MAX_DEPTH)],
        f"d{MAX_DEPTH}+",
        "example",
    ]
    body = []
    for r in rows:
        if "error" in r:
            body.append(
                [
                    r["spec"],
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                    *["-"] * (MAX_DEPTH + 1),
                    f"error: {r['error'][:80]}",
                ]
            )
            continue
        first = r["flagged"][0] if r["flagged"] else None
        body.append(
            [
                r["spec"],
                str(r["methods"]),
                str(r["verb_path"]),
                pct(r["verb_path"], r["methods"]),
                str(r["V"]),
                str(r["P"]),
                str(r["spec_named"]),
                *depth_cells(r["depth"]),
                f"{first['accessor']} ({first['request']})" if first else "",
            ]
        )
    total_depth = {str(d): sum(r["depth"][str(d)] for r in ok) for d in range(MAX_DEPTH + 1)}
    methods = sum(r["methods"] for r in ok)
    flagged = sum(r["verb_path"] for r in ok)
    body.append(
        [
            f"TOTAL ({len(ok)} specs)",
            str(methods),
            str(flagged),
            pct(flagged, methods),
            str(sum(r["V"] for r in ok)),
            str(sum(r["P"] for r in ok)),
            str(sum(r["spec_named"] for r in ok)),
            *depth_cells(total_depth),
            "",
        ]
    )
    right = set(range(1, 7 + MAX_DEPTH + 1))
    out = [table(heads, body, right)]
    with_flags = sum(1 for r in ok if r["verb_path"])
    out.append(
        f"\nverb+path names: {flagged} of {methods} methods ({pct(flagged, methods)} %), "
        f"in {with_flags} of {len(ok)} specs; {len(rows) - len(ok)} specs failed to build"
    )
    if examples:
        out.append("")
        for r in ok:
            for f in r["flagged"][:examples]:
                out.append(f"  {r['spec']}: {f['accessor']}  <- {f['request']}  [{f['pattern']}]")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("paths", nargs="*", type=Path, help="spec files or directories")
    add_arguments(ap)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=600, help="seconds per spec")
    ap.add_argument("--examples", type=int, default=3, help="verb+path names listed per spec")
    ap.add_argument("--json", type=Path, help="write every row (with every flagged name)")
    args = ap.parse_args()

    checkout = Checkout.at(args.checkout, args.python)
    specs = find_specs(args.paths or DEFAULT_INPUTS)
    log(f"{len(specs)} specs, {args.jobs} jobs ...")
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        rows = list(pool.map(lambda s: one(checkout, s, args.timeout), specs))
    print(f"checkout: {checkout.describe()}")
    print(render(rows, args.examples))
    if args.json:
        args.json.write_text(json.dumps({"checkout": str(checkout.root), "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
