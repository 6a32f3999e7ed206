"""Smoke tests for a generated client: one call per operation with values the spec accepts.

`sdkforge generate --tests` writes a pytest suite into the generated project that calls
every operation against a Prism mock of the same spec run with `--errors`, so any request
the client builds wrongly (path, query style, body encoding, content type, auth) comes back
as a 4xx naming the violation. For that the arguments must be *valid*, not just well-typed:
the docs' examples (`docs.Examples.request`) are the shortest values of the right type,
which a validating server rejects as soon as a schema has a format, a minimum or a length.
`SmokeValues` refines exactly those leaves and reuses the docs' walk for everything else
(models, unions, recursion). All decisions live here; the templates only lay out text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sdkforge.apimodel import naming
from sdkforge.apimodel.ir import Api, Operation, Parameter, TypeRef
from sdkforge.codegen.examples import _FORMAT_EXAMPLES, Examples, accessor
from sdkforge.codegen.pyexpr import py_str, py_value

FILE_VALUE = 'b"sdkforge smoke test"'
"""Files are small in-memory bytes: every `FileTypes` form ends as the same multipart part."""

# Formats beyond the docs' ones that validators (ajv-formats, used by Prism) check.
_MORE_FORMATS = {
    "uri-reference": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "time": "18:11:19Z",
    "byte": "c21va2U=",
    "duration": "P1D",
}
_PATH_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
# Tried in order against a `pattern`; the first full match wins.
_PATTERN_CANDIDATES = ("x", "abc", "a1", "1", "A", "x-1", "x_1", "abc123", "ABC", "0")


class SmokeValues(Examples):
    """`Examples` whose request values also satisfy formats and validation keywords.

    Only the leaves differ from the docs: strings honour format, length and pattern,
    numbers their bounds, arrays their item counts, maps are sent empty (a key the docs
    would invent may be forbidden). Objects still carry their required fields only, and
    unions still pick the docs' member, so both stay short and predictable.
    """

    def request(self, t: TypeRef, trail: tuple[str, ...] = ()) -> str:
        """A Python expression for `t` that a validating server accepts."""
        if t.kind == "str":
            return py_str(string_value(t))
        if t.kind in ("int", "float"):
            return number_value(t)
        if t.kind == "bool":
            return "True"
        if t.kind == "file":
            return FILE_VALUE
        if t.kind == "map":
            return "{}"
        if t.kind == "any":
            return py_str("x")
        if t.kind == "list":
            if self._cyclic(t.items[0], trail):
                return "[]"
            lo, hi = _bound(t, "minItems", 1), _limit(t, "maxItems")
            count = max(1, lo) if hi is None else min(max(1, lo), hi)
            return "[" + ", ".join([self.request(t.items[0], trail)] * count) + "]"
        return super().request(t, trail)

    def path_value(self, p: Parameter) -> str:
        """A path parameter: the synthesized value when it is URL-safe, else plain letters.

        Path values should never depend on percent-encoding to reach the right route, so a
        free-form value (a URI, a date-time with `:`) becomes `x`s of a valid length.
        """
        expr = self.request(p.type)
        t = p.type
        if t.kind == "str" and not _PATH_SAFE.fullmatch(string_value(t)):
            return py_str("x" * max(1, _bound(t, "minLength", 1)))
        return expr


def string_value(t: TypeRef) -> str:
    """A string of `t`'s format that meets its length bounds and pattern when it can.

    A format wins (its example is what the validator parses); otherwise `x` repeated to
    the minimum length, or the first of a few short candidates that matches the pattern.
    """
    fmt_value = _FORMAT_EXAMPLES.get(t.fmt) or _MORE_FORMATS.get(t.fmt)
    lo = max(1, _bound(t, "minLength", 1))
    hi = _limit(t, "maxLength")
    if fmt_value is not None:
        return fmt_value
    pattern = dict(t.constraints).get("pattern")
    if isinstance(pattern, str):
        for candidate in _PATTERN_CANDIDATES:
            text = candidate * -(-lo // len(candidate))
            if hi is not None:
                text = text[:hi]
            if _matches(pattern, text):
                return text
    text = "x" * lo
    return text[:hi] if hi is not None and hi >= 1 else text


def _matches(pattern: str, text: str) -> bool:
    """ECMA-262 `pattern` (unanchored, as JSON Schema says) against `text`, leniently."""
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def number_value(t: TypeRef) -> str:
    """1 (a value most bounds admit), moved into [minimum, maximum] and onto multipleOf."""
    c = _numeric(t)
    nudge = 1.0 if t.kind == "int" else 0.5
    value = 1.0
    if "minimum" in c:
        value = max(value, c["minimum"])
    if "exclusiveMinimum" in c and value <= c["exclusiveMinimum"]:
        value = c["exclusiveMinimum"] + nudge
    if "maximum" in c:
        value = min(value, c["maximum"])
    if "exclusiveMaximum" in c and value >= c["exclusiveMaximum"]:
        value = c["exclusiveMaximum"] - nudge
    step = c.get("multipleOf", 0.0)
    if step > 0:
        value = max(1, round(value / step)) * step
    return py_value(int(value) if t.kind == "int" or value == int(value) else value)


def _numeric(t: TypeRef) -> dict[str, float]:
    """The numeric constraints of `t` (3.0's boolean exclusive* flags are ignored)."""
    return {
        k: float(v)
        for k, v in t.constraints
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    }


def _bound(t: TypeRef, key: str, default: int) -> int:
    value = _numeric(t).get(key)
    return default if value is None else int(value)


def _limit(t: TypeRef, key: str) -> int | None:
    value = _numeric(t).get(key)
    return None if value is None else int(value)


@dataclass(frozen=True)
class SmokeCase:
    """One generated test: its function name, the call it makes and what it returns."""

    test_name: str
    label: str
    call: str
    args: tuple[tuple[str, str], ...]
    response_kind: str


def smoke_cases(api: Api) -> list[SmokeCase]:
    """A case per operation, in client order, with unique `test_...` names.

    Arguments are every required parameter (path, query, header, cookie, body field),
    each from `SmokeValues`; optional ones are left out so the defaults are exercised too.
    """
    values = SmokeValues(api)
    names = naming.Namespace(set())
    cases = []
    for trail, op in api.all_operations():
        label = ".".join([*(r.name for r in trail), op.name])
        base = "test_" + "_".join([*(r.name for r in trail), op.name])
        cases.append(
            SmokeCase(
                test_name=names.claim(base, base + "_" + op.http_method, base + "_op"),
                label=label,
                call=accessor(trail, op),
                args=tuple(_args(op, values)),
                response_kind=op.response.kind,
            )
        )
    return cases


def _args(op: Operation, values: SmokeValues) -> list[tuple[str, str]]:
    """Required arguments, plus body fields the schema requires of an optional body.

    The client sends `{}` for an optional body whose fields are all left out, and a
    validating server holds that `{}` to the schema's `required` list.
    """
    needed = set(op.body.schema_required) if op.body is not None else set()
    return [
        (p.name, values.path_value(p) if p.location == "path" else values.request(p.type))
        for p in op.parameters
        if p.required or (p.location == "body" and p.wire_name in needed)
    ]


def credentials(api: Api) -> list[tuple[str, str]]:
    """`(constructor argument, dummy value)` for every auth scheme's credentials."""
    out: list[tuple[str, str]] = []
    for scheme in api.security_schemes:
        for arg in scheme.args:
            if arg not in (name for name, _ in out):
                out.append((arg, py_str(f"smoke-{arg}")))
    return out


def uses_oauth2(api: Api) -> bool:
    """Client-credentials schemes need a token seeded: their token URL is not the mock."""
    return any(s.kind == "oauth2" for s in api.security_schemes)
