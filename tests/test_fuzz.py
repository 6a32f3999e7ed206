"""Issue 7: fuzzing. Whatever the document, never a traceback or an internal error.

Property: `sdkforge generate` either exits 0 with Python that compiles (a sample is also
imported) or exits 2 with a diagnostic. Exit 3, or an exception escaping the CLI, fails.
(a) random small OpenAPI documents from a strategy; (b) mutations of real specs from
../shared/specs (skipped when that folder is absent).
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostile_util import compile_all, generate, import_and_touch, package_name, write_spec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Each example is a whole generation: 40 of them, or 20 times more under `make fuzz`.
# Derandomized or not as the loaded profile says (conftest: always in CI).
SETTINGS = settings(
    max_examples=40 * max(1, settings.default.max_examples // 100),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
WEIRD = [
    "",
    " ",
    "\\",
    '"""',
    "'''",
    "\x00",
    "\u2028",
    "\r\n",
    "class",
    "None",
    "__init__",
    "../x",
    "CON",
    "{{x}}",
    "${x}",
    "#",
    "*/",
    "名前",
    "1abc",
    "a-b",
    "$ref",
    "x-ext",
    "\"; __import__('os').system('touch PWNED') #",
]
names = st.one_of(
    st.sampled_from(WEIRD),
    st.text(min_size=0, max_size=12),
    st.from_regex(r"[a-z][a-zA-Z0-9_]{0,8}", fullmatch=True),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), names
)
PRIMITIVES = ["string", "integer", "number", "boolean", "null", "array", "object", "objekt", 7]


