"""Security schemes → client constructor arguments and per-operation requirements.

The generated client takes one argument per credential, falling back to an environment
variable, so `Client()` works with nothing but the env var set. A key or token is named
after its security scheme, as the API's own docs name it (schemes `api_email`, `api_key`,
`api_token` → `api_email=`, `api_key=`, `api_token=`, `CLOUDFLARE_API_EMAIL`...; Blockfrost's
`project_id` → `project_id=`); a scheme whose name only says it is a key (`ApiKeyAuth`,
`bearerAuth`, `X-API-Key`) gives `api_key`, as OpenAI's SDK has it. Which credentials a call
sends is the operation's security requirement: the first alternative the client has every
credential of (the runtime's `select_schemes`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal

from sdkforge.apimodel import naming
from sdkforge.apimodel.ir import SecurityScheme
from sdkforge.config import Config
from sdkforge.diagnostics import Diagnostic, join_pointer, warning

_DEFAULT_ARGS = frozenset(
    {"api_key", "username", "password", "client_id", "client_secret", "access_token"}
)
"""The arguments the first scheme of each kind claims (reserved as attributes elsewhere)."""


_NOISE = frozenset(
    {"auth", "authentication", "authorization", "scheme", "security", "header", "x", "http"}
)
_GENERIC = frozenset(
    {"", "api", "bearer", "basic", "oauth", "oauth2", "apikey", "api key", "key", "token", "jwt"}
    | {"access", "cookie", "query", "default", "secret"}
)
_CREDENTIAL_WORDS = frozenset(
    {"key", "token", "secret", "id", "email", "password", "user", "username", "signature"}
)


def credential_name(scheme: str, kind: str, others: Collection[str] = ()) -> str:
    """The argument a key or token scheme gives: its own name when that says more than
    "a key" (`api_email`, `project_id`, `hmac` → `hmac_key`), else `api_key`, unless
    another scheme (`others`) is itself named `api_key`."""
    words = [w.lower() for w in naming.words(scheme) if w.lower() not in _NOISE]
    if " ".join(words) in _GENERIC and (
        "api_key" not in others or naming.snake(scheme) == "api_key"
    ):
        return "api_key"
    words = words or [w.lower() for w in naming.words(scheme)] or ["api"]
    if words[-1] not in _CREDENTIAL_WORDS:
        words.append(kind)
    return naming.safe_identifier(naming.snake(" ".join(words)))


def build_security(
    doc: Mapping[str, Any],
    package: str,
    config: Config,
    file: str,
    resources: Collection[str] = (),
) -> tuple[tuple[SecurityScheme, ...], tuple[tuple[str, ...], ...], list[Diagnostic]]:
    """Schemes the client supports, the document's default requirement, and warnings.

    Credentials are attributes of the client, beside its top-level `resources`: a
    credential never takes a resource's name (`client.locale` stays the `locale`
    resource; the `Locale` API key becomes `locale_key`), and a warning says so.
    """
    comps = doc.get("components")
    raw = comps.get("securitySchemes") if isinstance(comps, Mapping) else None
    diags: list[Diagnostic] = []
    schemes: list[SecurityScheme] = []
    prefix = naming.constant(package)
    # Each credential is a constructor argument and an attribute of the client: never a
    # member of the client, another argument, or a name its constructor reads (`os`).
    members = (naming.RESERVED_ATTRS - _DEFAULT_ARGS) | {"http_client", "os", "with_options"}
    args = naming.Namespace(naming.RESERVED_ARGS | members)

    def claim(pointer: str, *names: str) -> str:
        free = [n for n in names if n not in resources]
        name = args.claim(*free)
        passed_over = names[: names.index(name)] if name in names else names
        if any(n in resources for n in passed_over):
            clash = next(n for n in names if n in resources)
            diags.append(
                warning(
                    f"credential {clash!r} would hide the resource client.{clash}; "
                    f"the client's argument is {name!r}",
                    file=file,
                    pointer=pointer,
                )
            )
        return name

    exact = {naming.snake(str(k)) for k in raw} if isinstance(raw, Mapping) else set()
    for key, scheme in raw.items() if isinstance(raw, Mapping) else ():
        pointer = join_pointer("#/components/securitySchemes", key)
        if not isinstance(scheme, Mapping):
            continue
        typ = str(scheme.get("type") or "")
        http_scheme = str(scheme.get("scheme") or "").lower()
        description = str(scheme.get("description") or "").strip()
        # Never a keyword (`class: str | None`) nor a builtin: the class body's annotations
        # read `str`, its constructor calls `super()`.
        stem = naming.safe_identifier(naming.snake(str(key)))
        if (typ == "http" and http_scheme == "bearer") or typ == "apiKey":
            named = credential_name(str(key), "token" if typ == "http" else "key", exact)
            arg = claim(pointer, named, stem, f"{stem}_key")
            env = (
                config.api_key_env
                if arg == "api_key" and config.api_key_env
                else f"{prefix}_{naming.constant(arg)}"
            )
            kind: Literal["bearer", "apiKey"] = "bearer" if typ == "http" else "apiKey"
            schemes.append(
                SecurityScheme(
                    name=str(key),
                    kind=kind,
                    args=(arg,),
                    envs=(env,),
                    location=str(scheme.get("in") or "header") if kind == "apiKey" else "header",
                    param_name=str(scheme.get("name") or "")
                    if kind == "apiKey"
                    else "Authorization",
                    description=description,
                )
            )
        elif typ == "http" and http_scheme == "basic":
            user, password = (
                claim(pointer, "username", f"{stem}_username"),
                claim(pointer, "password", f"{stem}_password"),
            )
            schemes.append(
                SecurityScheme(
                    name=str(key),
                    kind="basic",
                    args=(user, password),
                    envs=(
                        f"{prefix}_{naming.constant(user)}",
                        f"{prefix}_{naming.constant(password)}",
                    ),
                    description=description,
                )
            )
        elif (
            typ == "oauth2"
            and isinstance(scheme.get("flows"), Mapping)
            and isinstance(scheme["flows"].get("clientCredentials"), Mapping)
        ):
            flow = scheme["flows"]["clientCredentials"]
            cid, secret = (
                claim(pointer, "client_id", f"{stem}_client_id"),
                claim(pointer, "client_secret", f"{stem}_client_secret"),
            )
            scopes = flow.get("scopes")
            schemes.append(
                SecurityScheme(
                    name=str(key),
                    kind="oauth2",
                    args=(cid, secret),
                    envs=(
                        f"{prefix}_{naming.constant(cid)}",
                        f"{prefix}_{naming.constant(secret)}",
                    ),
                    token_url=str(flow.get("tokenUrl") or ""),
                    scopes=tuple(sorted(str(s) for s in scopes))
                    if isinstance(scopes, Mapping)
                    else (),
                    description=description,
                )
            )
        elif typ in ("oauth2", "openIdConnect") or (
            typ == "http" and http_scheme not in ("bearer", "basic")
        ):
            # A token obtained elsewhere is still a bearer token on the wire.
            arg = claim(pointer, "access_token", f"{stem}_token")
            schemes.append(
                SecurityScheme(
                    name=str(key),
                    kind="bearer",
                    args=(arg,),
                    envs=(f"{prefix}_{naming.constant(arg)}",),
                    location="header",
                    param_name="Authorization",
                    description=description,
                )
            )
            diags.append(
                warning(
                    f"security scheme {typ} {http_scheme} is sent as a bearer token",
                    file=file,
                    pointer=pointer,
                )
            )
        else:
            diags.append(
                warning(
                    f"unsupported security scheme type {typ!r}; ignored", file=file, pointer=pointer
                )
            )
    known = {s.name for s in schemes}
    default: tuple[tuple[str, ...], ...] = ()
    if isinstance(doc.get("security"), list):
        default = tuple(
            tuple(sorted(str(k) for k in req if str(k) in known))
            for req in doc["security"]
            if isinstance(req, Mapping)
        )
    return tuple(schemes), default, diags
