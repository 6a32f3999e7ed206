"""Turning one ``request(...)`` call into wire-ready pieces.

Split from ``_base_client`` so the retry loop stays readable: everything here
happens once per call (:func:`prepare_request`: params, body encoding, files
read) or once per attempt (:func:`build_request`: auth applied, URL assembled).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

import httpx

from ._auth import AuthScheme, select_schemes
from ._body import encode_body
from ._qs import encode_params, format_path, query_fragments
from ._response import RAW_RESPONSE_HEADER
from ._types import (
    NOT_GIVEN,
    Headers,
    NestedStyle,
    NotGiven,
    Omit,
    Param,
    PartEncoding,
    Query,
    TimeoutArg,
)

if TYPE_CHECKING:
    from ._base_client import BaseClient

__all__ = [
    "PreparedRequest",
    "RequestArgs",
    "RequestOptions",
    "astrip_credentials_on_redirect",
    "build_request",
    "prepare_request",
    "strip_credentials_on_redirect",
]

# Request extension naming the origin a request's credential headers are meant for.
_CREDENTIALS = "sdk_credential_headers"


class _RequiredArgs(TypedDict):
    method: str
    path: str


class RequestArgs(_RequiredArgs, total=False):
    """The keyword arguments of ``request()``/``get_api_list()`` (see :class:`RequestOptions`)."""

    params: Sequence[tuple[Param, object]]
    body: object
    content_types: Sequence[str]
    file_fields: Sequence[str]
    multipart_encoding: Mapping[str, str | PartEncoding]
    nested_style: NestedStyle
    security: Sequence[Sequence[str]]
    response_kind: str
    accept: str
    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: object
    timeout: TimeoutArg


@dataclass(frozen=True)
class RequestOptions:
    """One call as generated code describes it; a page fetch replaces a single field."""

    method: str
    path: str
    """``/things/{thing_id}``, or an absolute URL (a next-page link) whose query wins."""
    params: Sequence[tuple[Param, object]] = ()
    body: object = NOT_GIVEN
    content_types: Sequence[str] = ()
    file_fields: Sequence[str] = ()
    multipart_encoding: Mapping[str, str | PartEncoding] = field(default_factory=lambda: {})
    nested_style: NestedStyle = "openapi"
    security: Sequence[Sequence[str]] = ()
    response_kind: str = "json"
    accept: str = ""
    """The ``Accept`` header when the response kind's own is not right: a method a
    ``stream`` flag switches sends ``application/json, text/event-stream`` either way, as
    the server (not the header) decides, and the official SDKs send JSON's."""
    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: object = None
    timeout: TimeoutArg = NOT_GIVEN

    def split_mode(self) -> tuple[str, RequestOptions]:
        """The response mode the wrappers asked for ("parsed", "raw", "stream") and these
        options without the private marker header (what a next page is fetched with)."""
        extra = dict(self.extra_headers or {})
        mode = "parsed"
        for key in [k for k in extra if k.lower() == RAW_RESPONSE_HEADER.lower()]:
            marker = extra.pop(key)
            mode = marker if isinstance(marker, str) and marker in ("raw", "stream") else mode
        if mode == "parsed" and len(extra) == len(self.extra_headers or {}):
            return mode, self
        return mode, dataclasses.replace(self, extra_headers=extra)


@dataclass
class PreparedRequest:
    """Everything about a call that does not change between retry attempts."""

    cast_to: object
    method: str
    url: str
    query: dict[str, list[str]]
    extra_query: dict[str, list[str]]
    headers: dict[str, tuple[str, str]]
    """Lower-cased name → (name as given, value): later sources replace earlier ones
    case-insensitively without building an ``httpx.Headers`` per source."""
    extra_headers: dict[str, str | Omit]
    cookies: list[str]
    content: bytes | None
    timeout: httpx.Timeout | None
    schemes: list[AuthScheme]
    kind: str
    mode: str  # "parsed" | "raw" | "stream"
    url_query: frozenset[str] = frozenset()
    """Query keys an absolute URL carries itself: they win over every other source."""
    build: Callable[[httpx.Response], object] | None = None
    """Makes the returned value from the read response (a page) instead of ``parse_body``."""
    stream: bool = field(init=False)

    def __post_init__(self) -> None:
        self.stream = self.mode == "stream" or self.kind == "sse"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


