"""Rendered text reused across runs, keyed by exactly the value a template part was given.

After a one-schema change most of a big API's method docs and resource modules are what
the last run rendered (GitHub: 1,223 method sections of `api.md` and 47 resource modules,
half a second of Jinja). A template part whose text depends on one value only (a method's
doc view, a resource's view) is looked up by a hash of that value's pickle plus everything
else its text can depend on: the generator's code, the templates and Jinja's version. Equal
pickles mean equal values, so a hit is the text rendering would give; a pickle that differs
for an equal value (shared objects pickled once) only costs a miss.

Only sdkforge's own templates are memoised, and a test holds each memoised part to reading
nothing but its value: what an overriding template reads besides it is unknown.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

from sdkforge import __version__
from sdkforge.caches.store import cache_root, code_hash, load_text, store_later, tree_hash


class RenderMemo:
    """Text by (part, value) for one run; `enabled=False` renders every time."""

    def __init__(self, templates: Path, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._folder = cache_root() / "renders"
        self._salt = b""
        if enabled:
            self._salt = "\0".join(
                [
                    __version__,
                    code_hash(),
                    tree_hash(templates),
                    importlib.metadata.version("jinja2"),
                    sys.version,  # `fit` lays code out from the running Python's `ast`
                ]
            ).encode()

    def text(self, part: str, value: object, render: Callable[[], str]) -> str:
        """The text `render()` gives for `value` in template part `part`."""
        if not self.enabled:
            return render()
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # not picklable: nothing to key it by
            return render()
        digest = hashlib.sha256(self._salt)
        digest.update(b"\0" + part.encode() + b"\0")
        digest.update(blob)
        key = digest.hexdigest()
        path = self._folder / key[:2] / f"{key}.txt"
        cached = load_text(path)
        if cached is not None:
            return cached
        text = render()
        store_later(path, text)
        return text

    def macro(self, template: str) -> Callable[[Callable[[object], str], object], str]:
        """`memo(macro, value)` for a template: the macro's text for `value`."""

        def call(macro: Callable[[object], str], value: object) -> str:
            name = str(getattr(macro, "name", ""))
            return self.text(f"{template}:{name}", value, lambda: str(macro(value)))

        return call
