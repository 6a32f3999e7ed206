"""Authentication schemes matching OpenAPI ``securitySchemes``.

The client keeps a mapping *scheme name -> configured scheme (or None)*. Each
operation lists alternative sets of scheme names; the first set whose schemes
are all configured is applied. When none is, the request goes out without
credentials and the server's 401 explains what is missing.

A bearer token or API key may be a function instead of a value: it is called
before every attempt (``prepare``/``aprepare``), so a rotating credential is
always current; the async client also awaits a coroutine function.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Literal

import httpx

from ._exceptions import make_status_error

__all__ = [
    "APIKeyAuth",
    "AsyncCredential",
    "AuthScheme",
    "BasicAuth",
    "BearerAuth",
    "Credential",
    "OAuth2ClientCredentials",
    "select_schemes",
]


Credential = str | Callable[[], str]
"""A credential for the sync client: the value, or a function returning it."""
AsyncCredential = str | Callable[[], str | Awaitable[str]]
"""A credential for the async client: the value, or a (coroutine) function returning it."""


def _checked(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a credential function must return a str, got {type(value).__name__}")
    return value


class _Provided:
    """A credential given as a value or as a function called before each attempt."""

    def __init__(self, source: AsyncCredential) -> None:
        self._source = source
        self.value = source if isinstance(source, str) else ""

    def refresh(self) -> None:
        if not callable(self._source):
            return
        got = self._source()
        if inspect.isawaitable(got):
            if inspect.iscoroutine(got):
                got.close()  # never awaited: no "was never awaited" warning
            raise TypeError(
                "the sync client cannot await a credential function; pass one that returns a "
                "str, or use the async client"
            )
        self.value = _checked(got)

    async def arefresh(self) -> None:
        if not callable(self._source):
            return
        got = self._source()
        self.value = _checked(await got if inspect.isawaitable(got) else got)


class AuthScheme:
    """One configured credential. Subclasses write it into the outgoing request."""

    def apply(
        self, headers: dict[str, str], query: dict[str, object], cookies: dict[str, str]
    ) -> None:
        raise NotImplementedError

    def secrets(self) -> Sequence[str]:
        """Values to scrub from logs and error messages."""
        return ()

    def sensitive_names(self) -> Sequence[str]:
        """Header/query names this scheme writes secrets under."""
        return ()

    def prepare(self, http: httpx.Client) -> None:
        """Hook run before each sync attempt (e.g. to refresh a token)."""

    async def aprepare(self, http: httpx.AsyncClient) -> None:
        """Hook run before each async attempt."""

    def invalidate(self) -> None:
        """Called after a 401 so cached credentials are fetched afresh next time."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(***)"


class BearerAuth(AuthScheme):
    """``Authorization: Bearer <token>`` (OpenAPI ``http``/``bearer``)."""

    def __init__(self, token: AsyncCredential) -> None:
        self._token = _Provided(token)

    def prepare(self, http: httpx.Client) -> None:
        self._token.refresh()

    async def aprepare(self, http: httpx.AsyncClient) -> None:
        await self._token.arefresh()

    def apply(
        self, headers: dict[str, str], query: dict[str, object], cookies: dict[str, str]
    ) -> None:
        headers["Authorization"] = f"Bearer {self._token.value}"

    def secrets(self) -> Sequence[str]:
        return (self._token.value,) if self._token.value else ()


class BasicAuth(AuthScheme):
    """``Authorization: Basic base64(user:password)`` (OpenAPI ``http``/``basic``)."""

    def __init__(self, username: str, password: str) -> None:
        self._username = username
        self._password = password

    def _encoded(self) -> str:
        return base64.b64encode(f"{self._username}:{self._password}".encode()).decode("ascii")

    def apply(
        self, headers: dict[str, str], query: dict[str, object], cookies: dict[str, str]
    ) -> None:
        headers["Authorization"] = f"Basic {self._encoded()}"

    def secrets(self) -> Sequence[str]:
        return (self._password, self._encoded())


