"""The config's say on the surface: `operations:` pins, `resources:` moves, `methods:` renames.

Both name what sdkforge would otherwise generate (the accessors `sdkforge init` lists), so
a config stays a short list of exceptions: `assistants: beta.assistants` moves a whole
subtree, `images.edits.create: images.edit` renames (or moves) one method. A key that
matches nothing is an error with a did-you-mean, never silently ignored, and so is a
config that would give two operations one accessor.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from sdkforge.apimodel.surface import Endpoint, Trail
from sdkforge.config import Config
from sdkforge.diagnostics import Diagnostic, error


def apply(
    placed: list[tuple[Trail, str]], endpoints: list[Endpoint], config: Config
) -> tuple[list[tuple[Trail, str]], list[Diagnostic]]:
    """`placed` with the config's moves and renames applied; errors for keys that match
    nothing and for accessors claimed twice."""
    problems: list[Diagnostic] = []
    if config.operations and not config.shared:
        keys = operation_keys(endpoints)
        problems += [
            unknown_entry(config, "operations", key, "operation", keys)
            for key in config.operations
            if key not in keys
        ]
    for e, (trail, name) in zip(endpoints, placed, strict=True):
        if e.fixed is not None and (trail, name) != e.fixed:
            wanted = ".".join((*e.fixed[0], e.fixed[1]))
            problems.append(
                error(
                    f"operations: {e.method.upper()} {e.path} cannot be {wanted}: another "
                    f"operation or a resource has that name (it became {'.'.join((*trail, name))})",
                    file=config.source,
                    line=config.lines.get(f"/operations/{e.method.upper()} {e.path}", 0),
                    pointer=e.pointer,
                )
            )
    accessors = {".".join((*trail, name)): i for i, (trail, name) in enumerate(placed)}
    resources = {trail[:n] for trail, _ in placed for n in range(1, len(trail) + 1)}
    out = list(placed)
    renamed: set[int] = set()
    for old, new in config.methods.items():
        i = accessors.get(old)
        if i is None or endpoints[i].fixed is not None:
            problems.append(unknown_entry(config, "methods", old, "method", accessors))
            continue
        parts = new.split(".")
        out[i] = (tuple(parts[:-1]), parts[-1])
        renamed.add(i)
    moves: dict[Trail, Trail] = {}
    for old, new in config.resources.items():
        key = tuple(old.split("."))
        if key not in resources:
            names = {".".join(r): 0 for r in resources}
            problems.append(unknown_entry(config, "resources", old, "resource", names))
            continue
        moves[key] = tuple(new.split("."))
    for i, (trail, name) in enumerate(out):
        if i in renamed or endpoints[i].fixed is not None:
            continue
        # The longest moved prefix decides (`threads.runs` moved apart from `threads`).
        for n in range(len(trail), 0, -1):
            target = moves.get(trail[:n])
            if target is not None:
                out[i] = ((*target, *trail[n:]), name)
                break
    problems += _clashes(out, endpoints, config)
    return out, problems


def operation_keys(endpoints: list[Endpoint]) -> dict[str, int]:
    """Every key a config may name an operation by: `METHOD /path` and its operationId."""
    keys: dict[str, int] = {}
    for e in endpoints:
        keys[f"{e.method.upper()} {e.path}"] = 0
        if e.operation_id:
            keys[e.operation_id] = 0
    return keys


def unknown_entry(
    config: Config, section: str, key: str, what: str, known: Mapping[str, int]
) -> Diagnostic:
    """A config entry that names nothing of this API: where it is, and the closest name."""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else f"`sdkforge init` lists every {what}"
    return error(
        f"{section}: {key!r} matches no {what} of this API",
        file=config.source,
        line=config.lines.get(f"/{section}/{key}", 0),
        pointer=f"/{section}/{key}",
        hint=hint,
    )


def _clashes(
    placed: list[tuple[Trail, str]], endpoints: list[Endpoint], config: Config
) -> list[Diagnostic]:
    """Two operations on one accessor, or a method where a resource is, after the moves."""
    seen: dict[tuple[Trail, str], int] = {}
    resources = {trail[:n] for trail, _ in placed for n in range(1, len(trail) + 1)}
    problems = []
    for i, (trail, name) in enumerate(placed):
        accessor = ".".join((*trail, name))
        other = seen.setdefault((trail, name), i)
        clash = ""
        if other != i:
            e = endpoints[other]
            clash = f"{e.method.upper()} {e.path} is there too"
        elif (*trail, name) in resources:
            clash = "a resource has that name"
        if clash:
            e = endpoints[i]
            problems.append(
                error(
                    f"{accessor}: {clash}; {e.method.upper()} {e.path} cannot have it",
                    file=config.source,
                    pointer=e.pointer,
                    hint="give one of them another name in the config (methods: or operations:)",
                )
            )
    return problems
