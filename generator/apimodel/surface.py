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

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sdkforge.apimodel import naming
from sdkforge.apimodel.opnames import (
    CRUD_SYNONYMS,
    LEAF_CRUD,
    VERBS,
    from_operation_id,
    from_summary,
    grouped,
    human_words,
    is_verb,
    leaf_verb,
    mentions,
    singular,
)
from sdkforge.apimodel.pathwords import Segment, flag_names, segments, unscoped
from sdkforge.diagnostics import Diagnostic, warning

__all__ = ["MAX_DEPTH", "Endpoint", "Trail", "from_extensions", "place", "singular"]

Trail = tuple[str, ...]

_PREFIX = re.compile(
    r"^(api|apis|rest|latest|v\d+([._-]?\d+)*([._-]?(alpha|beta|preview)\d*)?|\d+(\.\d+)*"
    r"|\d{4}-\d{2}-\d{2})$",
    re.IGNORECASE,
)
"""Leading segments that only version or mount an API; dropped when every path has them."""

MAX_DEPTH = 5
"""No method sits more than this many resources below the client unless the config or an
extension puts it there: deeper trails keep their first four resources and their last."""

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
class _Claim:
    """An endpoint's wish for a name in one resource, with its fallbacks and rank."""

    index: int
    trail: Trail
    candidates: tuple[str, ...]
    rank: tuple[object, ...]
    more: tuple[_Later, ...] = ()
    """Fallback names, worked out only when the candidates are taken."""


def place(
    endpoints: list[Endpoint], name: str = "root"
) -> tuple[list[tuple[Trail, str]], list[Diagnostic]]:
    """`(resource trail, method name)` for every endpoint, in the same order; `name` (the
    API's) holds what no path, tag or prefix names (AWS's `/#X-Amz-Target=Svc.Action`)."""
    parsed = [segments(e.path) for e in endpoints]
    prefix = _shared_prefix([segs for segs, _ in parsed])
    root = _word(parsed[0][0][prefix - 1].text) if prefix else _word(name)
    # Scoping chains (`/subscriptions/{id}/resourceGroups/{name}/providers/Microsoft.X`) are
    # arguments, never resources.
    paths = [unscoped(segs[prefix:]) for segs, _ in parsed]
    shapes = _Shapes(paths, endpoints, root)
    claims: list[_Claim] = []
    for i, (e, segs, (_, flags)) in enumerate(zip(endpoints, paths, parsed, strict=True)):
        if e.fixed is not None:
            claims.append(_Claim(i, e.fixed[0], (e.fixed[1],), (0, e.path, e.method)))
            continue
        words, action = flag_names(flags)
        trail, found, shape = shapes.infer(e, segs)
        if action:  # `/#X-Amz-Target=Comprehend_20171127.DetectSyntax` → `detect_syntax`
            found, shape = (action, f"{e.method} {action}", *found), (0, 0)
        # Every candidate is made a valid, non-reserved name (`import` → `import_`).
        candidates = tuple(dict.fromkeys(_word(c) for c in found if isinstance(c, str)))
        more = tuple(c for c in found if isinstance(c, _Later))
        trail = _tidy((*(_word(w) for w in words), *trail))
        if trail and candidates[0] == trail[-1]:
            # `batch.batch`, `search.search`: the method takes the HTTP method's verb.
            candidates = (_crud_verb(e), *candidates)
        if e.group is not None:
            trail = e.group
        # Named claims (config, extensions) first; then canonical shapes, then the HTTP
        # method, then a path without query flags, then the path itself.
        if e.name:
            claims.append(_Claim(i, trail, (e.name, *candidates), (1, e.path, e.method), more))
        else:
            rank = (2, *shape, bool(words), e.path, e.method)
            claims.append(_Claim(i, trail, candidates, rank, more))
    return _settle(claims, endpoints)


def _tidy(trail: Trail) -> Trail:
    """A trail without a part repeating its parent (`a.a`), at most MAX_DEPTH deep."""
    out: list[str] = []
    for part in trail:
        words = part.split("_")
        half = len(words) // 2
        if half and words[:half] == words[half:]:
            part = "_".join(words[:half])  # `project_project` → `project`
        if not out or out[-1] != part:
            out.append(part)
    if len(out) > MAX_DEPTH:
        # The first resources and the last ones, never a part beside its double.
        cuts = ([*out[:k], *out[len(out) - MAX_DEPTH + k :]] for k in range(MAX_DEPTH - 1, 0, -1))
        out = next(
            (c for c in cuts if all(a != b for a, b in itertools.pairwise(c))), out[:MAX_DEPTH]
        )
    return tuple(out)


def _shared_prefix(all_segments: list[list[Segment]]) -> int:
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


def _key(segs: Iterable[Segment]) -> tuple[str, ...]:
    return tuple("{}" if s.param else s.text.lower() for s in segs)


def _word(segment: str) -> str:
    """A segment as a resource or method name (`fine-tuning` → `fine_tuning`)."""
    return naming.attr_name(segment)


