"""Reading a path key for names: its segments, which of them may name things, which only scope.

Surface placement (`sdkforge.apimodel.surface`) names resources after path segments, so
what a segment is decides whether a person would have chosen the name. Only literal words
name things: a query string inside a path key (`/fax/history?dateFrom={dateFrom}`) is
parameters, not names; a literal that is a number, a hash or a uuid (`/account/1/pushuri`,
`/notifications/62640817eb594da78c7bee00`) is an id baked into the path, read like a
parameter; a file extension (`/assets.json`) is the format, not the resource.

Scoping chains are runs of segments at the start of a path that only hold ids: Azure's
`/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.X/`
says whose resource it is, not what it is; its parameters stay arguments, its words never
become resources. Which words scope is a fixed list, so that adding an operation never
turns a scope into a resource or back (names stay stable as a spec grows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sdkforge.apimodel import naming


@dataclass(frozen=True)
class Segment:
    text: str
    param: bool
    action: bool = False
    """A Google-style custom method (`{name}:cancel`): always a method, never a resource."""


_MACHINE = re.compile(
    r"^(\d+|[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}"
    r"|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,})$",
    re.IGNORECASE,
)
"""A literal no person names a thing with: a number, a uuid, a hash (>= 8 hex digits)."""

_EXTENSION = re.compile(r"(?<=\w)\.(json|xml|ya?ml|csv|txt|html?|php|aspx?|jsp)$", re.IGNORECASE)

SCOPES = frozenset({"subscriptions", "resourcegroups", "tenants", "managementgroups"})
"""Collections that only scope what follows them (Azure Resource Manager's ids): a leading
`scope/{id}` pair is an argument, never a resource, while something follows it."""
_PROVIDERS = "providers"
"""`providers/Microsoft.Compute`: the resource provider's namespace, a scope too."""


def segments(path: str) -> tuple[list[Segment], list[tuple[str, str]]]:
    """Path segments, and the `?key=value` flags some specs put in path keys
    (`/responses?beta=true`: another operation on the same path, under `beta`). A query
    key whose value is a `{parameter}` is a parameter, not a flag: it names nothing."""
    path, _, query = path.partition("?")
    flags = [
        (k, v)
        for k, _, v in (part.partition("=") for part in query.split("&"))
        if k and "{" not in k + v and naming.words(k) and not _MACHINE.match(v)
    ]
    out: list[Segment] = []
    for raw in path.split("/"):
        if not raw:
            continue
        # Google-style custom methods: `{name}:cancel` is the item, then the action.
        head, colon, verb = raw.rpartition(":")
        if colon and head and re.fullmatch(r"[A-Za-z]\w*", verb):
            out.append(Segment(head, "{" in head))
            out.append(Segment(verb, False, action=True))
            continue
        text = _EXTENSION.sub("", raw) if "{" not in raw else raw
        machine = not naming.words(text) or bool(_MACHINE.match(text))
        out.append(Segment(text, "{" in raw or machine))
    return out, flags


def scope_length(segs: list[Segment]) -> int:
    """How many leading segments only scope what follows (`subscriptions/{id}`,
    `resourceGroups/{name}`, `providers/Microsoft.Web`); at least one literal segment after
    them is always left to name the resource."""
    n = 0
    while n + 1 < len(segs):
        head, nxt = segs[n], segs[n + 1]
        if head.param:
            break
        word = head.text.lower().replace("-", "").replace("_", "")
        scoping = nxt.param if word in SCOPES else word == _PROVIDERS and "." in nxt.text
        if not scoping or all(s.param for s in segs[n + 2 :]):
            break
        n += 2
    return n
