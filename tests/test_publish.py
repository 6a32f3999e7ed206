"""Generated projects publish cleanly: they build (sdist, then the wheel from the sdist, as
`python -m build` does) with the oldest setuptools their pyproject admits, and their core
metadata passes what an index checks (`twine check`'s equivalent: packaging's validating
parser, Metadata 2.4 with a PEP 639 License-Expression, and a README that renders).

What the metadata takes from the spec (license, URLs) is untrusted text: a hostile spec
must leave a valid pyproject.toml and valid metadata, the hostile values left out.

The build venv (`build` and setuptools at the declared floor) is made once per key under
`.venv/publish-<key>` from PyPI (`venv_util.pinned_venv`).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from markdown_it import MarkdownIt
from packaging.metadata import Metadata
from packaging.requirements import Requirement
from venv_util import pinned_venv

from sdkforge.apimodel.publishing import is_web_url, spdx
from sdkforge.codegen.project import BUILD_REQUIRES, DEPENDENCIES, PYTHONS
from sdkforge.config import Config, load_config, parse_config
from sdkforge.diagnostics import Severity, SpecError
from sdkforge.pipeline import Options, generate
from sdkforge.write import write

FRONTEND = "build==1.2.2.post1"
"""The PyPA build frontend, pinned (test-only, in its own venv)."""
GOLDEN = ROOT / "tests" / "golden"


def _setuptools_floor() -> str:
    (requirement,) = (Requirement(r) for r in BUILD_REQUIRES if r.startswith("setuptools"))
    (floor,) = (s.version for s in requirement.specifier if s.operator == ">=")
    return f"setuptools=={floor}.*"  # the oldest release series the generated pyproject admits


@pytest.fixture(scope="module")
def builder() -> Path:
    """The Python of a venv holding the build frontend and the setuptools floor."""
    return pinned_venv("publish", [FRONTEND, _setuptools_floor()])


def _build(python: Path, project: Path, tmp: Path) -> tuple[Path, Path]:
    """`python -m build` (sdist, then the wheel from the unpacked sdist) on a copy of
    `project`, without isolation: the venv's setuptools is the one that builds."""
    src = tmp / "src"
    shutil.copytree(project, src, ignore=shutil.ignore_patterns("__pycache__", "tests"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run(
        [str(python), "-m", "build", "--no-isolation", "--outdir", str(tmp / "dist"), str(src)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (wheel,) = (tmp / "dist").glob("*.whl")
    (sdist,) = (tmp / "dist").glob("*.tar.gz")
    return wheel, sdist


def _metadata(text: str) -> Metadata:
    """Core metadata parsed and validated as an index would (raises on any invalid field)."""
    return Metadata.from_email(text, validate=True)


def _check_distributions(project: Path, wheel: Path, sdist: Path) -> Metadata:
    """What every generated project's distributions must hold; returns the wheel's metadata."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = _metadata(whl.read(meta_name).decode("utf-8"))
    (package,) = {n.split("/")[0] for n in names if n.endswith("/_client.py")}
    assert {f"{package}/py.typed", f"{package}/models/__init__.py"} <= set(names)
    assert f"{package}/resources/__init__.py" in names
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
        top = tar.getmembers()[0].name.split("/")[0]
        pkg_info = tar.extractfile(f"{top}/PKG-INFO")
        assert pkg_info is not None
        sdist_meta = _metadata(pkg_info.read().decode("utf-8"))
    assert {"README.md", "api.md", "pyproject.toml", "PKG-INFO"} <= members
    assert sdist_meta.name == meta.name and sdist_meta.version == meta.version

    assert meta.name == pyproject["name"] and str(meta.version) == pyproject["version"]
    assert meta.metadata_version == "2.4"
    assert str(meta.requires_python) == ">=" + "{}.{}".format(*PYTHONS[0])
    assert sorted(map(str, meta.requires_dist or [])) == sorted(
        str(Requirement(r)) for _, r in DEPENDENCIES
    )
    assert meta.license_expression == pyproject.get("license")
    assert (meta.project_urls or {}) == pyproject.get("urls", {})
    classifiers = set(meta.classifiers or [])
    assert "Typing :: Typed" in classifiers
    assert {f"Programming Language :: Python :: {a}.{b}" for a, b in PYTHONS} <= classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: the expression
    # The long description is the README, as markdown, and renders.
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert meta.description_content_type == "text/markdown"
    assert meta.description == readme
    html = MarkdownIt("commonmark").render(meta.description or "")
    assert "<h1>" in html and 'href="api.md"' in html
    return meta


def test_output_builds_and_its_metadata_is_valid(builder: Path, tmp_path: Path) -> None:
    """`output/` (OpenAI's videos client): license, contact and terms from the spec."""
    project = ROOT / "output"
    meta = _check_distributions(project, *_build(builder, project, tmp_path))
    assert meta.license_expression == "MIT"
    assert meta.project_urls == {
        "Contact": "https://help.openai.com/",
        "Terms of Service": "https://openai.com/policies/terms-of-use",
    }


def test_golden_builds_with_a_license_named_not_identified(builder: Path, tmp_path: Path) -> None:
    """The paging golden's spec (`license: {name: Apache 2.0 License}`, externalDocs),
    generated afresh: the golden files leave out the runtime copied from templates."""
    case = GOLDEN / "paging"
    config = load_config(case / "sdkforge.yaml")
    project = tmp_path / "project"
    write(generate(case / "spec.yaml", config, Options(formatter="none")).plan, project)
    meta = _check_distributions(project, *_build(builder, project, tmp_path))
    assert meta.license_expression == "Apache-2.0"
    assert meta.project_urls == {
        "Contact": "https://example.com/support",
        "Documentation": "https://docs.example.com/paging",
    }


HOSTILE_INFO = {
    "title": 'Evil """ API"\n[tool.evil]\nx = 1\r\n\x7f\u2028',
    "version": '1.0"\nname = "pwned',
    "description": '"""\n[build-system]\nrequires = ["evil"]',
    "license": {"name": 'MIT"\nlicense = "GPL-3.0', "url": "javascript:alert(1)"},
    "contact": {"url": 'https://example.com/"\n[project.scripts]\nevil = "os:system"'},
    "termsOfService": "https://example.com/tos?a=1&b=[2]#x",
}


def _hostile_spec(tmp_path: Path, **info: object) -> Path:
    doc = {
        "openapi": "3.1.0",
        "info": {**HOSTILE_INFO, **info},
        "externalDocs": {"url": "file:///etc/passwd"},
        "paths": {"/things": {"get": {"operationId": "listThings", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"type": "array", "items": {
                "type": "object", "properties": {"id": {"type": "string"}}}}}},
        }}}}},
    }  # fmt: skip
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return spec


