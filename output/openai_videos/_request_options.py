"""Turning one ``request(...)`` call into wire-ready pieces.

Split from ``_base_client`` so the retry loop stays readable: everything here
happens once per call (:func:`prepare_request`: params, body encoding, files
read) or once per attempt (:func:`build_request`: auth applied, URL assembled).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from ._auth import AuthScheme, select_schemes
from ._files import encode_body
from ._qs import encode_params, format_path, query_fragments
from ._response import RAW_RESPONSE_HEADER
from ._types import Headers, NotGiven, Omit, Param, Query

if TYPE_CHECKING:
    from ._base_client import BaseClient, TimeoutArg

__all__ = [
    "PreparedRequest",
    "astrip_credentials_on_redirect",
    "build_request",
    "prepare_request",
    "strip_credentials_on_redirect",
]

# Request extension naming the origin a request's credential headers are meant for.
_CREDENTIALS = "sdk_credential_headers"


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
    stream: bool = field(init=False)

    def __post_init__(self) -> None:
        self.stream = self.mode == "stream" or self.kind == "sse"


def prepare_request(
    client: BaseClient[Any],
    cast_to: object,
    *,
    method: str,
    path: str,
    params: Sequence[tuple[Param, object]],
    body: object,
    content_types: Sequence[str],
    file_fields: Sequence[str],
    multipart_encoding: Mapping[str, str],
    security: Sequence[Sequence[str]],
    response_kind: str,
    extra_headers: Headers | None,
    extra_query: Query | None,
    extra_body: object,
    timeout: TimeoutArg,
) -> PreparedRequest:
    extra = dict(extra_headers or {})
    mode = "parsed"
    for key in [k for k in extra if k.lower() == RAW_RESPONSE_HEADER.lower()]:
        marker = extra.pop(key)
        mode = marker if isinstance(marker, str) and marker in ("raw", "stream") else mode
    encoded = encode_params(params)
    url = format_path(path, encoded.path)
    if not url.startswith(("http://", "https://")):
        url = str(client.base_url) + url.lstrip("/")
    accept = {"json": "application/json", "sse": "text/event-stream"}.get(response_kind, "*/*")
    headers = {"accept": ("Accept", accept), "user-agent": ("User-Agent", client.user_agent)}
    _put(headers, client.default_headers)
    body_bytes = encode_body(
        body,
        extra_body=extra_body,
        content_types=content_types,
        file_fields=file_fields,
        multipart_encoding=multipart_encoding,
    )
    if body_bytes.content_type is not None:
        headers["content-type"] = ("Content-Type", body_bytes.content_type)
    _put(headers, encoded.headers)
    timeout = client.timeout if isinstance(timeout, NotGiven) else timeout
    return PreparedRequest(
        cast_to=cast_to,
        method=method.upper(),
        url=url,
        query={**query_fragments(client.default_query), **encoded.query},
        extra_query=query_fragments(extra_query or {}),
        headers=headers,
        extra_headers=extra,
        cookies=encoded.cookies,
        content=body_bytes.content,
        timeout=httpx.Timeout(timeout) if isinstance(timeout, (int, float)) else timeout,
        schemes=select_schemes(security, client.auth),
        kind=response_kind,
        mode=mode,
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
    qs = "&".join(frag for frags in query.values() for frag in frags)
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


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


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
