"""Issue 17: names that are Python keywords, builtins or the SDK's own names, and the gate
that keeps any Python that does not compile from being written.

openapi-python-client's own end-to-end spec has a tag `true` (and an operation `false`
with a query parameter `import`): sdkforge once exited 0 with `class True(...)` in
`resources/true.py`. Here every kind of name a spec gives (tags, operationIds, parameter,
schema, property and security scheme names, enum values) takes such values; the client
must compile, import, reach every resource, send the wire names, and pass `mypy --strict`
and pyright strict.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hostile_util import (
    assert_no_traceback,
    compile_all,
    generate,
    import_and_touch,
    package_name,
    run_cli,
    write_spec,
)

from sdkforge.caches import packs
from sdkforge.codegen.gate import GeneratedCodeError, compile_gate

NAMES = [
    "true", "None", "False", "class", "import", "match", "type", "__init__", "print",
    "self", "models", "httpx", "builtins", "cached_property", "Exception", "str", "list",
    "await", "copy", "user_agent", "cast", "Query", "timeout", "1", "json", "model_config",
    "Field", "getattr", "importlib", "_",
]  # fmt: skip
# Security scheme names become constructor arguments and client attributes. They are kept
# apart from the tags: a credential and a resource of the same name still collide on the
# client (issue 15's client namespace).
CREDENTIALS = [
    "from", "global", "os", "auth", "super", "with_options", "is_closed", "dict",
    "http_client", "_copy_kwargs",
]  # fmt: skip


def keyword_spec() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    body = {"type": "object", "properties": {m: {"type": "string"} for m in NAMES}}
    body["required"] = NAMES[:6]
    for i, name in enumerate(NAMES):
        other = NAMES[(i + 1) % len(NAMES)]
        path_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        enum = {"type": "string", "enum": [name, "x"]}
        # Paths name the resources (`/true/{id}` → `client.true_`); tags too, for any
        # name that a spec's tags still decide.
        paths[f"/{name}/{{id}}"] = {
            "get": {
                "tags": [name],
                "operationId": name,
                "parameters": [
                    path_param,
                    {"name": name, "in": "query", "required": True, "schema": enum},
                    {"name": name, "in": "header", "schema": enum},
                    {"name": other, "in": "query", "schema": _ref(name)},
                ],
                "responses": {"200": _json("ok", _ref(name))},
            },
            "post": {
                "tags": [name],
                "operationId": f"{name} create",
                "parameters": [path_param],
                "requestBody": {"required": True, "content": _json("", body)["content"]},
                "responses": {"200": _json("ok", {"type": "string", "enum": NAMES})},
            },
        }
    # openapi-python-client's /naming/keywords, as it is.
    paths["/naming/keywords"] = {
        "get": {
            "tags": ["true"],
            "operationId": "false",
            "parameters": [
                {"name": "import", "in": "query", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": ""}},
        }
    }
    schemas: dict[str, Any] = {
        name: {
            "type": "object",
            "description": name,
            "properties": {m: {"type": "string", "enum": [m, name]} for m in NAMES},
        }
        for name in NAMES
    }
    schemas["Holder"] = {
        "type": "object",
        "properties": {m: _ref(m) for m in NAMES},
    }
    schemas["Constants"] = {"enum": ["true", "None", "False", None, True, False, 1]}
    security = {c: {"type": "apiKey", "in": "header", "name": f"X-{c}"} for c in CREDENTIALS}
    security["lambda"] = {"type": "http", "scheme": "basic"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "true", "version": "1"},
        "tags": [{"name": n, "description": n} for n in NAMES],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": security},
        "security": [{c: []} for c in security],
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


@pytest.fixture(scope="module")
def keyword_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("keywords")
    spec = write_spec(root / "openapi.json", keyword_spec())
    result = generate(spec, root / "out")
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output
    return root / "out"


def test_keyword_names_compile_import_and_reach_every_resource(
    keyword_out: Path, tmp_path: Path
) -> None:
    compile_all(keyword_out)
    package = package_name(keyword_out)
    assert package == "true"  # `import true` is valid: only capitalised, it is a keyword
    resources = keyword_out / package / "resources"
    assert (resources / "true.py").is_file() and (resources / "class_.py").is_file()
    assert "class TrueResource(SyncAPIResource):" in (resources / "true.py").read_text()
    touched = import_and_touch(keyword_out, package, tmp_path)
    top = {t.split(".", 1)[1] for t in touched if t.startswith("Client.")}
    assert len(top) == len(NAMES) + 1 and "naming" in top, sorted(top)  # + /naming/keywords
    expected = {"true", "none", "false", "class_", "import_", "match_", "init"}
    expected |= {"models", "httpx", "builtins", "cached_property_", "copy_", "user_agent_"}
    assert expected <= top, sorted(expected - top)


def test_keyword_names_in_documented_examples_compile(keyword_out: Path) -> None:
    """The README's and api.md's Python examples call the same names; they compile too."""
    from markdown_it import MarkdownIt

    blocks = [
        (name, tok.content)
        for name in ("README.md", "api.md")
        for tok in MarkdownIt("commonmark").parse((keyword_out / name).read_text())
        if tok.type == "fence" and tok.info == "python"
    ]
    assert len(blocks) > len(NAMES) * 2
    for name, code in blocks:
        compile(code, name, "exec")
    assert any("client.naming.keywords.retrieve(" in code for _, code in blocks)


CALLS = textwrap.dedent(
    """
    import json, sys
    import httpx
    sys.path.insert(0, sys.argv[1])
    from true import Client, models

    sent = []

    def answer(request):
        sent.append(str(request.url))
        return httpx.Response(200, json={"class": "class", "None": "None"})

    client = Client(base_url="http://api.test", http_client=httpx.Client(
        transport=httpx.MockTransport(answer)))
    client.naming.keywords.retrieve(import_="x")  # openapi-python-client's /naming/keywords
    thing = client.class_.retrieve("7", class_="class")
    assert isinstance(thing, models.Class), type(thing)
    assert thing.class_ == "class" and thing.none == "None", thing
    client.none.retrieve("8", none="None")
    for name in models.__all__:  # every model module imports
        getattr(models, name)
    print(json.dumps(sent))
    """
)


def test_keyword_names_reach_the_wire_unchanged(keyword_out: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CALLS, str(keyword_out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    sent = json.loads(proc.stdout.strip().splitlines()[-1])
    assert sent[0] == "http://api.test/naming/keywords?import=x"
    assert sent[1].startswith("http://api.test/class/7?") and "class=class" in sent[1]
    assert sent[2].startswith("http://api.test/None/8?") and "None=None" in sent[2]


def test_keyword_names_pass_mypy_strict(keyword_out: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version",
         "3.10", "-p", package_name(keyword_out)],
        cwd=keyword_out, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:]


def test_keyword_names_pass_pyright_strict(keyword_out: Path) -> None:
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
    if pyright is None:
        pytest.skip("pyright is not installed")
    package = package_name(keyword_out)
    config = {"typeCheckingMode": "strict", "pythonVersion": "3.10", "include": [package]}
    (keyword_out / "pyrightconfig.json").write_text(json.dumps(config))
    result = subprocess.run(
        [pyright, "--pythonpath", sys.executable], cwd=keyword_out, capture_output=True, text=True
    )
    (keyword_out / "pyrightconfig.json").unlink()
    assert result.returncode == 0, result.stdout[-5000:]


# -- the compile gate ----------------------------------------------------------------------

SMALL = {
    "openapi": "3.0.3",
    "info": {"title": "gate", "version": "1"},
    "paths": {"/a": {"get": {"tags": ["true"], "responses": {"200": {"description": "ok"}}}}},
}
BAD_TEMPLATE = '__title__ = {{ api.package | py_str }}\n\n\nclass True:\n    """Not Python."""\n'


@pytest.mark.parametrize(
    ("verbose", "formatter"), [(False, "none"), (True, "none"), (False, "black")]
)
def test_python_that_does_not_compile_is_never_written(
    tmp_path: Path, verbose: bool, formatter: str
) -> None:
    """A custom template that renders invalid Python: exit 3, the file and line named
    (also when black, which cannot parse it, sees it first), the output exactly as it
    was; `--verbose` shows the offending source line."""
    spec = write_spec(tmp_path / "openapi.json", SMALL)
    out = tmp_path / "out"
    assert generate(spec, out).exit_code == 0
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    templates = tmp_path / "templates" / "{{package}}"
    templates.mkdir(parents=True)
    (templates / "_version.py.jinja").write_text(BAD_TEMPLATE)
    args = ["--templates", str(tmp_path / "templates"), *(["--verbose"] if verbose else [])]
    result = run_cli("generate", "--spec", str(spec), "--output", str(out), "--no-cache",
                     "--formatter", formatter, *args)  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "gate/_version.py:4: generated Python does not compile" in result.output
    assert ("class True:" in result.output) == verbose
    assert ("Traceback" in result.output) == verbose
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before


def test_compile_gate_compiles_not_just_parses() -> None:
    """Errors the compiler finds after parsing (a repeated argument, `return` outside a
    function) and bytes Python refuses (NUL) are caught too; other files are not read."""
    for source in (b"def f(a, a):\n    pass\n", b"return 1\n", b"x = 1\x00\n", b"class None: ..."):
        with pytest.raises(GeneratedCodeError, match=r"^pkg/m\.py(:\d+)?: generated Python"):
            compile_gate({"pkg/m.py": source, "README.md": b"class True"}, use_cache=False)
    compile_gate({"pkg/m.py": b"x = 1\n", "data.json": b"{"}, use_cache=False)


BIG_HEAD = b'"""A module."""\n\nfrom __future__ import annotations\n\nx = 1\n\n\n'


@pytest.mark.parametrize(
    ("tail", "compiles"),
    [
        (b"class A:\n    def f(self) -> A:\n        return self\n\n\n@d\ndef g():\n    pass\n", True),
        # Refused under `from __future__ import annotations` only: the pieces keep it.
        (b"class A:\n    def g(self):\n        def f(x: (yield)):\n            pass\n", False),
        (b's = """\nclass A:\n    pass\n"""\n\n\ndef g():\n    pass\n', True),  # cut in a string
        (b"s = (\nclass A:\n    pass\n)\n", False),
        (b's = """\nclass A:\n    pass\n', False),  # the string never ends
        (b"class A:\n    pass\nreturn 1\n", False),
        (b"class A:\n    pass\nfrom __future__ import annotations\n", False),
        (b"class A:\n    pass\n\nglobal x\n", False),  # `x` assigned before: not cut
        (b"class A:\n    pass\n\ny = 2; global x\n", False),  # after `;`
        (b"class A:\n    pass\n\nif y: \x0cglobal x\n", False),  # after `:` and a form feed
        (b"class A:\n    s = 'a global x'\n", True),  # the word in a string: cut as usual
        (b"@d\nclass A:\n    pass\n\n\ndef f(a, a):\n    pass\n", False),
    ],
)
def test_compile_gate_cuts_a_big_module_only_where_the_verdict_stays(
    monkeypatch: pytest.MonkeyPatch, tail: bytes, compiles: bool
) -> None:
    """A big module is compiled a top-level statement at a time (to bound the memory): the
    verdict is always the whole module's, whatever the cuts meet (strings, brackets, the
    rules that span statements), and the pieces carry the module's `__future__` features."""
    from sdkforge.codegen import gate

    monkeypatch.setattr(gate, "SPLIT_BYTES", 0)
    source = BIG_HEAD + tail
    try:
        compile(source, "m.py", "exec", dont_inherit=True)
    except SyntaxError:
        assert not compiles
    else:
        assert compiles
    if compiles:
        compile_gate({"pkg/m.py": source}, use_cache=False)
        pieces = gate._pieces(source)
        assert pieces is not None and len(pieces) > 1  # cut (and the cut checked)
    else:
        with pytest.raises(GeneratedCodeError, match=r"^pkg/m\.py:\d+: generated Python"):
            compile_gate({"pkg/m.py": source}, use_cache=False)