def test_hostile_metadata_stays_quoted_and_is_left_out(builder: Path, tmp_path: Path) -> None:
    spec = _hostile_spec(tmp_path)
    generated = generate(spec, Config(), Options(formatter="none"))
    project = tmp_path / "project"
    write(generated.plan, project)
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    parsed = tomllib.loads(text)  # valid TOML, and nothing injected into it
    assert set(parsed) == {"build-system", "project", "tool"}
    assert set(parsed["tool"]) == {"setuptools"}
    assert parsed["build-system"]["requires"] == list(BUILD_REQUIRES)
    meta = parsed["project"]
    assert "license" not in meta and "scripts" not in meta
    assert meta["urls"] == {"Terms of Service": HOSTILE_INFO["termsOfService"]}
    assert meta["version"] == "0.1.0"
    assert "\n" not in meta["description"] and "[tool.evil]" in meta["description"]
    warned = {d.pointer for d in generated.diagnostics if d.severity == Severity.WARNING}
    assert {"/info/license", "/info/contact/url", "/externalDocs/url"} <= warned
    built = _check_distributions(project, *_build(builder, project, tmp_path))
    assert built.license_expression is None
    assert built.summary == meta["description"]


def test_a_license_identifier_wins_over_a_hostile_name(tmp_path: Path) -> None:
    """3.1's `identifier` is the SPDX one; the config's license wins over both."""
    spec = _hostile_spec(tmp_path, license={"name": "x\ny", "identifier": "mit OR apache-2.0"})
    generated = generate(spec, Config(), Options(formatter="none"))
    assert generated.api.license == "MIT OR Apache-2.0"
    configured = generate(spec, Config(license="BSD-3-Clause"), Options(formatter="none"))
    assert configured.api.license == "BSD-3-Clause"
    assert "/info/license" not in {d.pointer for d in configured.diagnostics}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("MIT", "MIT"),
        ("The MIT License (MIT)", "MIT"),
        ("Apache 2.0", "Apache-2.0"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("Apache v2 License", "Apache-2.0"),
        ("Creative Commons Attribution 3.0", "CC-BY-3.0"),
        ("CC BY-NC 4.0", "CC-BY-NC-4.0"),
        ("GNU Affero General Public License v3.0 or later", "AGPL-3.0-or-later"),
        ("apache-2.0 or mit", "Apache-2.0 OR MIT"),
        ("LicenseRef-Acme-Proprietary", "LicenseRef-Acme-Proprietary"),
        ("eBay API License Agreement", ""),
        ("BSD", ""),  # which BSD?
        ("Commercial", ""),
        ('MIT"\nx', ""),
        ("", ""),
    ],
)
def test_license_names_map_to_spdx_only_when_unambiguous(name: str, expected: str) -> None:
    assert spdx(name) == expected


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com", True),
        ("http://example.com/a?b=1&c=[2]#f", True),
        ("https://example.com:8080/x", True),
        ("ftp://example.com", False),
        ("javascript:alert(1)", False),
        ("https://", False),
        ("https://example.com:99999999/", False),
        ('https://example.com/"', False),
        ("https://example.com/a b", False),
        ("https://example.com/\n", False),
        ("https://exämple.com", False),
        ("//example.com", False),
    ],
)
def test_only_plain_web_urls_are_kept(url: str, ok: bool) -> None:
    assert is_web_url(url) is ok


