"""Incremental builds: skip the whole pipeline when nothing that feeds it has changed.

Like `make`, a run records a fingerprint of its inputs (spec bytes, config, options,
generator and tool versions, templates) next to the hashes of the files it produced. A
later run with the same fingerprint and an output directory whose files still have those
hashes is already done: `--check` answers in milliseconds and `generate` writes nothing.
Any difference, or any doubt, falls back to the full pipeline.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from dataclasses import asdict
from pathlib import Path

from sdkforge import __version__
from sdkforge.caches.store import cache_root, code_hash, load_text, store_text, tree_hash
from sdkforge.codegen.render import TEMPLATES
from sdkforge.config import Config
from sdkforge.write import MANIFEST, Plan


def fingerprint(spec: Path, config: Config, options: object) -> str:
    """Everything a run's output can depend on, hashed (other `$ref`'d files are recorded
    with the entry and checked by `up_to_date`)."""
    versions = []
    for dist in ("datamodel-code-generator", "black", "ruff", "jinja2", "pyyaml"):
        try:
            versions.append(importlib.metadata.version(dist))
        except importlib.metadata.PackageNotFoundError:
            versions.append("")
    material = {
        "generator": __version__,
        "generator_code": code_hash(),
        "versions": versions,
        "config": {k: v for k, v in asdict(config).items() if k != "source"},
        "options": repr(options),
        "templates": tree_hash(TEMPLATES),
        "spec": str(spec.resolve()),
        "spec_sha256": _file_hash(spec),
    }
    custom = getattr(options, "templates", None)
    if isinstance(custom, Path):
        material["custom_templates"] = tree_hash(custom)
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _entry(key: str) -> Path:
    return cache_root() / "plans" / key[:2] / f"{key}.json"


def remember(key: str, plan: Plan, inputs: list[Path]) -> None:
    """Record what the run with fingerprint `key` produced from `inputs` (best effort)."""
    data = {
        "manifest": plan.manifest().decode(),
        "inputs": {str(p): _file_hash(p) for p in inputs},
        "files": plan.digests,
    }
    store_text(_entry(key), json.dumps(data))


def up_to_date(key: str, out_dir: Path) -> bool:
    """True when a run with this fingerprint produced exactly what `out_dir` holds now."""
    try:
        data = json.loads(load_text(_entry(key)) or "")
        if any(_file_hash(Path(p)) != digest for p, digest in data["inputs"].items()):
            return False
        if (out_dir / MANIFEST).read_text(encoding="utf-8") != data["manifest"]:
            return False
        for rel, digest in data["files"].items():
            if hashlib.sha256((out_dir / rel).read_bytes()).hexdigest() != digest:
                return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True
