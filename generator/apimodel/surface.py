"""The SDK surface: where each operation lives (`client.a.b`) and what its method is called.

Users meet these names first, so they follow the best hand-tuned SDKs rather than the
spec's operationIds: path segments become nested resources (`/chat/completions` →
`client.chat.completions`, `/threads/{thread_id}/runs` → `client.threads.runs`), a prefix
every path shares (`/api`, `/v1`) is dropped, and methods get the verbs users know:
`list` / `create` on a collection, `retrieve` / `update` / `delete` on an item, the
segment's own verb for an action (`/batches/{batch_id}/cancel` → `batches.cancel`).

What is decided, in order of authority:
1. the config's `operations:` map (`"POST /videos/edits": videos.edit`);
2. names the spec already carries for other generators (`x-sdkforge-resource` /
   `x-sdkforge-method`, `x-fern-sdk-group-name` / `x-fern-sdk-method-name`,
   `x-speakeasy-group` / `x-speakeasy-name-override`);
3. the path (tags only where the path has no literal segment);
then the config's `resources:` moves and `methods:` renames, which name the default
accessors (what 1-3 give), are applied (`sdkforge.apimodel.moves`).

Names are a function of each operation's own method and path plus the set of paths in
the spec; collisions are settled by a fixed precedence (canonical shapes first, then
the HTTP method, then the path), never by the order operations appear in, and the loser
falls back to a name from its operationId or summary. So adding an operation to a spec
renames an existing method only when the new one has the better claim to the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sdkforge.apimodel import naming
from sdkforge.diagnostics import Diagnostic, warning

Trail = tuple[str, ...]

_PREFIX = re.compile(
    r"^(api|apis|rest|latest|v\d+([._-]?\d+)*([._-]?(alpha|beta|preview)\d*)?|\d+(\.\d+)+)$",
    re.IGNORECASE,
)
"""Leading segments that only version or mount an API; dropped when every path has them."""

# Single words that name an action rather than a thing: a literal leaf segment spelling one
# is a method (`/fine_tuning/alpha/graders/run` → `graders.run`), not a sub-resource.
_VERBS = frozenset(
    """
abort accept activate add approve archive assign attach authenticate authorize block
cancel check checkout claim clone close commit compact complete confirm connect copy
count decline deactivate decrypt deny deploy detach disable disconnect dismiss download
duplicate enable encrypt end estimate evaluate execute expire export fork generate grant
hide import invite invoke join kill leave link lock login logout mark merge move mute
pause ping preview promote publish purge query reactivate read rebuild redeploy redo
refresh refund regenerate register reject release reload remix render reopen reorder
replay reply report request rerun reset resolve restart restore resume retry revert
revoke rollback rotate run schedule search send share sign signin signout simulate
snooze sort split start stop submit subscribe suspend sync test toggle transfer
translate trigger unarchive unassign unblock undo unfollow uninstall unlink unlock
unmute unpublish unshare unstar unsubscribe unsuspend unwatch update upgrade upload
validate verify void vote watch
""".split()  # noqa: SIM905 (a word list reads best as words)
)

_CRUD_SYNONYMS = {
    "get": "retrieve",
    "fetch": "retrieve",
    "read": "retrieve",
    "retrieve": "retrieve",
    "show": "retrieve",
    "list": "list",
    "create": "create",
    "modify": "update",
    "update": "update",
    "patch": "update",
    "delete": "delete",
    "remove": "delete",
}
_STOPWORDS = frozenset(
    "a an the of for to by in on with and or from its their this that".split()  # noqa: SIM905
)

# Precedence of HTTP methods when two operations want one name (lower wins).
_METHOD_RANK = {"get": 0, "patch": 1, "post": 2, "put": 3, "delete": 4}


@dataclass(frozen=True)
class Endpoint:
    """One operation as naming sees it: where it is, what the spec says of its name."""

    method: str
    path: str
    pointer: str
    operation_id: str = ""
    summary: str = ""
    tag: str = ""
    lists: bool = False
    """Its success response is a list (an array, or an object around one)."""
    group: Trail | None = None
    """Resource trail the spec gives through an extension."""
    name: str = ""
    """Method name the spec gives through an extension."""
    fixed: tuple[Trail, str] | None = None
    """`(trail, name)` from the config's `operations:` map: taken as is."""