def test_the_config_license_must_be_spdx() -> None:
    assert parse_config({"license": "Apache 2.0"}, "sdkforge.yaml").license == "Apache-2.0"
    with pytest.raises(SpecError) as raised:
        parse_config({"license": "Proprietary stuff"}, "sdkforge.yaml", "license: x\n")
    (problem,) = raised.value.diagnostics
    assert (problem.pointer, problem.line) == ("/license", 1)
    assert "SPDX" in problem.message


def _imports(folder: Path) -> set[str]:
    """Top-level modules imported anywhere in the Python files under `folder`."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_every_imported_package_is_declared_and_every_declared_one_imported() -> None:
    """Across every golden client and output/: what the code imports beyond the stdlib
    is exactly what the generated pyproject declares."""
    projects = [ROOT / "output", *sorted(GOLDEN.glob("*/expected"))]
    imported: set[str] = set()
    for project in projects:
        own = {p.name for p in project.iterdir() if (p / "__init__.py").is_file()}
        imported |= _imports(project) - own - {"tests"}
        declared = tomllib.loads((project / "pyproject.toml").read_text())["project"]
        names = {re.split(r"[<>=!~ ,;\[]", d)[0] for d in declared["dependencies"]}
        assert names == {Requirement(r).name for _, r in DEPENDENCIES}, project
    third_party = imported - set(sys.stdlib_module_names) - {"pytest"}  # pytest: tests/ only
    assert third_party == {module for module, _ in DEPENDENCIES}
