"""Issue 7: hostile and broken specs. Clear errors, safe code, bounded resources, nothing lost.

Every spec here is written by the test. Generated code is compiled, imported in a fresh
interpreter (cwd in a tmp dir) and exercised; payloads must only ever land in strings,
docstrings or comments, and nothing may be written outside the output directory.
"""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hostile_util import (
    assert_no_traceback,
    assert_payload_only_in_strings,
    bounded_run,
    compile_all,
    generate,
    import_and_touch,
    package_name,
    python_files,
    write_spec,
)

from sdkforge.codegen.models import clean_text

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
                        "schema": {
                            "type": "string",
                            "enum": [payload, _p(i + 4)],
                            "default": payload,
                        },
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
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{i}"}}
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


# -- 2. $ref files: confinement and remote refs ------------------------------------------

REF_SPEC = """openapi: 3.0.3
info: {title: refs, version: "1"}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'REF'}
"""


def _ref_setup(tmp_path: Path, ref: str) -> tuple[Path, Path, Path]:
    api, outside = tmp_path / "api", tmp_path / "outside"
    api.mkdir()
    outside.mkdir()
    (outside / "s.yaml").write_text("Pet: {type: object, properties: {a: {type: string}}}\n")
    (api / "link.yaml").symlink_to(outside / "s.yaml")
    spec = api / "openapi.yaml"
    spec.write_text(REF_SPEC.replace("REF", ref.replace("OUTSIDE", str(outside))))
    return spec, outside, tmp_path / "out"


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("../outside/s.yaml#/Pet", "leaves the spec's directory"),
        ("OUTSIDE/s.yaml#/Pet", "absolute path"),
        ("link.yaml#/Pet", "leaves the spec's directory"),
    ],
)
def test_ref_escapes_are_refused_unless_allowed(tmp_path: Path, ref: str, words: str) -> None:
    spec, outside, out = _ref_setup(tmp_path, ref)
    result = generate(spec, out)
    assert_no_traceback(result)
    assert result.exit_code == 2, result.output
    assert words in result.output and "--allow-external-refs" in result.output
    assert f"{spec}:11:" in result.output  # located at the $ref
    assert not out.exists()
    result = generate(spec, out, "--allow-external-refs", str(outside))
    assert result.exit_code == 0, result.output
    assert (out / "refs" / "models" / "pet.py").is_file()


@pytest.mark.parametrize("allow", [False, True])
def test_remote_refs_are_never_fetched(tmp_path: Path, allow: bool) -> None:
    spec, _, out = _ref_setup(tmp_path, "http://127.0.0.1:9/x.yaml#/Pet")
    result = generate(spec, out, *(["--allow-remote-refs"] if allow else []))
    assert_no_traceback(result)
    assert result.exit_code == 2
    assert ("--allow-remote-refs" in result.output) != allow
    assert "http://127.0.0.1:9/x.yaml" in result.output and not out.exists()


def test_file_uri_ref_refused(tmp_path: Path) -> None:
    spec, _, out = _ref_setup(tmp_path, "file:///etc/passwd")
    result = generate(spec, out)
    assert result.exit_code == 2 and "file:///etc/passwd" in result.output


# -- 3. bounds -----------------------------------------------------------------------