def schemas(refs: list[str]) -> st.SearchStrategy[Any]:
    leaf = st.one_of(
        st.fixed_dictionaries(
            {"type": st.sampled_from(PRIMITIVES)},
            optional={
                "format": st.sampled_from(["date-time", "binary", "uuid", "int64", "weird"]),
                "description": names,
                "default": scalars,
                "example": scalars,
                "nullable": st.booleans(),
            },
        ),
        st.fixed_dictionaries({"enum": st.lists(scalars, max_size=4)}),
        st.fixed_dictionaries({"const": scalars}),
        st.just({}),
        st.just(True),
        *([st.sampled_from(refs).map(lambda r: {"$ref": r})] if refs else []),
        st.just({"$ref": "#/components/schemas/Missing"}),
    )

    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.fixed_dictionaries(
                {
                    "type": st.just("object"),
                    "properties": st.dictionaries(names, inner, max_size=4),
                },
                optional={
                    "required": st.lists(names, max_size=3),
                    "additionalProperties": st.one_of(st.booleans(), inner),
                    "title": names,
                },
            ),
            st.fixed_dictionaries({"type": st.just("array"), "items": inner}),
            st.fixed_dictionaries({"oneOf": st.lists(inner, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"allOf": st.lists(inner, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"type": st.lists(st.sampled_from(PRIMITIVES[:6]), max_size=3)}),
        )

    return st.recursive(leaf, extend, max_leaves=8)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    component_names = draw(st.lists(names, max_size=4, unique=True))
    refs = [
        "#/components/schemas/" + n.replace("~", "~0").replace("/", "~1") for n in component_names
    ]
    comps = {n: draw(schemas(refs)) for n in component_names}
    paths: dict[str, Any] = {}
    for _ in range(draw(st.integers(0, 3))):
        path = "/" + draw(names) + draw(st.sampled_from(["", "/{id}", "/{x-y}"]))
        ops: dict[str, Any] = {}
        for method in draw(
            st.lists(
                st.sampled_from(["get", "post", "put", "delete", "patch"]), max_size=2, unique=True
            )
        ):
            params = [
                {
                    "name": draw(names),
                    "in": draw(st.sampled_from(["query", "header", "path", "cookie", "body"])),
                    "required": draw(st.booleans()),
                    "schema": draw(schemas(refs)),
                }
                for _ in range(draw(st.integers(0, 2)))
            ]
            op: dict[str, Any] = {
                "responses": {
                    draw(st.sampled_from(["200", "201", "204", "default", "4XX"])): {
                        "description": draw(names),
                        "content": {
                            draw(
                                st.sampled_from(
                                    [
                                        "application/json",
                                        "text/plain",
                                        "application/octet-stream",
                                        "text/event-stream",
                                    ]
                                )
                            ): {"schema": draw(schemas(refs))}
                        },
                    }
                },
                "parameters": params,
            }
            if draw(st.booleans()):
                op["operationId"] = draw(names)
            if draw(st.booleans()):
                op["tags"] = [draw(names)]
            if method != "get" and draw(st.booleans()):
                media = draw(
                    st.sampled_from(
                        [
                            "application/json",
                            "multipart/form-data",
                            "application/x-www-form-urlencoded",
                        ]
                    )
                )
                op["requestBody"] = {
                    "required": draw(st.booleans()),
                    "content": {media: {"schema": draw(schemas(refs))}},
                }
            ops[method] = op
        paths[path] = ops
    doc: dict[str, Any] = {
        "openapi": draw(st.sampled_from(["3.0.3", "3.1.0"])),
        "info": {"title": draw(names), "version": draw(st.sampled_from(["1.0.0", "v1", ""]))},
        "paths": paths,
        "components": {"schemas": comps},
    }
    if draw(st.booleans()):
        doc["components"]["securitySchemes"] = {
            draw(names): draw(
                st.sampled_from(
                    [
                        {"type": "http", "scheme": "bearer"},
                        {"type": "apiKey", "in": "header", "name": "X-Key"},
                        {"type": "http", "scheme": "basic"},
                        {"type": "oauth2", "flows": {}},
                    ]
                )
            )
        }
    return doc


def check_generation(spec: Path, out: Path, *, import_it: bool) -> int:
    """The property: exit 0 with compiling output (optionally imported), or exit 2 with a
    located diagnostic; anything else fails."""
    result = generate(spec, out)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert ": error: " in result.output, result.output
        return 2
    compile_all(out)
    if import_it:
        import_and_touch(out, package_name(out), out.parent)
    return 0


_RUNS = {"n": 0}


@SETTINGS
@given(documents())
def test_random_documents_never_crash(doc: dict[str, Any]) -> None:
    _RUNS["n"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        spec = write_spec(Path(tmp) / "openapi.json", doc)
        check_generation(spec, Path(tmp) / "out", import_it=_RUNS["n"] % 8 == 1)


# -- (b) mutations of real specs -------------------------------------------------------

SHARED = Path(__file__).resolve().parents[2] / "shared" / "specs"
SEEDS = [
    "corpus/1forge.com.json",
    "corpus/who-hosts-this.com.json",
    "corpus/selectpdf.com.json",
    "edge/3.0/circular.yaml",
    "edge/3.0/discriminators.yaml",
]


def _load_seeds() -> list[dict[str, Any]]:
    if not SHARED.is_dir():
        return []
    out = []
    for rel in SEEDS:
        path = SHARED / rel
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                out.append(json.loads(json.dumps(data, default=str)))
    return out


SEED_DOCS = _load_seeds()
REPLACEMENTS: list[object] = [None, 0, -1, 1.5, True, "", "x", [], {}, ["a"], {"$ref": "#/nope"}, {"$ref": "#"}, {"type": "objekt"}, *WEIRD]  # fmt: skip


def _nodes(data: object, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [trail]
    if isinstance(data, dict):
        for k, v in data.items():
            found += _nodes(v, (*trail, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += _nodes(v, (*trail, i))
    return found


def _mutate(doc: dict[str, Any], rng: random.Random, count: int) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for _ in range(count):
        trails = [t for t in _nodes(doc) if t]
        if not trails:
            break
        trail = rng.choice(trails)
        parent: Any = doc
        for key in trail[:-1]:
            parent = parent[key]
        key = trail[-1]
        action = rng.choice(["delete", "replace", "swap", "weird_key", "duplicate"])
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = copy.deepcopy(rng.choice(REPLACEMENTS))
        elif action == "swap":
            value = parent[key]
            parent[key] = (
                [value]
                if isinstance(value, dict)
                else {"v": value}
                if isinstance(value, list)
                else str(value)
            )
        elif action == "weird_key" and isinstance(parent, dict):
            parent[rng.choice(WEIRD) + str(key)] = parent.pop(key)
        elif action == "duplicate" and isinstance(parent, dict):
            other = rng.choice(trails)
            source: Any = doc
            for k in other:
                source = source[k]
            parent[key] = copy.deepcopy(source)
    return doc


@pytest.mark.skipif(not SEED_DOCS, reason="../shared/specs is not present next to this clone")
@SETTINGS
@given(st.integers(0, 2**32), st.integers(1, 4), st.integers(0, 1_000))
def test_mutated_real_specs_never_crash(seed: int, count: int, which: int) -> None:
    base = SEED_DOCS[which % len(SEED_DOCS)]
    doc = _mutate(base, random.Random(seed), count)
    with tempfile.TemporaryDirectory() as tmp:
        spec = write_spec(Path(tmp) / "openapi.json", doc)
        check_generation(spec, Path(tmp) / "out", import_it=seed % 10 == 0)


@pytest.mark.skipif(not SEED_DOCS, reason="../shared/specs is not present next to this clone")
def test_seed_specs_generate(tmp_path: Path) -> None:
    for i, doc in enumerate(SEED_DOCS):
        spec = write_spec(tmp_path / str(i) / "openapi.json", doc)
        assert check_generation(spec, tmp_path / str(i) / "out", import_it=False) == 0
        shutil.rmtree(tmp_path / str(i))