def prepare_request(
    client: BaseClient[Any],
    cast_to: object,
    opts: RequestOptions,
    mode: str,
    build: Callable[[httpx.Response], object] | None = None,
) -> PreparedRequest:
    encoded = encode_params(opts.params)
    url_query: frozenset[str] = frozenset()
    schemes = select_schemes(opts.security, client.auth)
    if opts.path.startswith(("http://", "https://")):
        url = opts.path  # a next-page link: used as given, its own query wins
        absolute = httpx.URL(url)
        url_query = frozenset(absolute.params.keys())
        if _origin(absolute) != _origin(client.base_url):
            schemes = []  # never send credentials to another origin a response named
    else:
        url = str(client.base_url) + format_path(opts.path, encoded.path).lstrip("/")
    accept = opts.accept or {"json": "application/json", "sse": "text/event-stream"}.get(
        opts.response_kind, "*/*"
    )
    headers = {"accept": ("Accept", accept), "user-agent": ("User-Agent", client.user_agent)}
    _put(headers, client.option_headers())
    _put(headers, client.default_headers)
    body_bytes = encode_body(
        opts.body,
        extra_body=opts.extra_body,
        content_types=opts.content_types,
        file_fields=opts.file_fields,
        multipart_encoding=opts.multipart_encoding,
        nested_style=opts.nested_style,
    )
    if body_bytes.content_type is not None:
        headers["content-type"] = ("Content-Type", body_bytes.content_type)
    _put(headers, encoded.headers)
    timeout = client.timeout if isinstance(opts.timeout, NotGiven) else opts.timeout
    return PreparedRequest(
        cast_to=cast_to,
        method=opts.method.upper(),
        url=url,
        query={
            **query_fragments({**client.option_query(), **client.default_query}),
            **encoded.query,
        },
        extra_query=query_fragments(opts.extra_query or {}),
        headers=headers,
        extra_headers=dict(opts.extra_headers or {}),
        cookies=encoded.cookies,
        content=body_bytes.content,
        timeout=httpx.Timeout(timeout) if isinstance(timeout, (int, float)) else timeout,
        schemes=schemes,
        kind=opts.response_kind,
        mode=mode,
        url_query=url_query,
        build=build,
    )


def build_request(prep: PreparedRequest, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
    """A fresh ``httpx.Request`` per attempt (auth may have been refreshed)."""
    headers = dict(prep.headers)
    auth_headers: dict[str, str] = {}
    auth_query: dict[str, object] = {}
    auth_cookies: dict[str, str] = {}
    for scheme in prep.schemes:
        scheme.apply(auth_headers, auth_query, auth_cookies)
    _put(headers, auth_headers)
    cookies = prep.cookies + [f"{k}={v}" for k, v in auth_cookies.items()]
    if cookies:
        headers["cookie"] = ("Cookie", "; ".join(cookies))
    omitted: list[str] = []
    for name, value in prep.extra_headers.items():
        if isinstance(value, Omit):
            omitted.append(name)
            headers.pop(name.lower(), None)
        else:
            headers[name.lower()] = (name, value)
    query = {**prep.query, **query_fragments(auth_query), **prep.extra_query}
    qs = "&".join(
        frag for name, frags in query.items() if name not in prep.url_query for frag in frags
    )
    url = prep.url + ("&" if "?" in prep.url else "?") + qs if qs else prep.url
    request = http.build_request(
        prep.method, url, headers=list(headers.values()), content=prep.content, timeout=prep.timeout
    )
    for name in omitted:  # also drop defaults httpx itself would add
        request.headers.pop(name, None)
    if auth_headers:  # redirects carry extensions, so the hooks below can see these
        request.extensions[_CREDENTIALS] = (request.url, tuple(auth_headers))
    return request


def _put(headers: dict[str, tuple[str, str]], source: Mapping[str, str]) -> None:
    for name, value in source.items():
        headers[name.lower()] = (name, value)


def strip_credentials_on_redirect(request: httpx.Request) -> None:
    """httpx drops ``Authorization`` on a cross-origin redirect but not API-key headers
    (``X-Api-Key``): drop every credential header the request was not built for."""
    marker = request.extensions.get(_CREDENTIALS)
    # The first send carries the very URL object it was built with: nothing to compare.
    if marker and request.url is not marker[0] and _origin(request.url) != _origin(marker[0]):
        for name in marker[1]:
            request.headers.pop(name, None)


async def astrip_credentials_on_redirect(request: httpx.Request) -> None:
    """`strip_credentials_on_redirect` as an ``httpx.AsyncClient`` event hook."""
    strip_credentials_on_redirect(request)
