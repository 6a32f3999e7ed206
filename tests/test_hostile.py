"""Issue 7: hostile and broken specs. Clear errors, safe code, bounded resources, nothing lost.

Every spec here is written by the test. Generated code is compiled, imported in a fresh
interpreter (cwd in a tmp dir) and exercised; payloads must only ever land in strings,
docstrings or comments, and nothing may be written outside the output directory.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hostile_util import (
    assert_no_traceback,
    assert_payload_only_in_strings,
    compile_all,
    generate,
    import_and_touch,
    package_name,
    python_files,
    run_cli,
    write_spec,
)

from generator.models import clean_text

PAYLOADS = [
    "\"; import os; os.system('touch PWNED') #",
    "'; __import__('os').system('touch PWNED') #",
    '"""\nimport os\nos.system("touch PWNED")\n"""',
    "'''\n__import__('os').system('touch PWNED')\n'''",
    "trailing backslash \\",
    'quote then backslash "\\',
    "nul \x00 byte",
    "line\u2028sep\u2029para",
    "cr\rimport os\r\n__import__('os').system('touch PWNED')",
    "\nimport os\nos.system('touch PWNED')",
    "{{ 1337*1337 }} {% raw %} {{ config }}",
    "${x} $(touch PWNED) `touch PWNED`",
    "*/ /* -- <!-- # not a comment",
    "\\\\\\",
    '"',
    "\\",
    "x\\N{BULLET}\\u0041\\x41",
]


def _p(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def hostile_spec() -> dict[str, Any]:
    """One document with a payload in every place spec text can reach the output."""
    props = {p: {"type": "string", "description": p, "default": p, "example": p} for p in PAYLOADS}
    props["plain"] = {"type": "string", "enum": PAYLOADS, "default": _p(0)}
    props["num"] = {"type": "integer", "default": 3, "description": _p(2)}
    paths: dict[str, Any] = {}
    for i, payload in enumerate(PAYLOADS):
        paths[f"/items{i}/{{id}}"] = {
            "get": {
                "operationId": payload,
                "tags": [payload],
                "summary": _p(i + 1),
                "description": _p(i + 2),
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {
                        "name": payload,
                        "in": "query",
                        "description": _p(i + 3),
                        "schema": {"type": "string", "enum": [payload, _p(i + 4)], "default": payload},
                        "example": payload,
                    },
                    {
                        "name": _p(i + 5),
                        "in": "header",
                        "description": payload,
                        "schema": {"type": "string", "default": payload},
                    },
                ],
                "responses": {
                    "200": {
                        "description": payload,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Thing"},
                                "example": {payload: payload},
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": payload + " create",
                "description": payload,
                "requestBody": {
                    "required": True,
                    "description": payload,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    },
                },
                "responses": {"204": {"description": payload}},
            },
        }
    schemes: dict[str, Any] = {
        _p(0): {"type": "apiKey", "in": "header", "name": _p(1), "description": _p(2)},
        _p(3): {"type": "http", "scheme": "bearer", "description": _p(4)},
        _p(9): {"type": "http", "scheme": "basic", "description": _p(5)},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hostile " + _p(0),
            "version": "1.0.0",
            "description": "\n".join(PAYLOADS),
        },
        "servers": [
            {"url": "https://{host}/v1", "variables": {"host": {"default": "api.example.com"}}},
            {"url": _p(0)},
        ],
        "tags": [{"name": p, "description": p} for p in PAYLOADS],
        "paths": paths,
        "components": {
            "securitySchemes": schemes,
            "schemas": {
                "Thing": {
                    "title": _p(2),
                    "description": _p(3),
                    "type": "object",
                    "properties": props,
                    "required": [PAYLOADS[0]],
                    "example": {p: p for p in PAYLOADS},
                },
                **{
                    p: {"type": "string", "enum": [p, _p(i + 1)], "description": p}
                    for i, p in enumerate(PAYLOADS)
                },
                "Alias" + "x": {"description": "\\", "type": "string", "default": "\\"},
            },
        },
        "security": [{_p(0): []}],
    }


def _generate_ok(tmp_path: Path, doc: dict[str, Any], name: str = "hostile") -> Path:
    spec = write_spec(tmp_path / name / "openapi.json", doc)
    out = tmp_path / name / "out"
    result = generate(spec, out)
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate_ok(tmp_path_factory.mktemp("hostile"), hostile_spec())


def test_hostile_text_compiles_and_only_lands_in_strings(hostile_out: Path) -> None:
    files = compile_all(hostile_out)
    assert len(files) > 10
    for path in files:
        assert_payload_only_in_strings(path, path.read_text(encoding="utf-8"))


def test_hostile_package_imports_without_side_effects(hostile_out: Path, tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOSTILE")}
    touched = import_and_touch(hostile_out, package_name(hostile_out), cwd, env)
    assert len([t for t in touched if t.startswith("Client.")]) >= len(PAYLOADS) - 4
    for root in (tmp_path, hostile_out.parent):
        assert not list(root.rglob("PWNED")), "a payload ran"
    assert not (Path.cwd() / "PWNED").exists()


def test_hostile_text_is_kept_not_lost(hostile_out: Path) -> None:
    """Descriptions survive escaping: the docstring reads back as the (cleaned) text."""
    pkg = hostile_out / package_name(hostile_out)
    sources = "\n".join(p.read_text(encoding="utf-8") for p in python_files(pkg))
    docstrings: set[str] = set()
    literals: set[object] = set()
    for path in python_files(pkg):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node, clean=False)
                if doc:
                    docstrings.add(doc)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
    alldocs = "\n".join(docstrings)
    for payload in PAYLOADS:
        cleaned = clean_text(payload).strip()
        # every enum value and default survives byte for byte as a literal
        assert payload in literals, f"enum/default {payload!r} lost"
        # every description survives as text (line by line; docstrings are re-indented)
        for line in cleaned.splitlines():
            if line.strip():
                assert line.strip() in alldocs, f"description line {line!r} lost"
    assert "Thing" in sources


def test_hostile_docs_stay_sane(hostile_out: Path) -> None:
    for name in ("README.md", "api.md"):
        text = (hostile_out / name).read_text(encoding="utf-8")
        assert "\x00" not in text and "\u2028" not in text and "\r" not in text
        assert "1787569" not in text
        # code fences balance: an unclosed fence would swallow the rest of the page
        fences = [line for line in text.splitlines() if line.lstrip().startswith("```")]
        assert len(fences) % 2 == 0, name
        # outside code, no HTML comment may open (it would hide the rest of the page)
        prose = _prose(text)
        assert "<!--" not in prose, name
        assert "\x00" not in prose
    toml = (hostile_out / "pyproject.toml").read_text(encoding="utf-8")
    import tomllib

    tomllib.loads(toml)


def _prose(markdown: str) -> str:
    """Markdown without fenced code blocks and inline code spans."""
    out, fence = [], ""
    for line in markdown.splitlines():
        marker = re.match(r" {0,3}(`{3,}|~{3,})", line)
        if marker and (not fence or marker.group(1).startswith(fence)):
            fence = "" if fence else marker.group(1)
            continue
        if not fence:
            out.append(re.sub(r"(`+)(?:(?!\1).)*?\1", "", line))
    return "\n".join(out)


# -- names that become file names -----------------------------------------------------

PATHY = [
    "../../x",
    "/etc/passwd",
    "..",
    ".",
    "CON",
    "con",
    "NUL",
    "aux.txt",
    "com1",
    "LPT9",
    "Pets",
    "pets",
    "PETS",
    "pe-ts",
    "C:\\Windows\\system32",
    "~root",
    "\x00",
    "名前",
    "",
    "models",
    "resources",
    "_client",
    "__init__",
]


def test_names_used_as_file_names_stay_inside_and_never_collide(tmp_path: Path) -> None:
    paths: dict[str, Any] = {}
    for i, tag in enumerate(PATHY):
        paths[f"/p{i}"] = {
            "get": {
                "operationId": tag or "x",
                "tags": [tag],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{i}"}
                            }
                        },
                    }
                },
            }
        }
    schemas = {
        str(i): {"type": "object", "title": t, "properties": {"a": {"type": "string"}}}
        for i, t in enumerate(PATHY)
    }
    schemas.update(
        {
            t or "empty": {"type": "object", "properties": {t or "e": {"type": "string"}}}
            for t in PATHY
        }
    )
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "../../escape", "version": "1"},
        "tags": [{"name": t} for t in PATHY],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    out = _generate_ok(tmp_path, doc)
    written = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    lowered = [p.lower() for p in written]
    assert len(lowered) == len(set(lowered)), "paths collide on a case-insensitive FS"
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out.resolve())
    # nothing was written next to the output dir
    assert sorted(x.name for x in out.parent.iterdir()) == ["openapi.json", "out"]
    reserved = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))}
    reserved |= {f"lpt{i}" for i in range(10)}
    for rel in written:
        for part in rel.split("/"):
            assert part.split(".")[0].lower() not in reserved, rel
    compile_all(out)
    import_and_touch(out, package_name(out), tmp_path)


@pytest.mark.parametrize("title", ["class", "CON", "import", "lpt1", "None"])
def test_package_name_from_a_hostile_title_is_importable(tmp_path: Path, title: str) -> None:
    doc = {"openapi": "3.0.3", "info": {"title": title, "version": "1"}, "paths": {}}
    out = _generate_ok(tmp_path, doc)
    compile_all(out)
    import_and_touch(out, package_name(out), tmp_path)


def test_hostile_first_server_url_stays_a_string(tmp_path: Path) -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "srv", "version": "1"},
        "servers": [{"url": PAYLOADS[0] + PAYLOADS[2]}],
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    out = _generate_ok(tmp_path, doc)
    for path in compile_all(out):
        assert_payload_only_in_strings(path, path.read_text(encoding="utf-8"))
    client = (out / "srv" / "_client.py").read_text(encoding="utf-8")
    tree = ast.parse(client)
    values = [
        n.value.value
        for n in tree.body
        if isinstance(n, ast.Assign)
        and getattr(n.targets[0], "id", "") == "DEFAULT_BASE_URL"
        and isinstance(n.value, ast.Constant)
    ]
    assert values == [PAYLOADS[0] + PAYLOADS[2]]
    assert not list(tmp_path.rglob("PWNED"))
