"""Models that differ only by name are generated once; the others are renamed copies.

datamodel-code-generator costs a few milliseconds per model, and big specs repeat shapes:
GitHub's REST description has 2,638 models but only 2,104 distinct schemas (the same
properties in the same order, types, descriptions and required list under another name).
Among the groups a run must generate, a lone object model whose schema (as JSON, key order
kept) is identical to another's, and that does not refer to itself, is not sent to the
generator: its module is the representative's with the class renamed. The schema fixes
everything else in the module (its fields, the models it refers to and so its imports),
so the only word that can differ is the class name. That is checked on the generated
text, not assumed: the representative's name must occur in it exactly once, as a whole
word in its `class Name(` line, and the twin's name not at all (a field, alias,
description or import that spells either name would make the copy differ from what the
generator writes). When the check fails the twin is generated as usual, so the output
never depends on the shortcut.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sdkforge.apimodel.ir import Model
from sdkforge.codegen.modelsplit import model_refs


def twins(
    groups: Iterable[list[str]], by_name: Mapping[str, Model], schemas: Mapping[str, Any]
) -> dict[str, str]:
    """Twin name → its representative (the first of its shape by sorted name), among the
    groups of one object model that does not refer to itself."""
    by_shape: dict[str, list[str]] = {}
    for group in groups:
        if len(group) != 1:
            continue
        name = group[0]
        model = by_name[name]
        if model.kind != "object" or name in model_refs(model):
            continue
        # Key order kept: the properties' order is the fields' order in the class.
        shape = json.dumps(schemas[name], ensure_ascii=False)
        by_shape.setdefault(shape, []).append(name)
    out: dict[str, str] = {}
    for names in by_shape.values():
        first, *others = sorted(names)
        out.update((other, first) for other in others)
    return out


def _word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def renamed(source: str, old: str, new: str) -> str | None:
    """`source` (the module generated for class `old`) with the class called `new`, or
    None when the copy could differ from what the generator writes for `new`."""
    hits = list(_word(old).finditer(source))
    if len(hits) != 1 or _word(new).search(source):
        return None
    start, end = hits[0].span()
    line_start = source.rfind("\n", 0, start) + 1
    if source[line_start:start] != "class " or source[end : end + 1] != "(":
        return None
    return source[:start] + new + source[end:]


def copies(
    pairs: Mapping[str, str], sources: Mapping[str, str], locations: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Module stem → source for each twin of `pairs` (from `twins`), renamed from its
    representative's module in `sources` (by stem); and the twins the check refused, which
    must be generated."""
    out: dict[str, str] = {}
    refused: list[str] = []
    for twin, first in sorted(pairs.items()):
        text = renamed(sources.get(locations[first], ""), first, twin)
        if text is None:
            refused.append(twin)
        else:
            out[locations[twin]] = text
    return out, refused
