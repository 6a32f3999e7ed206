"""The built-in templates: where the installed tool keeps them, and proof that all are there.

The templates are package data (`sdkforge.templates`, from the repository's `templates/`),
found through importlib.resources, so a wheel, an editable install and pipx all read the
same tree. A missing template would not fail rendering: the renderer lays out whatever
files the tree holds, and a tree without `_client.py.jinja` silently makes a client
without a client. So the tool names every file it ships (`SHIPPED`, held equal to the
repository's tree by a test) and `check()` refuses to start, as an internal error before
anything is written, when one of them is missing or unreadable.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

SHIPPED = (
    "python/MANIFEST.in.jinja",
    "python/README.md.jinja",
    "python/api.md.jinja",
    "python/pyproject.toml.jinja",
    "python/tests/conftest.py.jinja",
    "python/tests/test_smoke.py.jinja",
    "python/{{package}}/__init__.py.jinja",
    "python/{{package}}/_auth.py",
    "python/{{package}}/_base_client.py",
    "python/{{package}}/_body.py",
    "python/{{package}}/_client.py.jinja",
    "python/{{package}}/_exceptions.py",
    "python/{{package}}/_files.py",
    "python/{{package}}/_logs.py",
    "python/{{package}}/_models.py",
    "python/{{package}}/_pagination.py",
    "python/{{package}}/_paging.py",
    "python/{{package}}/_qs.py",
    "python/{{package}}/_request_options.py",
    "python/{{package}}/_response.py",
    "python/{{package}}/_streaming.py",
    "python/{{package}}/_types.py",
    "python/{{package}}/_utils.py",
    "python/{{package}}/_version.py.jinja",
    "python/{{package}}/_webhooks.py",
    "python/{{package}}/py.typed",
    "python/{{package}}/resources/__init__.py.jinja",
    "python/{{package}}/resources/resource.py.jinja",
    "python/{{package}}/webhooks.py.jinja",
)
"""Every built-in template and verbatim runtime file, relative to the templates root."""


class TemplatesMissing(RuntimeError):
    """The installed tool lacks some of its own templates: a broken install, not a user error."""


def root() -> Path:
    """The built-in templates' folder on disk (the package `sdkforge.templates`).

    Never raises, so importing the tool works on a broken install: `check` reports it.
    Without the package (the source folder imported under its name through a link, as
    tests do for interpreters that have no install of it), the checkout's `templates/`.
    """
    try:
        found = importlib.resources.files("sdkforge.templates")
    except ModuleNotFoundError:
        here = Path(__file__).resolve().parents[1]  # sdkforge/ (or the source's generator/)
        checkout = here.parent / "templates"
        return checkout if (checkout / "__init__.py").is_file() else here / "templates"
    return found if isinstance(found, Path) else Path(str(found))


def check(base: Path) -> None:
    """Raise `TemplatesMissing` naming every shipped template that is absent or unreadable."""
    bad: list[str] = []
    for rel in SHIPPED:
        try:
            (base / rel).read_bytes()
        except OSError as exc:
            bad.append(f"{rel} ({exc.strerror or type(exc).__name__})")
    if bad:
        raise TemplatesMissing(
            f"sdkforge's installation is incomplete: {len(bad)} built-in template(s) "
            f"missing or unreadable under {base}: " + ", ".join(bad) + "; reinstall sdkforge"
        )