class _Shapes:
    """What the set of paths says about each segment: has it items (`/x/{id}`), does
    anything continue below it, which methods does a path offer."""

    def __init__(
        self, paths: list[list[Segment]], endpoints: list[Endpoint], root: str = "root"
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
        self, e: Endpoint, segs: list[Segment]
    ) -> tuple[Trail, tuple[str | _Later, ...], tuple[object, ...]]:
        """Trail, name candidates (best first) and precedence rank, from the path alone."""
        literals = tuple(_word(s.text) for s in segs if not s.param)
        if not literals:
            literals = self._unnamed(e)
        key = _key(segs)
        method = e.method
        rank = _METHOD_RANK.get(method, 9)
        words = {singular(w) for s in segs if not s.param for w in naming.words(s.text)}
        group = grouped(e.operation_id, words)
        if group is not None:
            # Azure-style `Machines_ListByWorkspace`: the group its own SDKs use; an action
            # that only repeats the group (`Search_Search`) takes the HTTP method's verb.
            name = group[1]
            if singular(name) == singular(group[0]):
                name = _item_verb(e) if segs and segs[-1].param else _crud_verb(e)
            return (group[0],), (name, _Later(e, group[:1])), (0, rank)
        fallbacks = _Later(e, literals)
        last_literal = max((i for i, s in enumerate(segs) if not s.param), default=-1)
        if last_literal >= 1 and len(literals) >= 2 and not segs[last_literal].action:
            text = segs[last_literal].text
            has_args = last_literal < len(segs) - 1
            if text.lower() in LEAF_CRUD or (has_args and is_verb(text)):
                # `/ipfs/pin/list` → `ipfs.pin.list`, `/ipfs/pin/add/{path}` → `ipfs.pin.add`.
                name = leaf_verb(text, method, has_args)
                return literals[:-1], (name, _Later(e, literals[:-1])), (1, rank)
        if segs and segs[-1].param:
            return literals, (_item_verb(e), fallbacks), (0, _METHOD_RANK.get(method, 9))
        if segs and segs[-1].action:
            parent = literals[:-1] or self._unnamed(e)
            return parent, (_word(segs[-1].text), fallbacks), (1, _METHOD_RANK.get(method, 9))
        if len(segs) >= 2 and not (self.has_items(key) or self.extends(key)):
            last, before = segs[-1], segs[-2]
            many = len(self._methods.get(key, ())) > 1
            action = _word(last.text)
            if before.param:
                # After an item: a sub-collection, or an action on the item.
                if not many and not (method == "get" and e.lists):
                    parent = literals[:-1] or self._unnamed(e)
                    return parent, (action, _Later(e, parent)), (1, rank)
            elif not many and (is_verb(last.text) or self.has_items(key[:-1])):
                # After a collection with items (`/threads/runs`), or a verb (`/graders/run`):
                # an action on the parent, named by the operation when the segment is a noun.
                parent = literals[:-1] or self._unnamed(e)
                named = from_operation_id(e.operation_id, parent)
                noun = not is_verb(last.text)
                first = named if noun and named and mentions(named, last.text) else action
                return parent, (first, fallbacks), (1, _METHOD_RANK.get(method, 9))
        primary = _crud_verb(e)
        return literals, (primary, fallbacks), (0, _METHOD_RANK.get(method, 9))


_OTHER_VERBS = {"head": "exists", "options": "options", "trace": "trace"}


def _crud_verb(e: Endpoint) -> str:
    verbs = {"get": "list" if e.lists else "retrieve", "post": "create", "delete": "delete"}
    return verbs.get(e.method) or _OTHER_VERBS.get(e.method, "update")


def _item_verb(e: Endpoint) -> str:
    """The verb for an operation on one item; a POST or PUT the spec names with a verb of
    its own (`cancelEvalRun`) keeps it rather than becoming `update`."""
    if e.method == "get" and e.lists:
        return "list"  # `/repositories/{username}`: a user's repositories
    verb = {"get": "retrieve", "delete": "delete", "patch": "update", **_OTHER_VERBS}.get(e.method)
    if verb:
        return verb
    first = [w.lower() for w in naming.words(e.operation_id or e.summary)[:1]]
    if first and first[0] in VERBS and first[0] not in CRUD_SYNONYMS:
        return first[0]
    if first == ["create"] and e.method == "post":
        return "create"  # a POST that makes something inside the item (`/dirs/{path}`)
    return "update"


@dataclass(frozen=True)
class _Later:
    """An endpoint's fallback names in a trail, worked out only when needed (most names
    are free: on a 20,000-operation spec this is most of placement's time)."""

    e: Endpoint
    trail: Trail

    def names(self) -> tuple[str, ...]:
        return _fallbacks(self.e, self.trail)


def _fallbacks(e: Endpoint, trail: Trail) -> tuple[str, ...]:
    """Names to fall back on when the path's name is taken: from the operationId, from the
    summary, and last the method and the path's words (never a number or a hash)."""
    out = ["replace"] if e.method == "put" else []
    out += [
        n for n in (from_operation_id(e.operation_id, trail), from_summary(e.summary, trail)) if n
    ]
    segs = segments(e.path)[0]
    noise = {w.lower() for part in trail for w in naming.words(part)}
    named = [w for s in segs if not s.param for w in human_words(s.text) if w.lower() not in noise]
    ids = [w for s in segs if s.param for w in human_words(s.text)]
    if ids:  # `parameters_by_tx_hash`, `list_by_tx_hash`
        head = named or [_crud_verb(e)]
        out.append(naming.attr_name(" ".join([*head, "by", *ids])))
    every = [w for s in segs for w in human_words(s.text)]
    out.append(naming.attr_name(" ".join([e.method, *every])))
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
        if c.candidates[0] not in space:
            name = space.claim(c.candidates[0])
        else:
            later = (_word(n) for m in c.more for n in m.names())
            name = space.claim(*dict.fromkeys((*c.candidates, *later)))
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
