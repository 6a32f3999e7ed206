"""What the generated project's metadata takes from the spec: its license and its URLs.

A package index shows these (PyPI: the license, the "Project links"), so they must be
right or absent, never half-right: the license only as a valid SPDX expression (PEP 639,
what `License-Expression` must hold), URLs only as plain http(s) URLs. Spec text is
untrusted: a value that is neither is left out with a warning saying why, and what is kept
is only ever written as a quoted TOML string (`pyexpr.toml_str`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

from sdkforge.diagnostics import Diagnostic, warning

_NAMES = {
    # `info.license.name` as specs write it (APIs.guru) → its SPDX identifier. Only names
    # that say one license unambiguously; the words "the", "license" and "version" and a
    # "v" before a number are dropped first (`_key`).
    "apache 2.0": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "licensed by apache 2.0": "Apache-2.0",
    "mit": "MIT",
    "mit mit": "MIT",
    "bsd 2 clause": "BSD-2-Clause",
    "bsd 3 clause": "BSD-3-Clause",
    "isc": "ISC",
    "mozilla public 2.0": "MPL-2.0",
    "creative commons attribution 3.0": "CC-BY-3.0",
    "creative commons attribution 4.0": "CC-BY-4.0",
    "creative commons attribution 4.0 international": "CC-BY-4.0",
    "creative commons attribution 4.0 international public": "CC-BY-4.0",
    "cc by 3.0": "CC-BY-3.0",
    "cc by 4.0": "CC-BY-4.0",
    "cc by nc 4.0": "CC-BY-NC-4.0",
    "cc by sa 4.0": "CC-BY-SA-4.0",
    "cc0 1.0": "CC0-1.0",
    "gnu affero general public 3.0": "AGPL-3.0-only",
    "gnu affero general public 3.0 or later": "AGPL-3.0-or-later",
    "gnu general public 2.0": "GPL-2.0-only",
    "gnu general public 3.0": "GPL-3.0-only",
    "gnu lesser general public 2.1": "LGPL-2.1-only",
    "gnu lesser general public 3.0": "LGPL-3.0-only",
    "unlicense": "Unlicense",
}
_DROPPED = {"the", "license", "licence", "version", "software", "available", "under"}
_URL = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
"""The characters of a URI (RFC 3986): no space, quote, backslash, angle bracket or
control character, so nothing a header line or a TOML string could be broken with."""
URL_FIELDS = (
    # (where in the document, its label in the metadata: PEP 753's well-known labels where
    # one fits). Contact is how to reach the API's people; it is not the project's home.
    (("info", "contact", "url"), "Contact"),
    (("externalDocs", "url"), "Documentation"),
    (("info", "termsOfService"), "Terms of Service"),
)


@dataclass(frozen=True)
class Publishing:
    """The license (a canonical SPDX expression, or "") and the labelled project URLs."""

    license: str = ""
    urls: tuple[tuple[str, str], ...] = ()


def publishing(
    doc: Mapping[str, Any], configured_license: str, file: str = ""
) -> tuple[Publishing, list[Diagnostic]]:
    """The project metadata a spec gives, with a warning for each value left out.

    A license set in the config wins (it is validated there); otherwise `info.license`'s
    `identifier` (OpenAPI 3.1) or its `name`, when that is an SPDX expression or a common
    name of one license ("Apache 2.0", "The MIT License").
    """
    diagnostics: list[Diagnostic] = []
    license_ = configured_license
    info = doc.get("info")
    info = info if isinstance(info, Mapping) else {}
    given = info.get("license")
    if not license_ and isinstance(given, Mapping):
        texts = [str(given.get(k) or "").strip() for k in ("identifier", "name")]
        license_ = next(filter(None, map(spdx, texts)), "")
        if not license_ and any(texts):
            shown = next(t for t in texts if t)
            diagnostics.append(
                warning(
                    f"info.license {shown[:80]!r} is not an SPDX license expression; the "
                    "generated pyproject.toml declares no license",
                    file=file,
                    pointer="/info/license",
                    hint="set `license:` in the config to an SPDX expression, e.g. 'MIT'",
                )
            )
    urls: list[tuple[str, str]] = []
    for path, label in URL_FIELDS:
        value: object = doc
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        if value is None or value == "":
            continue
        if isinstance(value, str) and is_web_url(value.strip()):
            urls.append((label, value.strip()))
        else:
            diagnostics.append(
                warning(
                    f"{'.'.join(path)} {str(value)[:80]!r} is not an http(s) URL; it is left "
                    "out of the generated project's URLs",
                    file=file,
                    pointer="/" + "/".join(path),
                )
            )
    return Publishing(license_, tuple(urls)), diagnostics


def spdx(text: str) -> str:
    """`text` as a canonical SPDX license expression, or "" when it names none."""
    for candidate in (text, _NAMES.get(_key(text), "")):
        if not candidate or len(candidate) > 200:
            continue
        try:
            expression = str(canonicalize_license_expression(candidate))
        except InvalidLicenseExpression:
            continue
        if re.fullmatch(r"[A-Za-z0-9.+\-() ]+", expression):
            return expression
    return ""


def _key(name: str) -> str:
    words = re.sub(r"[^a-z0-9.+]+", " ", name.lower()).split()
    words = [re.sub(r"^v(?=\d)", "", w) for w in words if w not in _DROPPED]
    return " ".join(w.removesuffix(".") for w in words)


def is_web_url(text: str) -> bool:
    """An absolute http(s) URL with a host, made only of URI characters."""
    if not _URL.fullmatch(text):
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