@dataclass(frozen=True)
class _Segment:
    text: str
    param: bool
    action: bool = False
    """A Google-style custom method (`{name}:cancel`): always a method, never a resource."""


@dataclass(frozen=True)
class _Claim:
    """An endpoint's wish for a name in one resource, with its fallbacks and rank."""

    index: int
    trail: Trail
    candidates: tuple[str, ...]
    rank: tuple[object, ...]


def place(endpoints: list[Endpoint]) -> tuple[list[tuple[Trail, str]], list[Diagnostic]]:
    """`(resource trail, method name)` for every endpoint, in the same order."""
    parsed = [_segments(e.path) for e in endpoints]
    prefix = _shared_prefix([segs for segs, _ in parsed])
    root = _word(parsed[0][0][prefix - 1].text) if prefix else "root"
    shapes = _Shapes([segs[prefix:] for segs, _ in parsed], endpoints, root)
    claims: list[_Claim] = []
    for i, (e, (segs, flags)) in enumerate(zip(endpoints, parsed, strict=True)):
        if e.fixed is not None:
            claims.append(_Claim(i, e.fixed[0], (e.fixed[1],), (0, e.path, e.method)))
            continue
        trail, found, shape = shapes.infer(e, segs[prefix:])
        # Every candidate is made a valid, non-reserved name (`import` → `import_`).
        candidates = tuple(dict.fromkeys(_word(c) for c in found))
        words = (k if v.lower() in ("true", "1", "") else f"{k} {v}" for k, v in flags)
        trail = (*(_word(w) for w in words), *trail)
        if e.group is not None:
            trail = e.group
        # Named claims (config, extensions) first; then canonical shapes, then the HTTP
        # method, then a path without query flags, then the path itself.
        if e.name:
            claims.append(_Claim(i, trail, (e.name, *candidates), (1, e.path, e.method)))
        else:
            rank = (2, *shape, bool(flags), e.path, e.method)
            claims.append(_Claim(i, trail, candidates, rank))
    return _settle(claims, endpoints)


def _segments(path: str) -> tuple[list[_Segment], list[tuple[str, str]]]:
    """Path segments, and the `?key=value` flags some specs put in path keys
    (`/responses?beta=true`: another operation on the same path, under `beta`)."""
    path, _, query = path.partition("?")
    flags = [(k, v) for k, _, v in (part.partition("=") for part in query.split("&")) if k]
    out: list[_Segment] = []
    for raw in path.split("/"):
        if not raw:
            continue
        # Google-style custom methods: `{name}:cancel` is the item, then the action.
        head, colon, verb = raw.rpartition(":")
        if colon and head and re.fullmatch(r"[A-Za-z]\w*", verb):
            out.append(_Segment(head, "{" in head))
            out.append(_Segment(verb, False, action=True))
        else:
            out.append(_Segment(raw, "{" in raw))
    return out, flags


def _shared_prefix(all_segments: list[list[_Segment]]) -> int:
    """How many leading segments every path shares and only version or mount the API.

    A path that is the prefix itself (`/api/`, the API's root) does not stop it, as long
    as some path goes on past it."""
    n = 0
    while all_segments and all(len(segs) > n for segs in all_segments):
        heads = {segs[n].text.lower() for segs in all_segments}
        if len(heads) != 1 or not _PREFIX.match(heads.pop()):
            break
        if all(len(segs) == n + 1 for segs in all_segments):
            break  # nothing would be left of any path
        n += 1
    return n


def _key(segs: Iterable[_Segment]) -> tuple[str, ...]:
    return tuple("{}" if s.param else s.text.lower() for s in segs)


def _word(segment: str) -> str:
    """A segment as a resource or method name (`fine-tuning` → `fine_tuning`)."""
    return naming.attr_name(segment)


def singular(word: str) -> str:
    """`batches` → `batch`, `entries` → `entry`, `status` → `status` (a good guess, no more)."""
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "os")) and len(w) > 3:
        return w[:-1]
    return w


def _plural(word: str) -> bool:
    last = naming.words(word)[-1:] or [""]
    return singular(last[0]) != last[0].lower()