def _doc(schema: object, **extra: object) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "bounds", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Root"}
                                }
                            },
                        }
                    }
                }
            }
        },
        "components": {"schemas": {"Root": schema, **extra}},
    }


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = [
        "openapi: 3.0.3",
        'info: {title: t, version: "1"}',
        'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"x-{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    lines.append("paths: {}")
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\n")
    code, rss, err = bounded_run(spec, tmp_path / "out")
    assert code == 2 and "alias bomb" in err and "bomb.yaml:" in err
    assert rss < 1024


def _nest(depth: int, kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        if kind == "properties":
            schema = {"type": "object", "properties": {"c": schema}}
        elif kind == "items":
            schema = {"type": "array", "items": schema}
        else:
            schema = {kind: [schema, {"type": "integer"}]}
    return schema


def _yaml_nest(depth: int, *, flow: bool) -> str:
    """A YAML document whose schema nests `depth` `items` levels."""
    head = REF_SPEC.replace("REF", "#/components/schemas/Root")
    if flow:
        schema = "{items: " * depth + "{type: string}" + "}" * depth
    else:  # block style, one more space per level
        schema = "\n" + "".join(" " * (5 + i) + "items:\n" for i in range(depth))
        schema += " " * (5 + depth) + "type: string"
    return head + "components:\n  schemas:\n    Root: " + schema + "\n"


@pytest.mark.parametrize("kind", ["properties", "items", "allOf", "anyOf"])
def test_deep_inline_schemas_are_a_located_error(tmp_path: Path, kind: str) -> None:
    spec = write_spec(tmp_path / "deep.json", _doc(_nest(150, kind)))
    result = generate(spec, tmp_path / "out")
    assert_no_traceback(result)
    assert result.exit_code == 2, result.output
    assert "nested more than 100 levels" in result.output
    assert f"(at /components/schemas/Root/{kind}/" in result.output and "hint:" in result.output
    assert re.search(rf"{re.escape(str(spec))}:\d+:\d+: error", result.output)


@pytest.mark.parametrize("kind", ["properties", "items", "allOf", "anyOf"])
def test_schemas_100_deep_still_generate(tmp_path: Path, kind: str) -> None:
    spec = write_spec(tmp_path / "deep.json", _doc(_nest(100, kind)))
    result = generate(spec, tmp_path / "out")
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output
    compile_all(tmp_path / "out")


@pytest.mark.parametrize(
    ("depth", "flow"), [(900, False), (900, True), (1_500, False), (10_000, False), (10_000, True)]
)
def test_very_deep_yaml_is_refused_with_a_location(tmp_path: Path, depth: int, flow: bool) -> None:
    spec = tmp_path / "deep.yaml"
    spec.write_text(_yaml_nest(depth, flow=flow))
    code, rss, err = bounded_run(spec, tmp_path / "out")
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err
    assert re.search(rf"{re.escape(str(spec))}:\d+:\d+: error", err)
    if depth < 1_000:  # the loader accepts it; validation refuses it, with a pointer
        assert "(at /components/schemas/Root/items/items/" in err and "hint:" in err
    else:  # libyaml's own nesting limit (1,000), or ours (2,000) on the pure-Python parser
        assert "exceeded maximum" in err or "deeper than 2000 levels" in err
    assert rss < 1024
    assert not (tmp_path / "out").exists()


def test_very_deep_json_is_refused(tmp_path: Path) -> None:
    text = '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x": '
    text += "[" * 10_000 + "]" * 10_000 + "}"
    spec = tmp_path / "deep.json"
    spec.write_text(text)
    code, rss, err = bounded_run(spec, tmp_path / "out")
    assert code == 2 and "nested too deeply" in err and "Traceback" not in err
    assert rss < 1024


@pytest.mark.parametrize("kind", ["properties", "allOf", "items"])
def test_long_ref_chains_of_components_generate(tmp_path: Path, kind: str) -> None:
    n = 1_000
    schemas: dict[str, Any] = {}
    for i in range(n):
        nxt = {"$ref": f"#/components/schemas/S{i + 1}"} if i + 1 < n else {"type": "string"}
        if kind == "properties":
            schemas[f"S{i}"] = {"type": "object", "properties": {"c": nxt}}
        elif kind == "allOf":
            part = {"type": "object", "properties": {f"p{i}": {"type": "string"}}}
            schemas[f"S{i}"] = {"allOf": [nxt, part]}
        else:
            schemas[f"S{i}"] = {"type": "array", "items": nxt}
    spec = write_spec(tmp_path / "chain.json", _doc({"$ref": "#/components/schemas/S0"}, **schemas))
    code, rss, err = bounded_run(spec, tmp_path / "out")
    assert code == 0, err
    assert rss < 1024
    assert len(list((tmp_path / "out" / "bounds" / "models").glob("s*.py"))) == n


def test_ref_cycles_without_an_object_are_located_errors(tmp_path: Path) -> None:
    spec = tmp_path / "cycle.yaml"
    spec.write_text(
        REF_SPEC.replace("REF", "#/components/schemas/A")
        + "components:\n  schemas:\n"
        + "    A: {$ref: '#/components/schemas/B'}\n"
        + "    B: {$ref: '#/components/schemas/A'}\n"
        + "    Self: {$ref: '#/components/schemas/Self'}\n"
    )
    code, _rss, err = bounded_run(spec, tmp_path / "out")
    assert code == 2, err
    assert err.count("cycle with no object in between") == 2
    assert f"{spec.resolve()}:14:" in err and f"{spec.resolve()}:16:" in err
    assert "(at /components/schemas/A)" in err and "hint:" in err


def _wide(n: int) -> dict[str, Any]:
    props = {f"p{i}": {"type": "string", "description": f"d{i}"} for i in range(n)}
    return _doc({"type": "object", "properties": props})


def test_object_with_many_properties_generates(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "wide.json", _wide(10_000))
    code, rss, err = bounded_run(spec, tmp_path / "out")
    assert code == 0, err
    assert rss < 1024
    root = (tmp_path / "out" / "bounds" / "models" / "root.py").read_text()
    assert "p9999: " in root


def test_object_with_50000_properties_degrades_to_a_dict_in_bounded_time(tmp_path: Path) -> None:
    """Past MAX_MODEL_FIELDS the object is a `dict[str, Any]` alias, with a warning naming it."""
    spec = write_spec(tmp_path / "wide.json", _wide(50_000))
    code, rss, err = bounded_run(spec, tmp_path / "out")
    assert code == 0, err
    assert rss < 1024
    assert "50,000 properties" in err and "/components/schemas/Root" in err
    root = (tmp_path / "out" / "bounds" / "models" / "root.py").read_text()
    assert "p9999" not in root and "dict[str, Any]" in root


def test_100_mb_document_is_refused_up_front(tmp_path: Path) -> None:
    spec = tmp_path / "huge.json"
    doc = _doc({"type": "string"})
    doc["info"]["description"] = "PAD"
    text = json.dumps(doc).replace("PAD", "word " * 20_000_000)
    spec.write_text(text)
    assert spec.stat().st_size > 100_000_000
    code, rss, err = bounded_run(spec, tmp_path / "out")
    assert code == 2 and "byte limit" in err and f"{spec}" in err
    assert rss < 256
    spec.unlink()


def test_large_document_under_the_limit_is_handled_within_bounds(tmp_path: Path) -> None:
    spec = tmp_path / "big.json"
    doc = _doc({"type": "string"})
    doc["info"]["description"] = "PAD"
    spec.write_text(json.dumps(doc).replace("PAD", "word " * 6_000_000))  # 30 MB
    code, rss, err = bounded_run(spec, tmp_path / "out")
    assert code == 0, err
    assert rss < 1024
    assert (tmp_path / "out" / "api.md").stat().st_size > 30_000_000


def test_1500_deep_yaml_on_the_pure_python_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without libyaml the loader accepts 2,000 levels: validation must catch 1,500."""
    import yaml

    from sdkforge.reading import yaml12

    monkeypatch.setattr(yaml12, "_EventLoader", yaml.SafeLoader)
    spec = tmp_path / "deep.yaml"
    spec.write_text(_yaml_nest(1_500, flow=False))
    result = generate(spec, tmp_path / "out")
    assert_no_traceback(result)
    assert result.exit_code == 2, result.output
    assert "nested more than 100 levels" in result.output
    assert "(at /components/schemas/Root/items/items/" in result.output
    assert not (tmp_path / "out").exists()


# -- 4. clear errors, output untouched ----------------------------------------------------

BROKEN = {
    "yaml": ("openapi: 3.0.3\ninfo: {title: t, version: '1'\npaths: {}\n", ["invalid YAML", ":3:1:"]),
    "json": ('{"openapi": "3.0.3",\n "info": {"title": "t",, "version": "1"}}\n', ["invalid JSON", ":2:24:"]),
    "version": ("openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n", ["unsupported OpenAPI version 4.0.0", ":1:1:", "(at /openapi)", "hint:"]),
    "missing": ("openapi: 3.0.3\npaths: {}\n", ["missing 'info'", "hint:"]),
    "types": ("openapi: 3.0.3\ninfo: []\npaths: []\n", ["'info' must be an object", ":2:1:", "(at /info)", "(at /paths)", "hint:"]),
    "ref": (REF_SPEC.replace("REF", "#/components/schemas/Nope"), ["$ref target #/components/schemas/Nope does not exist", ":11:", "/schema/$ref)", "hint:"]),
    "several": (
        "openapi: 3.0.3\ninfo:\n  version: 1\npaths:\n  pets:\n    get:\n      responses:\n"
        "        abc: {description: x}\ncomponents:\n  schemas:\n    A: {type: objekt}\n",
        ["info has no 'title'", "version' must be a string", "does not start with '/'",
         "'abc' is not a status code", "'objekt' is not a JSON Schema type", ":11:"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_specs_exit_2_with_located_messages_and_untouched_output(
    tmp_path: Path, case: str
) -> None:
    good = write_spec(tmp_path / "good" / "openapi.json", _doc({"type": "string"}))
    out = tmp_path / "out"
    assert generate(good, out).exit_code == 0
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    text, expected = BROKEN[case]
    spec = tmp_path / "bad" / ("openapi.json" if case == "json" else "openapi.yaml")
    spec.parent.mkdir()
    spec.write_text(text)
    result = generate(spec, out)
    assert_no_traceback(result)
    assert result.exit_code == 2, result.output
    assert str(spec) in result.output
    for words in expected:
        assert words in result.output, (words, result.output)
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before
    if case == "several":
        assert result.output.count(": error: ") >= 5
