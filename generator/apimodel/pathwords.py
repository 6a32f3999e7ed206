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

import functools
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

_EXTENSION = re.compile(
    r"(?<=[\w}])\.(json|xml|ya?ml|csv|txt|html?|php|aspx?|jsp|pdf|png|jpe?g|gif|svg|atom|rss|zip)$",
    re.IGNORECASE,
)

SCOPES = frozenset({"subscriptions", "resourcegroups", "tenants", "managementgroups"})
"""Collections that only scope what follows them (Azure Resource Manager's ids): a leading
`scope/{id}` pair is an argument, never a resource, while something follows it."""
_PROVIDERS = "providers"
"""`providers/Microsoft.Compute`: the resource provider's namespace, a scope too."""


_VERSION = re.compile(r"^v?(\d+)(?:[._]0)*$", re.IGNORECASE)
_ACTION_KEYS = frozenset({"action", "x-amz-target", "operation", "method"})
"""Query or fragment keys whose value names the operation (`/#X-Amz-Target=Svc.DetectSyntax`,
`/?Action=DescribeInstances`, Flickr's `/rest?method=flickr.favorites.getContext`): AWS
puts many operations on one path this way."""


def segments(path: str) -> tuple[list[Segment], list[tuple[str, str]]]:
    """Path segments, and the `?key=value` (or `#key=value`) flags some specs put in path
    keys (`/responses?beta=true`: another operation on the same path, under `beta`). A
    key whose value is a `{parameter}` is a parameter, not a flag: it names nothing."""
    segs, flags = _segments(path)
    return list(segs), list(flags)


@functools.lru_cache(maxsize=16384)  # placement reads each path key more than once
def _segments(path: str) -> tuple[tuple[Segment, ...], tuple[tuple[str, str], ...]]:
    path, _, fragment = path.partition("#")
    path, _, query = path.partition("?")
    parts = [*query.split("&"), *fragment.split("&")]
    flags = [
        (k, v)
        for k, _, v in (part.partition("=") for part in parts)
        if k and "{" not in k + v and naming.words(k)
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
        if "{" in raw:
            out.append(Segment(_EXTENSION.sub("", raw), True))  # `{Sid}.json`: the id
            continue
        version = _VERSION.match(raw) if raw[:1] in "vV" else None
        text = f"v{version.group(1)}" if version else _human(_EXTENSION.sub("", raw))
        out.append(Segment(text or raw, not text))
    return tuple(out), tuple(flags)


def _human(text: str) -> str:
    """A literal segment's words without numbers and hashes (`2017_boulder_expenditures` →
    `boulder_expenditures`); "" when nothing is left (`/account/1/...`: an id)."""
    if _MACHINE.match(text):
        return ""
    kept = [w for w in naming.words(text) if not _MACHINE.match(w)]
    if not kept:
        return ""
    if kept == naming.words(text):
        return text
    return "_".join(kept)


def flag_names(flags: list[tuple[str, str]]) -> tuple[list[str], str]:
    """What the flags of a path key name: resource words (`beta=true` → `beta`,
    `kind=full` → `kind full`), and the operation an action key names (`Svc_2017.Detect` →
    `Detect`). Values holding numbers (`Version=2016-11-15`) name nothing."""
    words: list[str] = []
    action = ""
    for k, v in flags:
        if k.lower() in _ACTION_KEYS:
            action = v.rsplit(".", 1)[-1]
        elif v.lower() in ("true", "1", ""):
            words.append(k)
        elif not any(ch.isdigit() for ch in v) and naming.words(v):
            words.append(f"{k} {v}")
    return words, action


def unscoped(segs: list[Segment]) -> list[Segment]:
    """The segments without scoping pairs (`subscriptions/{id}`, `resourceGroups/{name}`,
    `providers/Microsoft.Web`), wherever they stand; a pair is kept when no literal segment
    would be left after it to name the resource."""
    out: list[Segment] = []
    i = 0
    while i < len(segs):
        head = segs[i]
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        word = head.text.lower().replace("-", "").replace("_", "")
        scoping = (
            nxt is not None
            and not head.param
            and (nxt.param if word in SCOPES else word == _PROVIDERS and "." in nxt.text)
        )
        if scoping and any(not s.param for s in segs[i + 2 :]):
            i += 2
            continue
        out.append(head)
        i += 1
    return out
