"""`sdkforge cache info|prune|clear`: the cache under `$XDG_CACHE_HOME/sdkforge`, seen and shrunk.

A part of the CLI (`cli.py` adds the group to the `sdkforge` command), kept apart because
it shares nothing with generation but the cache's location. The work (walking, evicting)
is `caches.budget`'s; this module only parses flags and prints.
"""

from __future__ import annotations

import os

import click

from sdkforge.caches import budget
from sdkforge.caches.store import cache_root


def _size(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return budget.parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group("cache")
def cache_group() -> None:
    """Show or shrink sdkforge's cache ($XDG_CACHE_HOME/sdkforge)."""


@cache_group.command("info")
def info_command() -> None:
    """Where the cache is, its size and cap, and its entries by kind."""
    limit, problems = budget.cap()
    for problem in problems:
        click.echo(problem.format(), err=True)
    usage = budget.usage()
    source = budget.ENV if os.environ.get(budget.ENV, "").strip() and not problems else "default"
    click.echo(f"location: {usage.root}")
    click.echo(f"size:     {budget.human(usage.total)}")
    click.echo(f"cap:      {budget.human(limit)} ({source}; set {budget.ENV} to change it)")
    click.echo(f"  {'kind':<10} {'entries':>8} {'size':>11}")
    for kind, (count, size) in usage.kinds.items():
        click.echo(f"  {kind:<10} {count:>8} {budget.human(size):>11}")


@cache_group.command("prune")
@click.option(
    "--max-size",
    callback=_size,
    default=None,
    help=f"Target size (256M, 1G, bytes; default: the cap, {budget.ENV} or 256M).",
)
def prune_command(max_size: int | None) -> None:
    """Remove the least recently used entries until the cache fits the cap (or --max-size)."""
    limit, problems = budget.cap()
    for problem in problems:
        click.echo(problem.format(), err=True)
    target = limit if max_size is None else max_size
    done = budget.prune(target)
    click.echo(
        f"{cache_root()}: removed {done.removed} entries ({budget.human(done.freed)}); "
        f"{budget.human(done.left)} left (target {budget.human(target)})",
        err=True,
    )


@cache_group.command("clear")
def clear_command() -> None:
    """Remove everything sdkforge keeps in the cache (files it did not make stay)."""
    done = budget.clear()
    click.echo(
        f"{cache_root()}: removed {done.removed} entries ({budget.human(done.freed)})", err=True
    )
