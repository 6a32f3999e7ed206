"""Shared types and sentinels used by the runtime and by generated code.

Generated methods need to tell three states apart for every optional argument:
"not passed" (``NOT_GIVEN``: leave it out of the request), ``None`` (send JSON
``null`` / an empty value) and a real value. ``Omit`` is the matching sentinel for
removing something the client would otherwise send, such as a default header.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Literal, Union

import httpx

__all__ = [
    "NOT_GIVEN",
    "Body",
    "FileContent",
    "FileTypes",
    "Headers",
    "NestedStyle",
    "NotGiven",
    "Omit",
    "Param",
    "ParamLocation",
    "PartEncoding",
    "Query",
    "ResponseKind",
    "Timeout",
    "TimeoutArg",
    "omit",
]


class NotGiven:
    """Marks an argument the caller did not pass, so it is left out of the request.

    It is falsy so ``if value:`` style checks treat it like "nothing", and it is a
    distinct object from ``None`` because ``None`` is a legitimate value (JSON null).
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # A single instance keeps `is NOT_GIVEN` checks reliable even after copying.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> NotGiven:
        return self

    def __deepcopy__(self, memo: object) -> NotGiven:
        return self

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


class Omit:
    """Removes a value the client would send by default.

    ``extra_headers={"User-Agent": omit}`` drops the default User-Agent header;
    ``extra_query={"key": omit}`` drops a key from ``default_query``.
    """

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "omit"


omit = Omit()

Headers = Mapping[str, str | Omit]
Query = Mapping[str, object]
Body = object
Timeout = Union[float, httpx.Timeout, None]  # noqa: UP007 - runtime alias, kept as in the contract
TimeoutArg = Union[float, httpx.Timeout, None, NotGiven]  # noqa: UP007

FileContent = Union[IO[bytes], bytes, os.PathLike[str]]  # noqa: UP007
FileTypes = Union[  # noqa: UP007
    FileContent,
    tuple[str | None, FileContent],
    tuple[str | None, FileContent, str | None],
]

ParamLocation = Literal["path", "query", "header", "cookie"]
ResponseKind = Literal["json", "text", "binary", "empty", "sse"]
NestedStyle = Literal["openapi", "brackets"]
"""How form and multipart bodies send nested objects and arrays: ``"openapi"`` follows the
spec's defaults (multipart: JSON parts; form: ``a[b]=1``, repeated ``tags=x``);
``"brackets"`` is the form-parser convention (``a[b]=1``, ``tags[]=x``)."""


@dataclass(frozen=True)
class Param:
    """Static description of one operation parameter (built by generated code).

    Keeping the serialization rules as data means the generator never has to
    emit encoding logic; ``_qs`` interprets these the way OpenAPI 3.x specifies.
    """

    name: str
    """The parameter's wire name."""
    location: ParamLocation
    style: str = ""
    """OpenAPI style; "" means the default for the location (form / simple)."""
    explode: bool | None = None
    """None means the OpenAPI default: True for form style, False otherwise."""
    allow_reserved: bool = False


@dataclass(frozen=True)
class PartEncoding:
    """A spec ``encoding`` entry for one form/multipart property (built by generated code).

    ``content_type`` is the spec's comma-separated ``contentType``. An explicit ``style`` or
    ``explode`` makes the property serialize like a query parameter (OpenAPI 3.1), one text
    part per value; the content type is then ignored.
    """

    content_type: str = ""
    style: str = ""
    """"form" | "spaceDelimited" | "pipeDelimited" | "deepObject"; "" means not given."""
    explode: bool | None = None
    """None means not given (the default is then True for "form")."""
