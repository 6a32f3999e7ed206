"""The whole pipeline as one function: spec path + config → a `Plan` (nothing written).

load → validate → resolve/bundle → build (IR) → render → format. Rendering and formatting
finish before `write` is ever called, so a failure at any stage leaves the output
directory exactly as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator.build import build_api
from generator.config import Config
from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.format import format_many
from generator.ir import Api
from generator.load import load_document
from generator.render import render_project
from generator.resolve import Resolver, bundle
from generator.validate import validate
from generator.write import Plan


@dataclass(frozen=True)
class Options:
    """How to generate, beyond what the config says."""

    templates: Path | None = None
    formatter: str = "black"
    use_cache: bool = True
    allow_external_refs: tuple[Path, ...] = ()
    allow_remote_refs: bool = False


@dataclass(frozen=True)
class Result:
    """A finished plan plus what the run learnt on the way."""

    plan: Plan
    api: Api
    diagnostics: list[Diagnostic]


def load_api(
    spec: Path, config: Config, options: Options = Options()
) -> tuple[Api, list[Diagnostic], bytes]:
    """Spec file → IR, raising `SpecError` with every error found."""
    loaded = load_document(spec)
    diagnostics = validate(loaded)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise SpecError(diagnostics)
    resolver = Resolver(
        loaded, allow_external=options.allow_external_refs, allow_remote=options.allow_remote_refs
    )
    data, bundle_diags = bundle(resolver)
    diagnostics += bundle_diags
    if any(d.severity is Severity.ERROR for d in bundle_diags):
        raise SpecError(diagnostics)
    if isinstance(data, dict) and str(data.get("swagger", "")).startswith("2"):
        from generator.swagger import convert

        data = convert(data)
    assert isinstance(data, dict)
    api, build_diags = build_api(data, config, str(spec))
    return api, diagnostics + build_diags, spec.read_bytes()


def generate(spec: Path, config: Config, options: Options = Options()) -> Result:
    """Run every stage up to (not including) writing; return the plan."""
    api, diagnostics, raw = load_api(spec, config, options)
    rendered = list(render_project(api, options.templates, use_cache=options.use_cache))
    texts = {path: text for path, text, _ in rendered}
    todo = [path for path, _, needs_format in rendered if needs_format]
    formatted = format_many(
        [texts[p] for p in todo], formatter=options.formatter, use_cache=options.use_cache
    )
    texts.update(zip(todo, formatted, strict=True))
    files = {path: text.encode("utf-8") for path, text in texts.items()}
    plan = Plan(files=files, spec_hash=hashlib.sha256(raw).hexdigest())
    return Result(plan=plan, api=api, diagnostics=diagnostics)