class _Shapes:
    """What the set of paths says about each segment: has it items (`/x/{id}`), does
    anything continue below it, which methods does a path offer."""

    def __init__(
        self, paths: list[list[_Segment]], endpoints: list[Endpoint], root: str = "root"
    ) -> None:
        self.root = root
        self._keys = {_key(segs) for segs in paths}
        self._prefixes: set[tuple[str, ...]] = set()
        for key in self._keys:
            self._prefixes.update(key[:i] for i in range(1, len(key)))
        self._methods: dict[tuple[str, ...], set[str]] = {}
        for segs, e in zip(paths, endpoints, strict=True):
            self._methods.setdefault(_key(segs), set()).add(e.method)

    def _unnamed(self, e: Endpoint) -> Trail:
        """Where the path names no resource (`/{slug}`, `/{name}:cancel`): the tag, else
        the dropped prefix (`/api/` → `api`), else `root`."""
        return (_word(e.tag) if naming.words(e.tag) else self.root,)

    def has_items(self, key: tuple[str, ...]) -> bool:
        return (*key, "{}") in self._keys or (*key, "{}") in self._prefixes

    def extends(self, key: tuple[str, ...]) -> bool:
        return key in self._prefixes

    def infer(
        self, e: Endpoint, segs: list[_Segment]
    ) -> tuple[Trail, tuple[str, ...], tuple[object, ...]]:
        """Trail, name candidates (best first) and precedence rank, from the path alone."""
        literals = tuple(_word(s.text) for s in segs if not s.param)
        if not literals:
            literals = self._unnamed(e)
        key = _key(segs)
        method = e.method
        fallbacks = _fallbacks(e, literals)
        if segs and segs[-1].param:
            return literals, (_item_verb(e), *fallbacks), (0, _METHOD_RANK.get(method, 9))
        if segs and segs[-1].action:
            parent = literals[:-1] or self._unnamed(e)
            return parent, (_word(segs[-1].text), *fallbacks), (1, _METHOD_RANK.get(method, 9))
        if len(segs) >= 2 and not (self.has_items(key) or self.extends(key)):
            last, before = segs[-1], segs[-2]
            many = len(self._methods.get(key, ())) > 1
            action = _word(last.text)
            if before.param:
                # After an item: a sub-collection, or an action on the item.
                if not many and not (method == "get" and e.lists):
                    parent = literals[:-1] or self._unnamed(e)
                    return parent, (action, *fallbacks), (1, _METHOD_RANK.get(method, 9))
            elif not many and (_is_verb(last.text) or self.has_items(key[:-1])):
                # After a collection with items (`/threads/runs`), or a verb (`/graders/run`):
                # an action on the parent, named by the operation when the segment is a noun.
                parent = literals[:-1] or self._unnamed(e)
                named = _from_operation_id(e.operation_id, parent)
                noun = not _is_verb(last.text)
                first = named if noun and named and _mentions(named, last.text) else action
                return parent, (first, *fallbacks), (1, _METHOD_RANK.get(method, 9))
        verb = {"get": "list" if e.lists else "retrieve", "post": "create", "delete": "delete"}
        primary = verb.get(method) or _OTHER_VERBS.get(method, "update")
        return literals, (primary, *fallbacks), (0, _METHOD_RANK.get(method, 9))


_OTHER_VERBS = {"head": "exists", "options": "options", "trace": "trace"}


def _is_verb(segment: str) -> bool:
    """A segment that is a single action word (`run`, `cancel`), not a thing (`runs`)."""
    return segment.lower() in _VERBS


def _item_verb(e: Endpoint) -> str:
    """The verb for an operation on one item; a POST or PUT the spec names with a verb of
    its own (`cancelEvalRun`) keeps it rather than becoming `update`."""
    if e.method == "get" and e.lists:
        return "list"  # `/repositories/{username}`: a user's repositories
    verb = {"get": "retrieve", "delete": "delete", "patch": "update", **_OTHER_VERBS}.get(e.method)
    if verb:
        return verb
    first = [w.lower() for w in naming.words(e.operation_id or e.summary)[:1]]
    if first and first[0] in _VERBS and first[0] not in _CRUD_SYNONYMS:
        return first[0]
    if first == ["create"] and e.method == "post":
        return "create"  # a POST that makes something inside the item (`/dirs/{path}`)
    return "update"


