"""Verifying the signature of a webhook delivery, then reading its event.

Two schemes, chosen when the client is generated:

* ``standard`` (Standard Webhooks, https://www.standardwebhooks.com): headers
  ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature: v1,<base64>``
  (several, space separated, any may match); the signed content is
  ``<id>.<timestamp>.<payload>``, HMAC-SHA256 under the secret, which is base64
  with an optional ``whsec_`` prefix (a secret that is not base64 is used as
  its bytes); the timestamp must be within ``tolerance`` seconds of now, past
  or future.
* ``hmac_sha256_hex`` (GitHub's ``X-Hub-Signature-256: sha256=<hex>``): the
  HMAC-SHA256 of the payload under the secret's UTF-8 bytes, in hex.

Signatures are compared in constant time. Every failure is an
``InvalidWebhookSignatureError``; the message says which check failed, never
the expected signature.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping
from typing import Literal

import httpx

from ._exceptions import InvalidWebhookSignatureError

__all__ = [
    "DEFAULT_TOLERANCE",
    "HeadersLike",
    "SignatureScheme",
    "WebhookVerifier",
    "sign_hmac_sha256_hex",
    "sign_standard",
    "verify_hmac_sha256_hex",
    "verify_standard",
]

DEFAULT_TOLERANCE = 300
"""Seconds a Standard Webhooks timestamp may be off, in either direction."""

SignatureScheme = Literal["standard", "hmac_sha256_hex"]
HeadersLike = Mapping[str, str] | httpx.Headers


def _secret_bytes(secret: str) -> bytes:
    """A Standard Webhooks secret's key: base64 (after an optional ``whsec_``)."""
    raw = secret[len("whsec_") :] if secret.startswith("whsec_") else secret
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        if secret.startswith("whsec_"):
            raise InvalidWebhookSignatureError("The webhook secret is not valid base64") from None
        return raw.encode("utf-8")


def _as_bytes(payload: str | bytes) -> bytes:
    return payload.encode("utf-8") if isinstance(payload, str) else payload


def sign_standard(secret: str, msg_id: str, timestamp: int, payload: str | bytes) -> str:
    """The ``webhook-signature`` value (``v1,<base64>``) a sender computes."""
    signed = f"{msg_id}.{timestamp}.".encode() + _as_bytes(payload)
    digest = hmac.new(_secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def sign_hmac_sha256_hex(secret: str, payload: str | bytes, prefix: str = "sha256=") -> str:
    """The header value (``sha256=<hex>``) a GitHub-style sender computes."""
    digest = hmac.new(secret.encode("utf-8"), _as_bytes(payload), hashlib.sha256).hexdigest()
    return prefix + digest


def _header(headers: httpx.Headers, name: str) -> str:
    value = str(headers.get(name) or "")
    if not value:
        raise InvalidWebhookSignatureError(f"Missing required header: {name}")
    return value


def verify_standard(
    payload: str | bytes,
    headers: HeadersLike,
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Raise ``InvalidWebhookSignatureError`` unless the delivery is signed by ``secret``."""
    found = httpx.Headers(headers)
    msg_id = _header(found, "webhook-id")
    stamp = _header(found, "webhook-timestamp")
    signatures = _header(found, "webhook-signature")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise InvalidWebhookSignatureError("Invalid webhook timestamp format") from None
    current = int(time.time() if now is None else now)
    if timestamp < current - tolerance:
        raise InvalidWebhookSignatureError("Webhook timestamp is too old")
    if timestamp > current + tolerance:
        raise InvalidWebhookSignatureError("Webhook timestamp is too new")
    expected = sign_standard(secret, msg_id, timestamp, payload).encode("ascii")
    offered = [s for s in signatures.split(" ") if s.startswith("v1,")]
    # Every candidate is compared, so the time taken does not say which one matched.
    matched = False
    for candidate in offered:
        matched |= hmac.compare_digest(expected, candidate.encode("utf-8", "replace"))
    if not matched:
        raise InvalidWebhookSignatureError(
            "The given webhook signature does not match the expected signature"
        )


def verify_hmac_sha256_hex(
    payload: str | bytes,
    headers: HeadersLike,
    secret: str,
    *,
    header: str = "X-Hub-Signature-256",
    prefix: str = "sha256=",
) -> None:
    """Raise ``InvalidWebhookSignatureError`` unless ``header`` holds the payload's HMAC."""
    offered = _header(httpx.Headers(headers), header).strip()
    expected = sign_hmac_sha256_hex(secret, payload, prefix)
    given = offered.lower().encode("utf-8", "replace")
    if not hmac.compare_digest(expected.encode("ascii"), given):
        raise InvalidWebhookSignatureError(
            "The given webhook signature does not match the expected signature"
        )


class WebhookVerifier:
    """``client.webhooks``: the generated subclass adds ``unwrap`` (the typed event).

    ``secret`` is the client's ``webhook_secret`` (its constructor argument or the
    environment variable), read on every call so a client made before the secret
    was set still works once it is.
    """

    scheme: SignatureScheme = "standard"
    header: str = "X-Hub-Signature-256"
    prefix: str = "sha256="
    secret_env: str = ""

    def __init__(self, client: object) -> None:
        self._client = client

    def _secret(self, secret: str | None) -> str:
        found = secret if secret is not None else getattr(self._client, "webhook_secret", None)
        if not found:
            where = f" or set the {self.secret_env} environment variable" if self.secret_env else ""
            raise ValueError(
                "No webhook secret: pass `secret=...` (or `webhook_secret` to the client)" + where
            )
        return str(found)

    def verify_signature(
        self,
        payload: str | bytes,
        headers: HeadersLike,
        *,
        secret: str | None = None,
        tolerance: int = DEFAULT_TOLERANCE,
    ) -> None:
        """Raise ``InvalidWebhookSignatureError`` unless the delivery is authentic."""
        key = self._secret(secret)
        if self.scheme == "hmac_sha256_hex":
            verify_hmac_sha256_hex(payload, headers, key, header=self.header, prefix=self.prefix)
        else:
            verify_standard(payload, headers, key, tolerance=tolerance)