def test_compile_gate_on_workers_finds_what_one_process_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A big batch compiles on worker processes (real ones): the same verdict, and the
    first broken file by path is the one named, whichever worker met it."""
    from sdkforge.codegen import gate

    monkeypatch.setattr(gate, "PARALLEL_BYTES", 0)
    files = {f"pkg/m{i:03}.py": f"x{i} = {i}\n".encode() for i in range(200)}
    compile_gate(files, use_cache=False, jobs=2)
    broken = {**files, "pkg/m150.py": b"def f(a, a): ...\n", "pkg/m170.py": b"class True: ..."}
    with pytest.raises(GeneratedCodeError, match=r"^pkg/m150\.py:1: generated Python"):
        compile_gate(broken, use_cache=False, jobs=2)


def test_compile_gate_does_not_cut_where_a_piece_would_declare_an_encoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A comment on a piece's second line would be read as its encoding declaration (in
    the module it is not one): such a module is compiled whole, and refused like Python
    refuses it."""
    from sdkforge.codegen import gate

    monkeypatch.setattr(gate, "SPLIT_BYTES", 0)
    source = b"x = 1\n\n\nclass A:\n# -*- coding: latin-1 -*-\n    s = '\xe9'\n"
    with pytest.raises(SyntaxError):
        compile(source, "m.py", "exec", dont_inherit=True)
    assert gate._pieces(source) is None
    with pytest.raises(GeneratedCodeError, match=r"^pkg/m\.py:\d+: generated Python"):
        compile_gate({"pkg/m.py": source}, use_cache=False)
    assert gate._pieces(source.replace(b"coding", b"cooding")) is not None


