"""The `sdkforge` command: flags → config → pipeline → exit code. The only module that
prints, with `cachecli` (its `cache` commands).

Exit codes: 0 ok, 1 `--check`/`--diff` found differences or `diff --fail-on-breaking` found
breaking changes, 2 invalid input or usage (a clear message, never a traceback), 3 internal
error (a short bug-report hint; the traceback only with `--verbose`), 130 / 143 stopped by
SIGINT / SIGTERM (`interrupts`: one line, the output whole). `generate` writes under the
output directory's lock (`outlock`) and ends by settling the cache's size (`caches.budget`).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from sdkforge import __version__
from sdkforge.caches import budget, store
from sdkforge.config import Config, load_config
from sdkforge.control import interrupts, outlock, reserve
from sdkforge.control.cachecli import cache_group
from sdkforge.control.interrupts import Interrupted
from sdkforge.control.progress import ProgressBar
from sdkforge.diagnostics import Diagnostic, Severity, SpecError
from sdkforge.pipeline import Options, generate, is_current
from sdkforge.write import Changes, compare, unified_diff, write

F = TypeVar("F", bound=Callable[..., Any])
BUG_HINT = (
    "this is a bug in sdkforge; please report it with the spec that triggers it "
    "(rerun with --verbose for the traceback)"
)


@contextlib.contextmanager
def _guarded(
    output: object,
    verbose: bool,
    on_spec_error: Callable[[list[Diagnostic]], None] | None = None,
) -> Iterator[None]:
    """How every command ends when it does not end well: SIGINT/SIGTERM in the block stop it
    with one line and 128 + the signal (`interrupts`; `output` names what was not touched,
    None for a command that writes nothing); spec and config errors are shown, exit 2;
    anything else is an internal error, exit 3 (`--verbose`: with its traceback)."""
    try:
        with interrupts.handled(output):
            yield
    except Interrupted as exc:
        exc.settle()
        click.echo(exc.message(output), err=True)
        sys.exit(exc.code)
    except SpecError as exc:
        _show(exc.diagnostics, quiet=False)
        if on_spec_error is not None:
            on_spec_error(exc.diagnostics)
        sys.exit(2)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # the CLI's last line of defence
        if verbose:
            traceback.print_exc()
        click.echo(f"sdkforge: internal error: {type(exc).__name__}: {exc}\n{BUG_HINT}", err=True)
        sys.exit(3)


def _show(diagnostics: list[Diagnostic], *, quiet: bool) -> None:
    for d in diagnostics:
        if quiet and d.severity is not Severity.ERROR:
            continue
        click.echo(d.format(), err=True)


def _config(spec: Path, config_path: Path | None, package_name: str | None) -> Config:
    """The named config (it must exist), else the one beside the spec or in pyproject.toml."""
    named = config_path is not None
    if config_path is None:
        candidates = [spec.parent / "sdkforge.yaml", Path("pyproject.toml")]
        config_path = next((c for c in candidates if c.exists()), None)
        if (
            config_path is not None
            and config_path.suffix == ".toml"
            and "[tool.sdkforge]" not in config_path.read_text(encoding="utf-8")
        ):
            config_path = None
    return load_config(config_path, required=named).with_overrides(package=package_name)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sdkforge")
def main() -> None:
    """Generate typed Python client SDKs from OpenAPI descriptions."""


main.add_command(cache_group)


@main.command("generate")
@click.option(
    "--spec",
    "spec",
    type=click.Path(path_type=Path),
    default=Path("spec/openapi.yaml"),
    show_default=True,
    help="OpenAPI 3.0/3.1 or Swagger 2.0 file (YAML or JSON).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=None,
    help="sdkforge.yaml (default: next to the spec) or a pyproject.toml with [tool.sdkforge].",
)
@click.option(
    "--output",
    "output",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Directory of the generated project.",
)
@click.option("--package-name", default=None, help="Override the generated package name.")
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Directory whose templates override the built-in ones by relative path.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the output is not current.")
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Write nothing; print a unified diff of what would change (exit 1 if any).",
)
@click.option(
    "--force", is_flag=True, help="Overwrite hand-edited files and take over a non-empty directory."
)
@click.option(
    "--formatter", type=click.Choice(["black", "ruff", "none"]), default="black", show_default=True
)
@click.option("--no-cache", is_flag=True, help="Do not use the formatting cache.")
@click.option(
    "--allow-external-refs",
    "external",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Also allow $ref files under this directory.",
)
@click.option(
    "--allow-remote-refs", is_flag=True, help="Allow http(s) $refs (never fetched otherwise)."
)
@click.option(
    "--tests", is_flag=True, help="Also write tests/: every operation against a Prism mock."
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=outlock.DEFAULT_TIMEOUT,
    envvar="SDKFORGE_LOCK_TIMEOUT",
    show_default=True,
    help="Seconds to wait while another run writes the same output directory.",
)
@click.option("--quiet", "-q", is_flag=True, help="Only errors.")
@click.option("--verbose", "-v", is_flag=True, help="More detail; tracebacks for internal errors.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout.")
def generate_command(
    spec: Path,
    config_path: Path | None,
    output: Path,
    package_name: str | None,
    templates: Path | None,
    check: bool,
    show_diff: bool,
    force: bool,
    formatter: str,
    no_cache: bool,
    external: tuple[Path, ...],
    allow_remote_refs: bool,
    tests: bool,
    lock_timeout: float,
    quiet: bool,
    verbose: bool,
    as_json: bool,
) -> None:
    """Generate (or check) a client project from an OpenAPI description."""
    started = time.time()

    def as_json_too(diagnostics: list[Diagnostic]) -> None:
        if as_json:
            found = [d.as_json() for d in diagnostics]
            click.echo(json.dumps({"ok": False, "diagnostics": found}, indent=2))

    with _guarded(output, verbose, as_json_too):
        if not spec.is_file():
            missing = f"spec file not found: {spec}"
            raise SpecError([Diagnostic(Severity.ERROR, missing, hint="pass --spec PATH")])
        config = _config(spec, config_path, package_name)
        store.account()  # a fresh cache account for this run
        options = Options(
            templates=templates,
            formatter=formatter,
            use_cache=not no_cache,
            allow_external_refs=external,
            allow_remote_refs=allow_remote_refs,
            tests=tests,
        )
        if not (show_diff or as_json or force) and is_current(spec, config, options, output):
            # Same inputs as the run that wrote exactly these files: nothing to do.
            if not quiet and not check:
                click.echo(f"{output}: up to date", err=True)
            sys.exit(0)
        # A first generation's files are made ahead, while it renders (`control.reserve`).
        with reserve.Ahead(output, enabled=not (check or show_diff)) as ahead:
            result = generate(spec, config, options, ProgressBar(sys.stderr, quiet), ahead)
            # Cache writes done: count them, prune past the cap, warn once if they failed.
            diagnostics = [*result.diagnostics, *(budget.settle() if not no_cache else [])]
            _show(diagnostics, quiet=quiet)
            if check or show_diff:
                changes = compare(result.plan, output)
                stale = [*changes.added, *changes.changed, *changes.deleted, *changes.kept_modified]
                if show_diff:
                    click.echo(unified_diff(result.plan, output, changes), nl=False)
                elif stale and not as_json:
                    click.echo(f"{output} is not current; these files differ:", err=True)
                    for rel in stale:
                        click.echo(f"  {rel}", err=True)
                if as_json:
                    _json_summary(changes, diagnostics, checked=True)
                sys.exit(1 if stale else 0)
            # One writer at a time; a signal while writing is acted on once it is done.
            with outlock.locked(output, lock_timeout, started), interrupts.writing():
                changes = write(result.plan, output, force=force, reserved=ahead.held)
            if as_json:
                _json_summary(changes, diagnostics, checked=False)
            elif not quiet:
                click.echo(
                    f"{output}: {len(changes.added)} added, {len(changes.changed)} changed, "
                    f"{len(changes.deleted)} deleted, {len(changes.unchanged)} unchanged",
                    err=True,
                )
                for rel in changes.kept_modified:
                    click.echo(f"  kept (edited by hand; --force overwrites): {rel}", err=True)


def _json_summary(changes: Changes, diagnostics: list[Diagnostic], *, checked: bool) -> None:
    warnings = [d.as_json() for d in diagnostics if d.severity is Severity.WARNING]
    click.echo(json.dumps({**changes.summary(checked=checked), "warnings": warnings}, indent=2))


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Config applied to both specs (default: the one `generate` would use for NEW).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown suits a changelog or a pull-request comment.",
)
@click.option("--fail-on-breaking", is_flag=True, help="Exit 1 when there are breaking changes.")
@click.option("--verbose", "-v", is_flag=True, help="Tracebacks for internal errors.")
def diff_command(
    old: Path, new: Path, config_path: Path | None, fmt: str, fail_on_breaking: bool, verbose: bool
) -> None:
    """Compare the client surfaces generated from two versions of a spec."""
    from sdkforge.diff import as_json, as_markdown, as_text, diff_apis
    from sdkforge.pipeline import load_api

    with _guarded(None, verbose):  # it writes nothing: a stop just ends it
        problems = [
            Diagnostic(Severity.ERROR, "spec file not found", file=str(p))
            for p in (old, new)
            if not p.is_file()
        ]
        if problems:
            raise SpecError(problems)
        # One config for both sides: its `operations` map names the methods, so the same
        # map is what makes the two surfaces comparable.
        config = replace(_config(new, config_path, None), shared=True)
        apis = []
        for spec in (old, new):
            try:
                apis.append(load_api(spec, config)[0])
            except SpecError as exc:  # report both specs' errors, not just the first's
                problems += exc.diagnostics
        if problems:
            raise SpecError(problems)
        result = diff_apis(apis[0], apis[1])
        render = {"text": as_text, "json": as_json, "markdown": as_markdown}[fmt]
        click.echo(render(result), nl=False)
    sys.exit(1 if fail_on_breaking and result.breaking else 0)


@main.command("init")
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write it (default: sdkforge.yaml next to the spec, where `generate` looks).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--verbose", "-v", is_flag=True, help="Tracebacks for internal errors.")
def init_command(spec: Path, output: Path | None, force: bool, verbose: bool) -> None:
    """Write a starter sdkforge.yaml that pins the names derived from SPEC."""
    from sdkforge.pipeline import load_api
    from sdkforge.starter import starter_config

    target = output if output is not None else spec.parent / "sdkforge.yaml"
    with _guarded(target, verbose):
        if not spec.is_file():
            raise SpecError([Diagnostic(Severity.ERROR, "spec file not found", file=str(spec))])
        if target.exists() and not force:
            hint = "pass --force to overwrite it"
            exists = Diagnostic(Severity.ERROR, "already exists", file=str(target), hint=hint)
            raise SpecError([exists])
        api, _, _ = load_api(spec, Config())
        text = starter_config(api, spec.name)
        with interrupts.writing():  # a stop now waits for the whole file
            target.write_text(text, encoding="utf-8")
        count = len(api.all_operations())
        plural = "" if count == 1 else "s"
        message = f"wrote {target} ({count} operation{plural}); review it, then sdkforge generate"
        click.echo(message, err=True)


def run() -> None:
    """The console entry point (`sdkforge`, `python -m sdkforge`): `main`, tuned for one
    big run and a quick exit.

    The cyclic collector's default thresholds run a young-generation pass every 700
    allocations; building the IR of a big spec allocates millions of long-lived objects,
    so it collects often and finds nothing (the threshold mypy uses for the same reason).
    At the end, the interpreter would free every object one by one before exiting; all
    output is written and flushed by then, so the process ends at once instead (unless a
    profiler, tracer or coverage is active: they write their results at exit). Worker
    processes inherit the setting. `main` itself stays a plain click command for tests
    and for embedding.
    """
    gc.set_threshold(200_000, 30, 30)
    try:
        main()
        code: int = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    if sys.gettrace() is None and sys.getprofile() is None and "coverage" not in sys.modules:
        os._exit(code)  # a profiler or coverage needs its exit hooks: exit normally then
    sys.exit(code)
