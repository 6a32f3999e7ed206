"""Read a spec the way `sdkforge generate` does, up to the IR, in a long-lived worker.

    <venv python> bench/_readcheck.py        (reads spec paths on stdin, one a line)

The directory mode of corpus.py asks, for ~2,640 specs, "would sdkforge refuse this, and
why?". Generating every client answers it too, but costs seconds per spec; the refusal is
decided by the reading stages alone (load, validate, bundle, build: `pipeline.load_api`),
so a worker that imports sdkforge once and runs only those stages answers in a fraction of
the time. One JSON line per spec on stdout:

    {"spec": PATH, "ok": bool, "seconds": s, "warnings": [[rule, message], ...],
     "errors": [[rule, message, pointer], ...], "crash": "" | "ExcType: message"}

`rule` is the diagnostic's rule id when it has one, else "". The parent (corpus.py) owns
timeouts: it kills a worker that takes too long and starts another. The address space is
capped (`BENCH_READ_MEMORY_MB`, default 4096) so one huge spec cannot take the machine.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any


def _rule(d: Any) -> str:
    return str(getattr(d, "rule", "") or "")


def check(spec: Path) -> dict[str, Any]:
    from sdkforge.config import load_config
    from sdkforge.diagnostics import Severity, SpecError
    from sdkforge.pipeline import load_api

    started = time.perf_counter()
    out: dict[str, Any] = {
        "spec": str(spec),
        "ok": False,
        "warnings": [],
        "errors": [],
        "crash": "",
    }
    try:
        _, diagnostics, _ = load_api(spec, load_config(None))
        out["ok"] = True
    except SpecError as exc:
        diagnostics = exc.diagnostics
    except MemoryError:
        diagnostics = []
        out["crash"] = "MemoryError"
    except Exception as exc:  # the point is to find these
        diagnostics = []
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        out["crash"] = f"{type(exc).__name__}: {exc} ({Path(tb.filename).name}:{tb.lineno})"[:400]
    for d in diagnostics:
        if d.severity is Severity.ERROR:
            out["errors"].append([_rule(d), d.message[:300], d.pointer[:200]])
        else:
            out["warnings"].append([_rule(d), d.message[:200]])
    out["seconds"] = round(time.perf_counter() - started, 3)
    return out


def main() -> int:
    limit = int(os.environ.get("BENCH_READ_MEMORY_MB", "4096")) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.setrecursionlimit(10000)
    for line in sys.stdin:
        path = line.strip()
        if not path:
            continue
        print(json.dumps(check(Path(path))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
