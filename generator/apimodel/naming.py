"""Identifiers: turning arbitrary spec strings into valid, stable, collision-free names.

Spec names are untrusted text (`"x; import os"`, `"class"`, `"2fa"`, `"名前"`); every name
that reaches generated code goes through here, so the rest of the pipeline can treat
names as safe. Collisions are resolved deterministically from the order callers register
names in (always sorted or spec order), never with global counters, so the same spec
gives the same names on every run. Keywords, builtins and Unicode folding are Python 3.11's
(`frozen`), so they are the same names whichever Python runs the generator.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from sdkforge.apimodel.frozen import BUILTINS, KEYWORDS, ascii_fold, is_keyword

_WORD = re.compile(
    r"[A-Z]{2,}s(?![a-z])|[A-Z]+\d*(?=[A-Z][a-z])|[A-Z]?[a-z]+\d*|[A-Z]+\d*|\d+[a-z]*"
)
"""A word: a plural acronym (`UTXOs`, `IDs`), an acronym before a word (`HTTPServer`), a
capitalised or lower-case word, an acronym, a number."""

# Names a generated module or class body must not shadow: builtins used by the runtime,
# typing names imported by generated modules, and pydantic's BaseModel attributes.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any",
        "BaseModel",
        "Client",
        "AsyncClient",
        "Dict",
        "Field",
        "List",
        "Literal",
        "Mapping",
        "Optional",
        "RootModel",
        "Sequence",
        "TypeAlias",
        "Union",
        "Annotated",
        "Enum",
        "ConfigDict",
        "NotGiven",
        "Omit",
        "FileTypes",
        "Headers",
        "Query",
        "Body",
        "Stream",
        "AsyncStream",
        "BinaryResponse",
        "APIResponse",
        "Param",
        "Iterable",
        "AwareDatetime",
        "StrictBool",
        "StrictInt",
        "StrictStr",
        "StrictFloat",
        # What generated model modules import besides (`from uuid import UUID`): a schema
        # of that name (Meshery's `UUID`) was renamed by the model generator alone.
        "UUID",
        "TypeAliasType",
    }
)

# Method/argument names the generated signatures already use, and module names the method
# bodies read at run time (`cast(models.X, ...)`, `warnings.warn`, `builtins.object` where
# an argument `object` shadows the builtin): an argument of that name would shadow them.
RESERVED_ARGS = frozenset(
    {
        "self",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "cast",
        "httpx",
        "models",
        "warnings",
        "builtins",
    }
)

# Attributes the client and resource base classes already have, and the decorator their
# bodies apply to later members: a resource or method of the same name would shadow them.
RESERVED_ATTRS = frozenset(
    {
        "cached_property",
        "close",
        "copy",
        "request",
        "base_url",
        "timeout",
        "max_retries",
        "default_headers",
        "default_query",
        "auth",
        "is_closed",
        "user_agent",
        "api_key",
        "username",
        "password",
        "client_id",
        "client_secret",
        "access_token",
        "option_headers",
        "option_query",
    }
)

# Module names a resource class body reads (its signatures' annotations, `builtins.list`
# when a method shadows `list`): a method of that name would shadow them for the methods
# after it. Resources themselves may have these names (`client.models`).
RESERVED_METHODS = frozenset({"httpx", "models", "builtins"})


def words(text: str) -> list[str]:
    """Split any identifier-ish text into lowercase-insensitive words.

    Handles camelCase, PascalCase, ACRONYMCase, snake_case, kebab-case, dotted and spaced
    names; non-ASCII letters are transliterated when possible and dropped otherwise.
    """
    return list(_words(text))


@functools.lru_cache(maxsize=65536)  # naming asks for the same segments and ids again and again
def _words(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for chunk in _NON_WORD.split(ascii_fold(text)):
        out.extend(_WORD.findall(chunk))
    return tuple(out)


_NON_WORD = re.compile(r"[^A-Za-z0-9]+")


@functools.cache  # pure, and asked for the same names thousands of times on big specs
def snake(text: str) -> str:
    """`CreateVideoEdit` → `create_video_edit`; empty or digit-led results are made valid."""
    name = "_".join(w.lower() for w in words(text))
    return _valid(name, prefix="field")


@functools.cache
def pascal(text: str) -> str:
    """`video_size` → `VideoSize`, keeping inner capitals of acronyms readable (`HTTPError`)."""
    parts = words(text)
    name = "".join(w[:1].upper() + w[1:] for w in parts)
    return _valid(name, prefix="M")


def constant(text: str) -> str:
    """`openai videos` → `OPENAI_VIDEOS` (env var and module-constant names)."""
    return snake(text).upper()


def _valid(name: str, *, prefix: str) -> str:
    if not name:
        return prefix
    if name[0].isdigit():
        name = f"{prefix}{name}" if prefix.isupper() else f"{prefix}_{name}"
    return name


# Device names Windows reserves whatever the extension: a module `con.py` cannot exist there.
DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def module_name(text: str) -> str:
    """A module or package name (a file or folder name too): snake_case, never a keyword
    (`import class` is a syntax error) nor a Windows device name (`con.py`)."""
    name = snake(text)
    if name in KEYWORDS or name in DEVICE_NAMES:
        name += "_"
    return name


def module_file_stem(name: str) -> str:
    """`name` (already an identifier) as a module file stem: `con` → `con_`, else unchanged."""
    return name + "_" if name.lower() in DEVICE_NAMES else name


def safe_identifier(name: str) -> str:
    """Keep `name` unless it is a keyword, soft keyword or builtin; then append `_`."""
    if is_keyword(name) or name in BUILTINS:
        return name + "_"
    return name


def field_name(wire_name: str) -> str:
    """A model field name: snake_case, keywords escaped; builtins are fine in a class body."""
    name = snake(wire_name)
    if is_keyword(name):
        return name + "_"
    return name


def arg_name(wire_name: str) -> str:
    """A keyword-argument name for a parameter or body field.

    Builtins such as `id`, `type` and `object` are kept, as users expect them: where a
    method body reads a builtin its argument shadows, it reads `builtins.object`
    (`codegen.signatures`). Keywords and the SDK's own arguments are renamed.
    """
    name = field_name(wire_name)
    return name + "_" if name in RESERVED_ARGS else name


def attr_name(text: str) -> str:
    """A resource attribute or method name (`client.videos.edit`)."""
    name = field_name(text)  # builtins are fine as attributes: `client.files.list`
    if name.startswith("with_") or name in RESERVED_ATTRS:
        name += "_"
    return name


def class_name(text: str) -> str:
    """A class or type-alias name that does not shadow what generated modules import."""
    name = pascal(text)
    if name in RESERVED_CLASS_NAMES or name in KEYWORDS or name in BUILTINS:
        name += "Model"
    return name


# What a resource module imports besides the typing and runtime names above; its resource
# class (or the `Async` twin) must not shadow them.
RESOURCE_MODULE_NAMES = RESERVED_CLASS_NAMES | {
    "SyncAPIResource",
    "AsyncAPIResource",
    "NOT_GIVEN",
    "TYPE_CHECKING",
}


def resource_class_name(trail: Sequence[str]) -> str:
    """The class of the resource at `trail` (`("beta", "threads")` → `BetaThreads`).

    Like `class_name`, never a keyword (a tag `true` would give `class True`, a syntax
    error), a builtin (`Exception`) or a name its module imports (`Query`): those get
    `Resource` appended (`TrueResource`).
    """
    name = "".join(pascal(part) for part in trail)
    if name in KEYWORDS or name in BUILTINS or {name, "Async" + name} & RESOURCE_MODULE_NAMES:
        name += "Resource"
    return name


class Namespace:
    """Hands out unique names within one scope, case-insensitively.

    Case-insensitive so that two model modules or classes never collide on
    case-insensitive file systems. The first claimant keeps the plain name; later ones get
    the most specific disambiguator their caller offers (for example the schema's
    location), and only when all of those are taken a numeric suffix.
    """

    def __init__(self, taken: set[str] | frozenset[str] = frozenset()) -> None:
        self._taken = {t.lower() for t in taken}

    def claim(self, name: str, *alternatives: str) -> str:
        """Return the first of `name`, `alternatives…` that is free, and mark it taken."""
        for candidate in (name, *alternatives):
            if candidate.lower() not in self._taken:
                self._taken.add(candidate.lower())
                return candidate
        base = alternatives[-1] if alternatives else name
        n = 2
        while f"{base}{n}".lower() in self._taken:
            n += 1
        self._taken.add(f"{base}{n}".lower())
        return f"{base}{n}"

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._taken


def variant_names(context: str, member: object, index: int) -> list[str]:
    """Candidate names for an inline union member, most meaningful first.

    A title names it (`ConversationParam`), else the value of its discriminating
    constant (`ShapeCircle`); the owner's name is prefixed when the short form is
    taken, and the position is the last resort.
    """
    names: list[str] = []
    if isinstance(member, Mapping):
        title = member.get("title")
        if isinstance(title, str) and words(title):
            names += [class_name(title), context + pascal(title)]
        props = member.get("properties")
        if isinstance(props, Mapping):
            for key in ("type", "object", "kind", "event", "role"):
                prop = props.get(key)
                if not isinstance(prop, Mapping):
                    continue
                enum = prop.get("enum")
                const = prop.get(
                    "const", enum[0] if isinstance(enum, list) and len(enum) == 1 else None
                )
                if isinstance(const, str) and words(const):
                    names.append(context + pascal(const))
                    break
        required = member.get("required")
        if isinstance(required, list) and required and isinstance(required[0], str):
            names.append(context + "With" + pascal(required[0]))
        if member.get("type") == "array":
            names.append(context + "List")
    names.append(f"{context}Variant{index + 1}")
    return names
