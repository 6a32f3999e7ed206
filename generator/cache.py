"""The on-disk cache shared by the stages that skip work they have done before.

Formatted files, generated model modules and run fingerprints live under
`$XDG_CACHE_HOME/sdkforge` (default `~/.cache/sdkforge`) and outlive runs. Entries are
written atomically and a cache that cannot be written never fails generation: it only
makes the next run slower.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """`$XDG_CACHE_HOME/sdkforge`, default `~/.cache/sdkforge`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sdkforge"


def store_text(path: Path, text: str) -> None:
    """Write a cache entry through a temporary file and a rename; ignore failures."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
