"""The rules of names.py (issue 23): what counts as a machine-made name, a repeat, a list.

Kept apart from the driver so the rules read in one place (bench/README.md repeats them):

* depth: how many resources a method sits below the client (`client.files.list` is 1,
  `client.beta.threads.runs.list` 3). The design limit is 5.
* fragment: a resource or method name holding a word no person would choose: a number
  (`field_0_get`, `v1_0`; `v2` is fine), `field` where the path has no such word (what a
  name made of nothing becomes), a hash or id (a run of >= 8 hex characters with a digit,
  `62640817eb`), a file extension of the path as the last word after another word
  (`assets_json` for `/assets.json`),
  or a query-string key of the operation's own path key whose value is a parameter
  (`date_from` for `/fax/history?dateFrom={dateFrom}`; a flag such as OpenAI's
  `?beta=true` → `beta` is the spec's own grouping and not counted).
* repeat: an accessor where one part equals the next (`ipfs.pin.list.list`), or a part that
  is one word sequence twice (`date_from_date_from`).
* collection GET: a GET whose method answers a list (paged, or a list type); `named list`
  counts those whose method is `list` or starts with `list_`.
* paged: a method with a page scheme other than `single` (pages it can fetch).
* credential named by scheme: an argument equal to the security scheme's own name in
  snake case without words that only say it is a credential scheme (auth, scheme,
  security, header, x, http), optionally followed by `_key`/`_token` (`api_email` for
  scheme `api_email`, `admin_api_key` for `AdminApiKeyAuth`, `hmac_key` for `hmac`);
  `api_key` for a scheme that names nothing else (`bearerAuth`); or, when the API has one
  credential, any of the usual names (`api_key`, `access_token`, `username`/`password`).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_HUMPS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_HEX = re.compile(r"^(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}$")
_EXTENSIONS = frozenset(
    [
        "json",
        "xml",
        "yaml",
        "yml",
        "csv",
        "txt",
        "html",
        "htm",
        "php",
        "asp",
        "aspx",
        "jsp",
        "pdf",
        "png",
    ]
)
USUAL_CREDENTIALS = frozenset(
    {"api_key", "access_token", "username", "password", "client_id", "client_secret"}
)


def words(text: str) -> list[str]:
    return [w.lower() for w in _SPLIT.split(_HUMPS.sub("_", text)) if w]


def _query_keys(path: str) -> set[str]:
    _, _, query = path.partition("?")
    pairs = (p.partition("=") for p in query.split("&"))
    keys = {"_".join(words(k)) for k, _, v in pairs if k and "{" in v}
    return {k for k in keys if k}


def fragment(part: str, path: str) -> str:
    """Why `part` (one resource or method name) is machine-made, "" when it is not."""
    ws = part.split("_")
    literal = {w for seg in path.split("?")[0].split("/") if "{" not in seg for w in words(seg)}
    made_up = part == "field" and "field" not in literal  # the name of a digit-led or empty word
    if (
        any(w.isdigit() for w in ws)
        or made_up
        or (ws[0] == "field" and ws[1:2] and ws[1][0].isdigit())
    ):
        return "number"
    if any(_HEX.match(w) for w in ws):
        return "hash"
    if len(ws) >= 2 and ws[-1] in _EXTENSIONS and f".{ws[-1]}" in path.lower():
        return "extension"
    keys = _query_keys(path) - literal  # a key the path also spells is the path's word
    if any(k and (part == k or part.startswith(k + "_")) for k in keys):
        return "query"
    return ""


def repeats(parts: list[str]) -> bool:
    if any(a == b for a, b in itertools.pairwise(parts)):
        return True
    for p in parts:
        ws = p.split("_")
        half = len(ws) // 2
        if len(ws) >= 2 and len(ws) % 2 == 0 and ws[:half] == ws[half:]:
            return True
    return False


_NOISE_ALL = frozenset(
    {"auth", "authentication", "authorization", "scheme", "security", "header", "x", "http"}
)
_GENERIC = frozenset({"", "api", "bearer", "basic", "oauth", "oauth2", "apikey", "api_key", "key"})


def credential_named(scheme: str, arg: str, single: bool) -> bool:
    stem = "_".join(w for w in words(scheme) if w not in _NOISE_ALL)
    ends = stem.rsplit("_", 1)[-1] in ("key", "token", "secret", "id", "email", "password")
    if arg == stem or (not ends and arg in (f"{stem}_key", f"{stem}_token")):
        return True
    if stem in _GENERIC | {"token", "jwt"} and arg == "api_key":
        return True
    return single and arg in USUAL_CREDENTIALS


def measure_ops(ops: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of the rules above over one spec's operations (IR dump rows)."""
    out: dict[str, Any] = {
        "depth": {},
        "fragments": [],
        "repeats": [],
        "collection_gets": 0,
        "named_list": 0,
        "paged": 0,
        "deepest": "",
    }
    deepest = -1
    for op in ops:
        parts = [*op["resources"], op["name"]]
        accessor = ".".join(parts)
        d = len(op["resources"])
        out["depth"][d] = out["depth"].get(d, 0) + 1
        if d > deepest:
            deepest, out["deepest"] = d, accessor
        why = next((w for p in parts if (w := fragment(p, op["path"]))), "")
        request = f"{op['method']} {op['path']}"
        if why:
            out["fragments"].append({"accessor": accessor, "request": request, "why": why})
        if repeats(parts):
            out["repeats"].append({"accessor": accessor, "request": request})
        paging = op.get("paging", "")
        if op["method"] == "GET" and (paging or op.get("returns_list")):
            out["collection_gets"] += 1
            out["named_list"] += op["name"] == "list" or op["name"].startswith("list_")
        out["paged"] += bool(paging) and paging != "single"
    return out
