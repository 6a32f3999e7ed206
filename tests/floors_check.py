"""Load a generated client completely; run by the floor-versions venv (`test_min_versions.py`).

`python floors_check.py ROOT PACKAGE [ROOT PACKAGE ...]` imports every module of each
package (resources and runtime too) and builds a pydantic `TypeAdapter` for every name in
`PACKAGE.models.__all__`: a model class is built at import, but an alias's schema only when
something uses it, and that is where pydantic before 2.10 failed on aliases of models.
Prints one JSON object: per package, the models checked and the failures (name: error).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys


def check(root: str, package: str) -> dict[str, object]:
    """Import all of `package` (found under `root`) and build every model's schema."""
    import pydantic

    sys.path.insert(0, root)
    failures: dict[str, str] = {}
    top = importlib.import_module(package)
    for info in pkgutil.walk_packages(top.__path__, package + "."):
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # report every module, not just the first broken one
            failures[info.name] = f"{type(exc).__name__}: {str(exc)[:500]}"
    names: list[str] = []
    models = sys.modules.get(package + ".models")
    if models is not None:
        names = list(getattr(models, "__all__", []))
        for name in names:
            try:
                pydantic.TypeAdapter(getattr(models, name))
            except Exception as exc:
                failures[name] = f"{type(exc).__name__}: {str(exc)[:500]}"
    sys.path.remove(root)
    return {"models": len(names), "failures": failures}


def main(argv: list[str]) -> None:
    pairs = list(zip(argv[::2], argv[1::2], strict=True))
    print(json.dumps({package: check(root, package) for root, package in pairs}))


if __name__ == "__main__":
    main(sys.argv[1:])