class APIKeyAuth(AuthScheme):
    """An API key in a header, query parameter or cookie (OpenAPI ``apiKey``)."""

    def __init__(
        self, name: str, location: Literal["header", "query", "cookie"], value: AsyncCredential
    ) -> None:
        self.name = name
        self.location = location
        self._value = _Provided(value)

    def prepare(self, http: httpx.Client) -> None:
        self._value.refresh()

    async def aprepare(self, http: httpx.AsyncClient) -> None:
        await self._value.arefresh()

    def apply(
        self, headers: dict[str, str], query: dict[str, object], cookies: dict[str, str]
    ) -> None:
        value = self._value.value
        if self.location == "query":
            query[self.name] = value
        elif self.location == "cookie":
            cookies[self.name] = value
        else:
            headers[self.name] = value

    def secrets(self) -> Sequence[str]:
        return (self._value.value,) if self._value.value else ()

    def sensitive_names(self) -> Sequence[str]:
        return (self.name,)

    def __repr__(self) -> str:
        return f"APIKeyAuth(name={self.name!r}, location={self.location!r}, value=***)"


class OAuth2ClientCredentials(AuthScheme):
    """OAuth2 client-credentials grant with a cached, proactively refreshed token.

    The token endpoint is called through the API client's own httpx client so
    proxies, TLS settings and transports configured there apply to it too.
    Client authentication uses HTTP Basic (RFC 6749 §2.3.1).
    """

    refresh_margin: float = 30.0
    """Seconds before expiry at which the token is considered stale."""

    def __init__(
        self, token_url: str, client_id: str, client_secret: str, scopes: Sequence[str] = ()
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        self.scopes = tuple(scopes)
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        self._alock: asyncio.Lock | None = None

    def _fresh(self) -> bool:
        return self._token is not None and time.monotonic() < self._expires_at - self.refresh_margin

    def _token_request(self) -> tuple[dict[str, str], dict[str, str]]:
        data = {"grant_type": "client_credentials"}
        if self.scopes:
            data["scope"] = " ".join(self.scopes)
        basic = base64.b64encode(f"{self.client_id}:{self._client_secret}".encode()).decode()
        return data, {"Authorization": f"Basic {basic}", "Accept": "application/json"}

    def _store(self, response: httpx.Response) -> None:
        if response.status_code >= 400:
            raise make_status_error(response)
        payload = response.json()
        self._token = str(payload["access_token"])
        expires_in = payload.get("expires_in")
        lifetime = float(expires_in) if isinstance(expires_in, (int, float, str)) else 3600.0
        self._expires_at = time.monotonic() + lifetime

    def prepare(self, http: httpx.Client) -> None:
        with self._lock:
            if not self._fresh():
                data, headers = self._token_request()
                self._store(http.post(self.token_url, data=data, headers=headers))

    async def aprepare(self, http: httpx.AsyncClient) -> None:
        if self._alock is None:
            self._alock = asyncio.Lock()
        async with self._alock:
            if not self._fresh():
                data, headers = self._token_request()
                self._store(await http.post(self.token_url, data=data, headers=headers))

    def invalidate(self) -> None:
        self._token = None

    def apply(
        self, headers: dict[str, str], query: dict[str, object], cookies: dict[str, str]
    ) -> None:
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"

    def secrets(self) -> Sequence[str]:
        return tuple(s for s in (self._client_secret, self._token) if s)

    def __repr__(self) -> str:
        return (
            f"OAuth2ClientCredentials(token_url={self.token_url!r}, client_id={self.client_id!r})"
        )


def select_schemes(
    security: Sequence[Sequence[str]], configured: Mapping[str, AuthScheme | None]
) -> list[AuthScheme]:
    """The schemes of the first alternative whose every scheme is configured."""
    for alternative in security:
        schemes = [configured.get(name) for name in alternative]
        if all(s is not None for s in schemes):
            return [s for s in schemes if s is not None]
    return []