def test_compile_gate_trusts_only_texts_it_compiled_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm run compiles only what changed: a text that compiled before (same bytes, same
    Python) has a marker in the cache; any other text is compiled, cache or not."""
    from sdkforge.caches import store

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    good = {"pkg/a.py": b"a = 1\n", "pkg/b.py": b"b = 2\n"}
    compile_gate(good, use_cache=True)
    store.flush()
    compiled: list[str] = []
    real = compile

    def spy(source: bytes, filename: str, mode: str, **kwargs: Any) -> Any:
        compiled.append(filename)
        return real(source, filename, mode, **kwargs)

    monkeypatch.setattr("builtins.compile", spy)
    compile_gate({**good, "pkg/c.py": b"c = 3\n"}, use_cache=True)
    assert compiled == ["pkg/c.py"]
    with pytest.raises(GeneratedCodeError):
        compile_gate({**good, "pkg/a.py": b"class True: ..."}, use_cache=True)
    compiled.clear()
    compile_gate(good, use_cache=False)
    assert compiled == ["pkg/a.py", "pkg/b.py"]


def test_the_gate_leaves_markers_only_with_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = write_spec(tmp_path / "openapi.json", SMALL)
    for extra in (["--no-cache"], []):
        result = run_cli("generate", "--spec", str(spec), "--output", str(tmp_path / "out"),
                         "--force", "--formatter", "none", *extra)  # fmt: skip
        assert result.exit_code == 0, result.output
        root = tmp_path / "cache" / "sdkforge"
        markers = [p.relative_to(root).as_posix() for p in root.glob("compiled-*/*/*")]
        markers += [key for key in packs.index(root) if key.startswith("compiled-")]
        python = [p for p in (tmp_path / "out").rglob("*.py")]
        assert len(markers) == (0 if extra else len(python)), extra
