"""Tests for sdkforge.rendermemo: text reused across runs is the text rendering gives,
and the memoised template parts read nothing but the value they are keyed by."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from conftest import ROOT

from sdkforge.caches.rendermemo import RenderMemo
from sdkforge.codegen import aboutdoc
from sdkforge.codegen.docviews import resource_docs
from sdkforge.codegen.render import RESOURCE_TEMPLATE, _Once, environment, template_dirs
from sdkforge.codegen.views import resource_views
from sdkforge.config import Config
from sdkforge.pipeline import Options, generate, load_api

SPEC = ROOT / "tests" / "golden" / "tags" / "spec.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "sdkforge" / "renders"


def _entries(folder: Path) -> set[Path]:
    return set(folder.rglob("*.txt"))


def test_reused_text_is_what_rendering_gives(tmp_path: Path, cache: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    first = generate(spec, Config(), Options()).plan.files
    filled = _entries(cache)
    # Every method section of api.md and every resource module.
    assert len(filled) >= 5 + 3
    assert generate(spec, Config(), Options()).plan.files == first
    assert _entries(cache) == filled, "an unchanged spec renders nothing again"
    assert list((cache.parent / "jinja").iterdir()), "compiled templates are kept too"

    # Pet's text shows in the docs of the two methods that return it, nowhere else.
    text = SPEC.read_text(encoding="utf-8")
    edited = text.replace("name: {type: string}", "name: {type: string, description: Edited.}")
    assert edited != text
    spec.write_text(edited, encoding="utf-8")
    warm = generate(spec, Config(), Options()).plan.files
    assert warm == generate(spec, Config(), Options(use_cache=False)).plan.files
    assert warm != first
    assert 0 < len(_entries(cache) - filled) < len(filled)


def test_memoised_parts_read_only_their_value() -> None:
    """A memoised part keyed by one value must not read anything else: rendered with
    nothing else defined (the environment is strict), it gives the same text."""
    api = load_api(ROOT / "tests" / "golden" / "enums" / "spec.yaml", Config())[0]
    env = environment(template_dirs(None))

    resource = env.get_template(f"{{{{package}}}}/{RESOURCE_TEMPLATE}")
    for view in resource_views(api):
        alone = resource.render(view=view)
        assert alone == resource.render(view=view, api=api, once=_Once())

    docs = resource_docs(api)
    decoy = SimpleNamespace(title="Decoy", description="", client_name="Decoy", webhooks=None)
    about = SimpleNamespace(text="", lead="")
    page = env.get_template("api.md.jinja")
    module = page.make_module({"api": decoy, "resource_docs": [], "once": _Once(), "about": about})
    methods = [m for res in docs for m in res.methods]
    assert methods
    full = page.render(
        api=api, resource_docs=docs, once=_Once(), memo=lambda mac, v: mac(v), about=aboutdoc.about(api)
    )
    for m in methods:
        alone = str(module.method(m))  # type: ignore[attr-defined]
        assert alone and alone in full


def test_a_disabled_or_unpicklable_memo_renders_every_time(cache: Path) -> None:
    calls: list[int] = []

    def render() -> str:
        calls.append(1)
        return "text"

    off = RenderMemo(ROOT / "templates", enabled=False)
    assert off.text("part", 1, render) == off.text("part", 1, render) == "text"
    on = RenderMemo(ROOT / "templates")
    assert on.text("part", lambda: 0, render) == "text"  # a lambda cannot be pickled
    assert len(calls) == 3 and not _entries(cache)


def test_strict_environment_catches_a_part_reading_other_names() -> None:
    """The check above can fail: a part that reads `api` is caught."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    template = env.from_string("{% macro method(m) %}{{ m }} {{ api.title }}{% endmacro %}")
    module = template.make_module({})
    with pytest.raises(jinja2.UndefinedError):
        module.method("x")  # type: ignore[attr-defined]


def test_a_broken_template_cache_is_a_miss(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Torn compiled templates are compiled again; an unwritable cache only costs time."""
    first = generate(SPEC, Config(), Options()).plan.files
    compiled = list((cache.parent / "jinja").iterdir())
    assert compiled
    for path in compiled:  # the right header, then garbage where the checksum should be
        path.write_bytes(jinja2.bccache.bc_magic + b"\x80\x05garbage")
    assert generate(SPEC, Config(), Options()).plan.files == first

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only cache")

    for path in compiled:
        path.unlink()
    monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", refuse)
    assert generate(SPEC, Config(), Options()).plan.files == first
    assert not list((cache.parent / "jinja").iterdir())


def test_once_reuses_text_within_its_budget_and_lays_out_again_after() -> None:
    """`once` keeps the most recently used texts up to its budget (Microsoft Graph's api.md
    laid out 70 M characters); what it let go is laid out again, to the same text."""
    calls: list[object] = []

    def macro(value: object, depth: int) -> str:
        calls.append(value)
        return f"{value}:{depth};"  # 4 characters

    a, b, c = "a", "b", "c"
    once = _Once(budget=8)  # two texts
    assert [once(macro, a, 0), once(macro, b, 0), once(macro, a, 0)] == ["a:0;", "b:0;", "a:0;"]
    assert calls == [a, b], "reused while kept"
    assert once(macro, a, 1) == "a:1;" and calls == [a, b, a], "other arguments, other text"
    assert once(macro, b, 0) == "b:0;" and calls == [a, b, a, b], "b was the least recent"
    once(macro, c, 0)
    assert once(macro, b, 0) == "b:0;" and calls == [a, b, a, b, c], "kept: used last but one"
    calls.clear()
    small = _Once(budget=1)
    assert small(macro, a, 0) == small(macro, a, 0) == "a:0;"
    assert calls == [a], "the last text is kept even past the budget"
