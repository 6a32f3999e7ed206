"""The generated project's `pyproject.toml` as data: what it needs to build, install and
publish cleanly (`templates/python/pyproject.toml.jinja` only lays it out).

The Pythons a client supports, the packages its code imports and the build backend are
decided here, once: the classifiers follow the versions, the dependencies are every
third-party package the runtime and the models import (a test checks the generated code
against this list), and the license is a PEP 639 expression, which needs setuptools 77
and rules out license classifiers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdkforge.apimodel.ir import Api

PYTHONS = ((3, 10), (3, 11), (3, 12), (3, 13))
"""Every Python a generated client supports (tests/test_runtime_pythons.py runs its runtime
tests under each)."""
DEPENDENCIES = (
    # (import name, requirement): what the generated code imports beyond the stdlib.
    ("httpx", "httpx>=0.23.0, <1"),
    ("pydantic", "pydantic>=2.0, <3"),
    # Models import TypeAliasType (4.6.0), params TypedDict and Required; 4.6.1 is what
    # pydantic 2.0 itself requires.
    ("typing_extensions", "typing-extensions>=4.6.1"),
)
BUILD_REQUIRES = ("setuptools>=77",)
"""setuptools 77 is the first to read a PEP 639 `license` expression."""


@dataclass(frozen=True)
class ProjectView:
    """What the pyproject template lays out; every string is spec text or derived from it
    and goes through `toml_str`."""

    description: str
    oldest_python: str
    requires_python: str
    dependencies: tuple[str, ...]
    build_requires: tuple[str, ...]
    license: str
    classifiers: tuple[str, ...]
    urls: tuple[tuple[str, str], ...]
    packages: tuple[str, ...]
    extra_files: tuple[str, ...]
    """Files beside the package that the sdist carries (MANIFEST.in): the README links them."""


def project_view(api: Api) -> ProjectView:
    """The generated `pyproject.toml` of `api`."""
    versions = [f"{major}.{minor}" for major, minor in PYTHONS]
    classifiers = (
        "Intended Audience :: Developers",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        *(f"Programming Language :: Python :: {v}" for v in versions),
        "Typing :: Typed",
    )
    return ProjectView(
        # One line: core metadata's Summary is a header (a title may hold line breaks).
        description=" ".join(f"Python client for the {api.title}".split()),
        oldest_python=versions[0],
        requires_python=f">={versions[0]}",
        dependencies=tuple(requirement for _, requirement in DEPENDENCIES),
        build_requires=BUILD_REQUIRES,
        license=api.license,
        classifiers=classifiers,
        urls=api.project_urls,
        packages=(
            api.package,
            f"{api.package}.models",
            f"{api.package}.params",
            f"{api.package}.resources",
        ),
        extra_files=("api.md",),
    )
