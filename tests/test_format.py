"""The formatting stage: what may skip the formatter, the cache, the parallel path.

Files that skip formatting (the verbatim runtime, `models/__init__.py` when every line fits)
are only allowed to because they already are in the formatter's layout: these tests run
black and ruff on them and demand no change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ruff_formatted

from sdkforge.caches import store
from sdkforge.codegen import format as fmt
from sdkforge.codegen.modelsplit import init_in_black_layout, init_module
from sdkforge.codegen.render import TEMPLATES

RUNTIME = TEMPLATES / "python" / "{{package}}"


@pytest.mark.parametrize(
    "path", sorted(RUNTIME.rglob("*.py")), ids=lambda p: p.relative_to(RUNTIME).as_posix()
)
def test_verbatim_runtime_is_formatter_clean(path: Path, tmp_path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert fmt.format_source(source) == source
    assert ruff_formatted(source, tmp_path) in (None, source)


def _locations(long: int) -> dict[str, str]:
    names = {
        "Pet": "pet",
        "Error": "error",
        "A" * long: "a" * long,
        "CreateChatCompletionRequestResponseFormat": "create_chat_completion_request",
        "LongNameOfAModelThatFitsWhenWrapped": "long_module_name_here_too",
    }
    return names


@pytest.mark.parametrize("long", [20, 35, 43, 50, 70])
def test_models_init_is_in_black_layout(long: int, tmp_path: Path) -> None:
    """Short imports, wrapped ones, and lines no formatter can shorten (a wrapped member or
    a `_LOCATIONS` entry over the limit): black and ruff leave the module unchanged."""
    locations = _locations(long)
    source = init_module(locations, fmt.LINE_LENGTH)
    assert init_in_black_layout(locations)
    assert fmt.format_source(source) == source
    assert ruff_formatted(source, tmp_path) in (None, source)
    if long >= 35:
        assert "import (\n" in source
    if long >= 50:
        assert max(len(line) for line in source.splitlines()) > fmt.LINE_LENGTH


def test_models_init_goes_to_the_formatter_when_unsure() -> None:
    """Black measures East Asian wide characters as two columns; do not guess."""
    assert not init_in_black_layout({"名前": "mingzi"})


SOURCES = [f"def f{i}( a,b ):\n  return {{'k':a,'v':[b,{i}]}}\n" for i in range(6)]


def test_cache_reuses_results_and_no_cache_bypasses_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    real = fmt.format_source
    calls: list[str] = []

    def counting(source: str) -> str:
        calls.append(source)
        return real(source)

    monkeypatch.setattr(fmt, "format_source", counting)
    first = fmt.format_many(SOURCES, jobs=1)
    assert len(calls) == len(SOURCES)
    assert first[0] == 'def f0(a, b):\n    return {"k": a, "v": [b, 0]}\n'
    store.flush()  # results are queued, written with the run's other entries
    assert any((tmp_path / "xdg" / "sdkforge").rglob("*")), "the cache lives under XDG_CACHE_HOME"
    calls.clear()
    assert fmt.format_many(SOURCES, jobs=1) == first
    assert calls == [], "a second run formats nothing"
    assert fmt.format_many(SOURCES, jobs=1, use_cache=False) == first
    assert len(calls) == len(SOURCES), "use_cache=False (--no-cache) formats everything again"


def test_a_vouched_source_skips_the_formatter_and_is_asked_only_on_a_miss(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    formatted: list[str] = []
    asked: list[str] = []
    real = fmt.format_source
    monkeypatch.setattr(fmt, "format_source", lambda s: formatted.append(s) or real(s))

    def vouch(source: str) -> bool:
        asked.append(source)
        return source.startswith("def f0")

    vouchers = [vouch] * len(SOURCES)
    first = fmt.format_many(SOURCES, jobs=1, vouchers=vouchers)
    assert first[0] == SOURCES[0], "vouched for: left exactly as it was"
    assert first[1] == 'def f1(a, b):\n    return {"k": a, "v": [b, 1]}\n'
    assert len(asked) == len(SOURCES) and len(formatted) == len(SOURCES) - 1
    asked.clear()
    store.flush()  # read back from the disk, not the queue
    again = fmt.format_many(SOURCES, jobs=1, vouchers=vouchers)
    assert again == first
    assert asked == [], "a cached answer needs no check"
    # A cached answer equal to its source is the source itself, not a second copy held
    # beside it to the end of the run; one that differs is the cached text.
    assert again[0] is SOURCES[0]
    assert again[1] is not SOURCES[1]


def test_parallel_formatting_matches_serial(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fmt, "_PARALLEL_BYTES", 0)
    serial = fmt.format_many(SOURCES, jobs=1, use_cache=False)
    assert fmt.format_many(SOURCES, jobs=2, use_cache=False) == serial


@pytest.mark.parametrize("formatter", ["black", "ruff"])
def test_vouchers_run_on_the_workers_too(monkeypatch: pytest.MonkeyPatch, formatter: str) -> None:
    """In a big batch the vouchers' checks go to worker processes (with the formatting,
    for black): a vouched source comes back as it was, the others formatted, as serially."""
    from operator import methodcaller

    if formatter == "ruff" and fmt.ruff_binary() is None:
        pytest.skip("ruff is not installed")
    monkeypatch.setattr(fmt, "_PARALLEL_BYTES", 0)
    vouch = methodcaller("startswith", "def f0")  # picklable, and it vouches for one
    vouchers = [vouch] * len(SOURCES)
    kw = {"formatter": formatter, "use_cache": False}
    serial = fmt.format_many(SOURCES, jobs=1, vouchers=vouchers, **kw)
    pooled = fmt.format_many(SOURCES, jobs=2, vouchers=vouchers, **kw)
    assert pooled == serial
    assert pooled[0] == SOURCES[0], "vouched for: left exactly as it was"
    if formatter == "black":  # and not a copy sent back: the source itself (memory)
        assert pooled[0] is SOURCES[0]
    assert pooled[1:] == fmt.format_many(SOURCES, jobs=1, **kw)[1:]


def test_openai_models_init_is_in_black_layout(tmp_path: Path) -> None:
    """The real thing: 1,943 re-exports of the full OpenAI spec skip black, unchanged by it."""
    from conftest import shared_specs

    from sdkforge.codegen.modelsplit import components, module_names
    from sdkforge.config import Config
    from sdkforge.pipeline import load_api

    api, _, _ = load_api(shared_specs() / "openai.yaml", Config())
    locations = module_names(components(list(api.models)))
    source = init_module(locations, fmt.LINE_LENGTH)
    assert init_in_black_layout(locations)
    assert fmt.format_source(source) == source
    assert ruff_formatted(source, tmp_path) in (None, source)


def test_torn_or_foreign_cache_entries_are_misses(tmp_path: Path) -> None:
    """An entry cut short by a crash or a concurrent writer is never served."""
    from sdkforge.caches.store import load_text, store_text

    entry = tmp_path / "ab" / "abcdef"
    store_text(entry, "x = 1\n")
    assert load_text(entry) == "x = 1\n"
    store_text(entry, "y = 2\n")  # an existing entry is kept (same key, same content)
    assert load_text(entry) == "x = 1\n"
    entry.write_bytes(entry.read_bytes()[:-3])  # torn
    assert load_text(entry) is None
    assert not entry.exists(), "a bad entry is removed so it can be written again"
    entry.write_text("x = 1\n")  # an old-format or foreign file
    assert load_text(entry) is None
    store_text(entry, "x = 1\n")
    assert load_text(entry) == "x = 1\n"
