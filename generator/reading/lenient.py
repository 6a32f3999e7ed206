"""Common deviations that have exactly one sensible reading: rewrite them, warn, go on.

Policy (issue 22): sdkforge refuses only what it cannot read unambiguously. Real specs
(the ~2,640 of APIs.guru, cloud providers' own) contain a few habitual slips that every
reader understands the same way; refusing a whole API for one of them helps nobody. Each
slip here is a rule with a stable id; the document is rewritten in place to the reading
(so validation and every later stage see ordinary OpenAPI), and a warning names the rule,
the file, line and JSON pointer, and the reading chosen.

It runs inside `load_document`, so every process that loads the spec (the main one and a
validation worker) reads the same thing. Anything ambiguous is left as it is for
`validate` to refuse, with its own message:

- `status-range-case`: a response key `4xx` / `5xx` (any case) means the range `4XX`;
  unless the same responses also spell that range in the standard way (then which of the
  two wins is a guess: both are left and validation refuses the non-standard one).
- `pattern-not-string`: a schema `pattern` written as a number (`pattern: 0`) is the
  regular expression spelt by that number (`"0"`), as YAML/JSON authors meant it.
- `schema-type-mapping`: a schema whose `type` is a mapping (a schema written one level too
  deep, `type: {type: string, enum: [...]}`) has no valid type; the keyword is dropped, so
  the value is untyped (any JSON) and the schema's other keywords still apply. Reading the
  inner mapping as the schema would be a guess; untyped accepts every reading.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sdkforge.diagnostics import Diagnostic, Severity, Trail, spell

_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_RANGE = re.compile(r"[1-5]xx\Z", re.IGNORECASE)
#: Keys whose values are data (examples, defaults), not OpenAPI structure: nothing below
#: them is a keyword (`$ref` there is text, `pattern` a value). Shared with `validate`.
DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "value"})
#: Keys whose children are user-chosen names, so a child called "example", "type" or
#: "pattern" is a name, not a keyword. Shared with `validate`.
NAME_MAPS = frozenset(
    {"properties", "patternProperties", "definitions", "$defs", "schemas", "paths", "responses",
     "parameters", "headers", "securitySchemes", "links", "callbacks", "requestBodies",
     "pathItems", "content", "encoding", "variables", "webhooks", "dependentSchemas"}
)  # fmt: skip

Locate = Any  # SourceMap (kept loose: load.py imports this module)


def tolerate(data: dict[str, Any], source_map: Locate, file: str) -> list[Diagnostic]:
    """Rewrite every known deviation in `data` (in place); one warning per rewrite."""
    found: list[Diagnostic] = []

    def warn(rule: str, trail: Trail, key: str, message: str, hint: str) -> None:
        pointer = spell(trail, key)
        line, col = source_map.locate(pointer)
        found.append(Diagnostic(Severity.WARNING, message, file, line, col, pointer, hint, rule))

    # (node, trail, key the node sits under, node is a map of names)
    stack: list[tuple[object, Trail, str, bool]] = [(data, None, "", False)]
    while stack:
        node, trail, under, names = stack.pop()
        if isinstance(node, list):
            stack.extend(
                (v, (trail, str(i)), "", False)
                for i, v in enumerate(node)
                if isinstance(v, (dict, list))
            )
            continue
        if not isinstance(node, dict):
            continue
        if not names:
            _pattern(node, trail, warn)
            _type(node, trail, warn)
        if under == "responses" and names and trail is not None and trail[1] == "responses":
            parent = trail[0]
            if parent is not None and parent[1] in _METHODS:
                _ranges(node, trail, warn)
        for key, value in node.items():
            if isinstance(value, (dict, list)) and not (
                not names and (key in DATA_KEYS or key.startswith("x-"))
            ):
                stack.append((value, (trail, key), key, not names and key in NAME_MAPS))
    return found


def _pattern(node: dict[str, Any], trail: Trail, warn: Any) -> None:
    value = node.get("pattern")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = json.dumps(value)
        node["pattern"] = text
        warn(
            "pattern-not-string",
            trail,
            "pattern",
            f"schema 'pattern' is the number {text}; read as the regular expression {text!r}",
            "quote it",
        )


def _type(node: dict[str, Any], trail: Trail, warn: Any) -> None:
    if isinstance(node.get("type"), dict):
        warn(
            "schema-type-mapping",
            trail,
            "type",
            "schema 'type' is a mapping, not a type name; ignored, so this value is untyped "
            "(any JSON)",
            "write type: string (or another type name); if the mapping is the schema, "
            "move its keywords up one level",
        )
        del node["type"]


def _ranges(responses: dict[str, Any], trail: Trail, warn: Any) -> None:
    renames = {
        code: code.upper()
        for code in responses
        if _RANGE.match(code) and code != code.upper() and code.upper() not in responses
    }
    if len(set(renames.values())) != len(renames):  # `4xx` and `4Xx`: which one?
        renames = {}
    if not renames:
        return
    for code, upper in renames.items():
        warn(
            "status-range-case",
            trail,
            code,
            f"response key {code!r} read as the status range {upper!r}",
            f"write '{upper}' (ranges are spelt with capital X)",
        )
    rebuilt = {renames.get(code, code): value for code, value in responses.items()}
    responses.clear()
    responses.update(rebuilt)
