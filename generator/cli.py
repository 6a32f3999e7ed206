"""The `sdkforge` command: flags → config → pipeline → exit code. The only module that prints.

Exit codes: 0 ok, 1 `--check`/`--diff`/`diff` found differences, 2 invalid input or
usage (a clear message, never a traceback), 3 internal error (a short bug-report hint;
the traceback only with `--verbose`).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import __version__
from generator.config import Config, load_config
from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.pipeline import Options, generate
from generator.write import compare, unified_diff, write

F = TypeVar("F", bound=Callable[..., Any])
BUG_HINT = "this is a bug in sdkforge; please report it with the spec that triggers it (rerun with --verbose for the traceback)"


def _show(diagnostics: list[Diagnostic], *, quiet: bool) -> None:
    for d in diagnostics:
        if quiet and d.severity is not Severity.ERROR:
            continue
        click.echo(d.format(), err=True)


def _config(spec: Path, config_path: Path | None, package_name: str | None) -> Config:
    if config_path is None:
        candidates = [spec.parent / "sdkforge.yaml", Path("pyproject.toml")]
        config_path = next((c for c in candidates if c.exists()), None)
        if (
            config_path is not None
            and config_path.suffix == ".toml"
            and "[tool.sdkforge]" not in config_path.read_text(encoding="utf-8")
        ):
            config_path = None
    return load_config(config_path).with_overrides(package=package_name)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sdkforge")
def main() -> None:
    """Generate typed Python client SDKs from OpenAPI descriptions."""


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
    quiet: bool,
    verbose: bool,
    as_json: bool,
) -> None:
    """Generate (or check) a client project from an OpenAPI description."""
    try:
        if not spec.is_file():
            raise SpecError(
                [
                    Diagnostic(
                        Severity.ERROR, f"spec file not found: {spec}", hint="pass --spec PATH"
                    )
                ]
            )
        config = _config(spec, config_path, package_name)
        options = Options(
            templates=templates,
            formatter=formatter,
            use_cache=not no_cache,
            allow_external_refs=external,
            allow_remote_refs=allow_remote_refs,
        )
        result = generate(spec, config, options)
        _show(result.diagnostics, quiet=quiet)
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
                _json_summary(changes, result.diagnostics, checked=True)
            sys.exit(1 if stale else 0)
        changes = write(result.plan, output, force=force)
        if as_json:
            _json_summary(changes, result.diagnostics, checked=False)
        elif not quiet:
            click.echo(
                f"{output}: {len(changes.added)} added, {len(changes.changed)} changed, "
                f"{len(changes.deleted)} deleted, {len(changes.unchanged)} unchanged",
                err=True,
            )
            for rel in changes.kept_modified:
                click.echo(f"  kept (edited by hand; --force overwrites): {rel}", err=True)
    except SpecError as exc:
        _show(exc.diagnostics, quiet=False)
        if as_json:
            click.echo(
                json.dumps(
                    {"ok": False, "diagnostics": [d.as_json() for d in exc.diagnostics]}, indent=2
                )
            )
        sys.exit(2)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:
        if verbose:
            traceback.print_exc()
        click.echo(f"sdkforge: internal error: {type(exc).__name__}: {exc}\n{BUG_HINT}", err=True)
        sys.exit(3)


def _json_summary(changes: Any, diagnostics: list[Diagnostic], *, checked: bool) -> None:
    click.echo(
        json.dumps(
            {
                "ok": True,
                "checked": checked,
                "written": [] if checked else [*changes.added, *changes.changed],
                "unchanged": changes.unchanged,
                "deleted": [] if checked else changes.deleted,
                "would_change": [*changes.added, *changes.changed, *changes.deleted]
                if checked
                else [],
                "kept_modified": changes.kept_modified,
                "warnings": [d.as_json() for d in diagnostics if d.severity is Severity.WARNING],
            },
            indent=2,
        )
    )
