"""Words for methods: verbs, singulars, and the names operationIds and summaries carry.

Paths say where a method lives; the spec's operationId often says better what it does
(`createThreadAndRun` on `threads` → `create_and_run`) and, Azure-style (`Machines_ListByWorkspace`)
or GitHub-style (`repos/list-for-org`), which group it belongs to. Placement
(`sdkforge.apimodel.surface`) weighs these; this module only reads the words. Words that
no person chooses (numbers, hashes) never make a name.
"""

from __future__ import annotations

import re

from sdkforge.apimodel import naming

# Single words that name an action rather than a thing: a literal leaf segment spelling one
# is a method (`/fine_tuning/alpha/graders/run` → `graders.run`), not a sub-resource.
VERBS = frozenset(
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

CRUD_SYNONYMS = {
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
STOPWORDS = frozenset(
    "a an the of for to by in on with and or from its their this that".split()  # noqa: SIM905
)


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


def is_verb(segment: str) -> bool:
    """A segment that is a single action word (`run`, `cancel`), not a thing (`runs`)."""
    return segment.lower() in VERBS


LEAF_CRUD = frozenset(
    {"list", "get", "fetch", "show", "retrieve", "create", "delete", "remove", "update"}
)
"""Literal segments that are the method itself wherever they end a path (`/ipfs/pin/list`
→ `ipfs.pin.list`, never `ipfs.pin.list.list`)."""


def leaf_verb(segment: str, method: str, has_args: bool) -> str:
    """The method name a verb segment ending a path gives (`get` → `retrieve`; `list`
    followed by an id on a GET: `retrieve`)."""
    word = segment.lower()
    if word == "list" and has_args and method == "get":
        return "retrieve"
    if word in ("get", "fetch", "show", "retrieve"):
        return "retrieve"
    return naming.attr_name(segment)


def resource_words(trail: tuple[str, ...]) -> set[str]:
    words = {w.lower() for part in trail for w in naming.words(part)}
    return words | {singular(w) for w in words}


_MACHINE_WORD = re.compile(r"^(\d+|(?=[0-9a-f]*\d)[0-9a-f]{6,})$", re.IGNORECASE)


def human_words(text: str) -> list[str]:
    """`text`'s words without numbers and hashes (`zone-0-get` → zone, get)."""
    return [w for w in naming.words(text) if not _MACHINE_WORD.match(w)]


def from_operation_id(operation_id: str, trail: tuple[str, ...]) -> str:
    """The operationId's words without the resource's (`createThreadAndRun` on `threads`
    → `create_and_run`); "" when nothing is left."""
    noise = resource_words(trail)
    kept = [
        w
        for w in human_words(operation_id)
        if w.lower() not in noise and singular(w) not in noise and not w[0].isdigit()
    ]
    if len(kept) == 1 and kept[0].lower() in CRUD_SYNONYMS:
        return CRUD_SYNONYMS[kept[0].lower()]
    return naming.attr_name(" ".join(kept)) if kept else ""


def from_summary(summary: str, trail: tuple[str, ...]) -> str:
    noise = resource_words(trail) | STOPWORDS
    kept = [w for w in human_words(summary) if w.lower() not in noise][:3]
    return naming.attr_name(" ".join(kept)) if kept else ""


def mentions(name: str, segment: str) -> bool:
    """Whether a name spells the segment's word (`create_and_run` mentions `runs`)."""
    target = {singular(w) for w in naming.words(segment)}
    return bool(target) and target <= {singular(w) for w in naming.words(name)}


_GROUPED = re.compile(r"^([A-Z][A-Za-z0-9]*)_([A-Z][A-Za-z0-9]*)$")


def grouped(operation_id: str, path_words: set[str]) -> tuple[str, str] | None:
    """`(group, method)` from an Azure-style operationId (`Machines_ListByWorkspace` →
    `machines`, `list_by_workspace`), when its group is a word of the path (the path owns
    it); None otherwise."""
    m = _GROUPED.match(operation_id)
    if m is None:
        return None
    group, action = m.groups()
    gwords = [singular(w) for w in human_words(group)]
    if not gwords or not set(gwords) <= path_words:
        return None
    awords = human_words(action)
    if not awords:
        return None
    if len(awords) == 1 and awords[0].lower() in CRUD_SYNONYMS:
        return naming.attr_name(group), CRUD_SYNONYMS[awords[0].lower()]
    return naming.attr_name(group), naming.attr_name(" ".join(awords))