def _resource_words(trail: Trail) -> set[str]:
    words = {w.lower() for part in trail for w in naming.words(part)}
    return words | {singular(w) for w in words}


def _from_operation_id(operation_id: str, trail: Trail) -> str:
    """The operationId's words without the resource's (`createThreadAndRun` on `threads`
    → `create_and_run`); "" when nothing is left."""
    noise = _resource_words(trail)
    kept = [
        w for w in naming.words(operation_id) if w.lower() not in noise and singular(w) not in noise
    ]
    if len(kept) == 1 and kept[0].lower() in _CRUD_SYNONYMS:
        return _CRUD_SYNONYMS[kept[0].lower()]
    return naming.attr_name(" ".join(kept)) if kept else ""


def _mentions(name: str, segment: str) -> bool:
    """Whether a name spells the segment's word (`create_and_run` mentions `runs`)."""
    target = {singular(w) for w in naming.words(segment)}
    return bool(target) and target <= {singular(w) for w in naming.words(name)}


def _fallbacks(e: Endpoint, trail: Trail) -> tuple[str, ...]:
    """Names to fall back on when the path's name is taken: from the operationId, from the
    summary, and last the method and path, which always differ."""
    out = ["replace"] if e.method == "put" else []
    named = _from_operation_id(e.operation_id, trail)
    if named:
        out.append(named)
    noise = _resource_words(trail) | _STOPWORDS
    summary = [w for w in naming.words(e.summary) if w.lower() not in noise][:3]
    if summary:
        out.append(naming.attr_name(" ".join(summary)))
    out.append(naming.attr_name(f"{e.method} {e.path}"))
    return tuple(out)


def _settle(
    claims: list[_Claim], endpoints: list[Endpoint]
) -> tuple[list[tuple[Trail, str]], list[Diagnostic]]:
    """Hand out names resource by resource, best claim first; child resources keep their
    names, so a method never shadows one."""
    children: dict[Trail, set[str]] = {}
    for c in claims:
        for i in range(1, len(c.trail)):
            children.setdefault(c.trail[:i], set()).add(c.trail[i])
    spaces: dict[Trail, naming.Namespace] = {}
    out: list[tuple[Trail, str]] = [((), "")] * len(claims)
    diagnostics: list[Diagnostic] = []
    for c in sorted(claims, key=lambda c: (c.trail, c.rank, c.index)):
        space = spaces.get(c.trail)
        if space is None:
            taken = children.get(c.trail, set()) | naming.RESERVED_METHODS
            space = spaces[c.trail] = naming.Namespace(taken)
        name = space.claim(*c.candidates)
        if name != c.candidates[0] and c.rank[0] in (0, 1):
            # A name the config or an extension asked for: say it could not be had.
            e = endpoints[c.index]
            diagnostics.append(
                warning(
                    f"{'.'.join((*c.trail, c.candidates[0]))} is taken (a child resource or "
                    f"another operation); {e.method.upper()} {e.path} is {name!r}",
                    pointer=e.pointer,
                    hint="name it with x-sdkforge-method or the config's operations: map",
                )
            )
        out[c.index] = (c.trail, name)
    return out, diagnostics


def from_extensions(op: Mapping[str, object]) -> tuple[Trail | None, str]:
    """The resource trail and method name an operation's vendor extensions give, ours
    first (`x-sdkforge-resource: beta.threads`, `x-sdkforge-method: create_and_run`)."""
    group: Trail | None = None
    for key in ("x-sdkforge-resource", "x-fern-sdk-group-name", "x-speakeasy-group"):
        value = op.get(key)
        parts = value if isinstance(value, list) else str(value).split(".") if value else []
        names = tuple(_word(str(p)) for p in parts if naming.words(str(p)))
        if names:
            group = names
            break
    name = ""
    for key in ("x-sdkforge-method", "x-fern-sdk-method-name", "x-speakeasy-name-override"):
        value = op.get(key)
        if isinstance(value, str) and naming.words(value):
            name = _word(value)
            break
    return group, name
