"""Print, as JSON, the client surface sdkforge builds for one spec: run INSIDE the checkout.

    <checkout python> bench/_irdump.py SPEC [CONFIG]

The bench scripts that compare names (accessors.py, names.py) need, for every operation,
its HTTP method, path, operationId, summary and the accessor the generated client gives it
(`client.<resource>...<method>`). They read it from the IR, the object every renderer of
the client is made from (`sdkforge.pipeline.load_api` + `Api.all_operations()`), not by
running `sdkforge init`: init takes no `--config` (the config is half of what is measured)
and its file is meant to change shape, whereas the IR's resource and method names are the
decided attribute names of the client. Only those few, long-standing entry points are used,
each through `getattr` with a fallback, so later versions of the generator work unchanged.

Output: {"ok": true, "generator" (the package imported), "client_name", "package", "warnings", "operations": [{"method", "path",
"operation_id", "summary", "resources": [...], "name"}]} or {"ok": false, "error": "..."}.
This file imports only the generator and the standard library; it never writes a file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _walk(api: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """(resource trail, operation) for every operation, in client order."""
    walker = getattr(api, "all_operations", None)
    if callable(walker):
        return list(walker())
    out: list[tuple[tuple[Any, ...], Any]] = []

    def visit(res: Any, trail: tuple[Any, ...]) -> None:
        here = (*trail, res)
        out.extend((here, op) for op in getattr(res, "operations", ()))
        for child in getattr(res, "children", ()):
            visit(child, here)

    for res in getattr(api, "resources", ()):
        visit(res, ())
    out.extend(((), op) for op in getattr(api, "operations", ()))  # methods on the client itself
    return out


def dump(spec: Path, config_path: Path | None) -> dict[str, Any]:
    import importlib

    try:  # the import package's name since issue 22; `generator` before it
        top = importlib.import_module("sdkforge")
    except ModuleNotFoundError:
        top = importlib.import_module("generator")
    load_config = importlib.import_module(top.__name__ + ".config").load_config
    load_api = importlib.import_module(top.__name__ + ".pipeline").load_api

    config = load_config(config_path)
    built = load_api(spec, config)
    api = built[0] if isinstance(built, tuple) else built
    diagnostics = built[1] if isinstance(built, tuple) and len(built) > 1 else []
    operations = [
        {
            "method": str(op.http_method).upper(),
            "path": str(op.path),
            "operation_id": str(getattr(op, "operation_id", "") or ""),
            "summary": str(getattr(op, "summary", "") or ""),
            "resources": [str(r.name) for r in trail],
            "name": str(op.name),
            "paging": str(getattr(getattr(op, "pagination", None), "scheme", "") or ""),
            "returns_list": _returns_list(op),
        }
        for trail, op in _walk(api)
    ]
    return {
        "ok": True,
        "generator": str(Path(top.__file__).resolve().parent),
        "client_name": str(getattr(api, "client_name", "Client") or "Client"),
        "package": str(getattr(api, "package", "")),
        "warnings": len(diagnostics),
        "operations": operations,
        "credentials": [
            {"scheme": str(s.name), "args": list(s.args), "envs": list(s.envs)}
            for s in getattr(api, "security_schemes", ())
        ],
    }


def _returns_list(op: Any) -> bool:
    """Whether the method's success answer is an array (any collection GET that is not paged
    but answers a bare list counts as a list for the names bench)."""
    response = getattr(op, "response", None)
    kind = getattr(getattr(response, "type", None), "kind", "")
    return str(kind) == "list"


def _one(spec: Path, config: Path | None) -> dict[str, Any]:
    try:
        return dump(spec, config)
    except RecursionError:
        return {"ok": False, "error": "RecursionError"}
    except Exception as exc:  # a broken spec is a row of the table, never a crash of the bench
        text = " ".join(str(exc).split())[:500]
        return {"ok": False, "error": f"{type(exc).__name__}: {text}"}


def many() -> None:
    """`--many LIST`: spec paths in the file LIST, one JSON line per spec on stdout (one
    interpreter for a whole directory: the names bench reads ~2,600 specs). A spec that takes longer than
    SDKFORGE_IRDUMP_TIMEOUT seconds (default 120) is an error row."""
    import os
    import signal

    limit = int(os.environ.get("SDKFORGE_IRDUMP_TIMEOUT", "120"))

    def expire(*_: object) -> None:
        raise TimeoutError(f"timed out after {limit} s")

    signal.signal(signal.SIGALRM, expire)
    for line in Path(sys.argv[2]).read_text(encoding="utf-8").splitlines():
        spec = line.strip()
        if not spec:
            continue
        signal.alarm(limit)
        try:
            result = _one(Path(spec), None)
        except TimeoutError as exc:
            result = {"ok": False, "error": str(exc)}
        finally:
            signal.alarm(0)
        result.pop("generator", None)
        sys.stdout.write(json.dumps({"spec": spec, **result}) + "\n")
        sys.stdout.flush()


def main() -> None:
    if sys.argv[1:2] == ["--many"]:
        many()
        return
    spec = Path(sys.argv[1])
    config = Path(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] else None
    try:
        result = dump(spec, config)
    except RecursionError:
        result = {"ok": False, "error": "RecursionError"}
    except Exception as exc:  # a broken spec is a row of the table, never a crash of the bench
        text = " ".join(str(exc).split())[:500]
        result = {"ok": False, "error": f"{type(exc).__name__}: {text}"}
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
