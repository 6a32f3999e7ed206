"""The API's short name: the default package, and so the environment variables' prefix.

A package is typed in every import and an environment variable in every deployment, so the
default follows the API's identity as a person would say it, not the title's sentence:
"GitHub's official OpenAPI spec + Octokit extension" is `github`, "Blockfrost.io ~ API
Documentation" is `blockfrost`, "Cloudflare API" is `cloudflare`. The title is cut at the
first separator (`+`, `~`, ` - `, `:`, `(`, `|`), boilerplate words (API, official,
OpenAPI spec, documentation, versions) are dropped, a domain loses its suffix, and a
one-word brand keeps its spelling (`GitHub` → `github`, not `git_hub`). When nothing is
left the server's host names it (`api.acme.com` → `acme`), else `api`. The config's
`package:` always wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sdkforge.apimodel import naming

_SEPARATORS = re.compile(r"\s[-\u2013\u2014~|+:]\s|[+~|(\[:]|\s[-\u2013\u2014]\s?")
_BOILERPLATE = frozenset(
    """
a an the api apis rest restful http https json openapi open swagger spec specs specification
official documentation docs doc reference definition definitions public version service
services interface endpoint endpoints extension
""".split()  # noqa: SIM905 (a word list reads best as words)
)
_VERSIONISH = re.compile(r"^v?\d+([._]\d+)*$", re.IGNORECASE)
_DOMAIN = re.compile(r"^([A-Za-z0-9-]+)\.(io|com|net|org|dev|ai|co|app|cloud|xyz|me|so|sh)$", re.I)
_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://([^/:?#]+)", re.IGNORECASE)
_HOST_NOISE = frozenset({"api", "apis", "www", "rest", "public", "sandbox", "prod", "v1", "v2"})


def short_name(title: str, servers: object = None) -> str:
    """The package name the API's identity gives (`github`, `blockfrost`, `cloudflare`)."""
    head = _SEPARATORS.split(title, maxsplit=1)[0]
    tokens: list[str] = []
    for raw in head.split():
        token = re.sub(r"['\u2019]s$", "", raw.strip(".,;!?\"'\u2019"))
        domain = _DOMAIN.match(token)
        if domain:
            token = domain.group(1)
        words = naming.words(token)
        if not words:
            continue
        if all(w.lower() in _BOILERPLATE or _VERSIONISH.match(w) for w in words):
            continue
        tokens.append(token)
    if len(tokens) == 1 and re.fullmatch(r"[A-Z]?[a-z]+[A-Z][A-Za-z]{1,5}", tokens[0]):
        tokens = [tokens[0].lower()]  # one brand word: `GitHub` → `github`, `OpenAI` → `openai`
    kept = [w for t in tokens for w in naming.words(t) if not _VERSIONISH.match(w)]
    name = naming.module_name(" ".join(kept)) if kept else ""
    if not name or name == "field":
        name = _from_host(servers)
    return name or "api"


def _from_host(servers: object) -> str:
    """`https://api.acme.com/v1` → `acme`; "" when no server names a host."""
    first = servers[0] if isinstance(servers, list) and servers else None
    url = str(first.get("url") or "") if isinstance(first, Mapping) else ""
    m = _HOST.match(url)
    if not m:
        return ""
    parts = [p for p in m.group(1).lower().split(".") if p and p not in _HOST_NOISE]
    if len(parts) >= 2:
        parts = parts[:-1]  # the top-level domain
    return naming.module_name(parts[-1]) if parts and "{" not in parts[-1] else ""
