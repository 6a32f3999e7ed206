"""Webhook signature checks against published vectors: the Standard Webhooks libraries'
test suite (standard-webhooks/standard-webhooks, libraries/*/tests) and GitHub's documented
`X-Hub-Signature-256` example."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import time
from typing import Any

import pytest

# Standard Webhooks' shared test vector (the same in its Python, JS, Go... suites).
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
PAYLOAD = '{"test": 2432232314}'
SECRET = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SIGNED_AT = 1614265330
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
# GitHub's "Validating webhook deliveries" example.
GH_SECRET = "It's a Secret to Everybody"
GH_PAYLOAD = "Hello, World!"
GH_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"


@pytest.fixture(scope="module")
def wh(rt: Any) -> Any:
    return importlib.import_module("rtpkg._webhooks")


def _headers(timestamp: int, signature: str) -> dict[str, str]:
    return {"webhook-id": MSG_ID, "webhook-timestamp": str(timestamp), "webhook-signature": signature}


def _fresh(now: int, secret: str = SECRET) -> dict[str, str]:
    """Signed as the vector's own test helper signs: HMAC of `id.timestamp.payload`."""
    to_sign = f"{MSG_ID}.{now}.{PAYLOAD}".encode()
    digest = hmac.new(base64.b64decode(secret), to_sign, hashlib.sha256).digest()
    return _headers(now, "v1," + base64.b64encode(digest).decode())


def test_the_published_signature_is_reproduced_and_verified(wh: Any) -> None:
    assert wh.sign_standard("whsec_" + SECRET, MSG_ID, SIGNED_AT, PAYLOAD) == SIGNATURE
    wh.verify_standard(PAYLOAD, _headers(SIGNED_AT, SIGNATURE), "whsec_" + SECRET, now=SIGNED_AT)
    wh.verify_standard(PAYLOAD.encode(), _headers(SIGNED_AT, SIGNATURE), SECRET, now=SIGNED_AT)


def test_the_vectors_own_invalid_signature_is_rejected(wh: Any, rt: Any) -> None:
    # The suite's "invalid signature": the valid one with its last base64 character changed.
    bad = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="
    with pytest.raises(rt._exceptions.InvalidWebhookSignatureError, match="does not match"):
        wh.verify_standard(PAYLOAD, _headers(SIGNED_AT, bad), SECRET, now=SIGNED_AT)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_is_rejected(wh: Any, rt: Any, missing: str) -> None:
    headers = _headers(SIGNED_AT, SIGNATURE)
    del headers[missing]
    with pytest.raises(rt._exceptions.InvalidWebhookSignatureError, match=missing):
        wh.verify_standard(PAYLOAD, headers, SECRET, now=SIGNED_AT)


def test_a_timestamp_that_is_not_a_number_is_rejected(wh: Any, rt: Any) -> None:
    headers = {**_headers(SIGNED_AT, SIGNATURE), "webhook-timestamp": "hello"}
    with pytest.raises(rt._exceptions.InvalidWebhookSignatureError, match="timestamp"):
        wh.verify_standard(PAYLOAD, headers, SECRET, now=SIGNED_AT)


def test_five_minutes_either_way_and_not_a_second_more(wh: Any, rt: Any) -> None:
    error = rt._exceptions.InvalidWebhookSignatureError
    for skew in (-300, 300):
        wh.verify_standard(PAYLOAD, _fresh(SIGNED_AT + skew), SECRET, now=SIGNED_AT)
    with pytest.raises(error, match="too old"):
        wh.verify_standard(PAYLOAD, _fresh(SIGNED_AT - 301), SECRET, now=SIGNED_AT)
    with pytest.raises(error, match="too new"):
        wh.verify_standard(PAYLOAD, _fresh(SIGNED_AT + 301), SECRET, now=SIGNED_AT)


def test_the_clock_is_the_real_one_by_default(wh: Any, rt: Any) -> None:
    wh.verify_standard(PAYLOAD, _fresh(int(time.time())), SECRET)
    with pytest.raises(rt._exceptions.InvalidWebhookSignatureError, match="too old"):
        wh.verify_standard(PAYLOAD, _headers(SIGNED_AT, SIGNATURE), SECRET)


def test_one_matching_signature_among_several_is_enough(wh: Any, rt: Any) -> None:
    others = ["v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="]
    headers = _headers(SIGNED_AT, " ".join([*others, SIGNATURE, others[0]]))
    wh.verify_standard(PAYLOAD, headers, SECRET, now=SIGNED_AT)
    with pytest.raises(rt._exceptions.InvalidWebhookSignatureError):
        wh.verify_standard(PAYLOAD, _headers(SIGNED_AT, " ".join(others)), SECRET, now=SIGNED_AT)
    # A bare base64 value (no `v1,`) or a truncated one is no signature.
    for offered in (SIGNATURE[3:], SIGNATURE[:8], "v1,"):
        with pytest.raises(rt._exceptions.InvalidWebhookSignatureError):
            wh.verify_standard(PAYLOAD, _headers(SIGNED_AT, offered), SECRET, now=SIGNED_AT)


def test_another_payload_or_secret_fails(wh: Any, rt: Any) -> None:
    error = rt._exceptions.InvalidWebhookSignatureError
    with pytest.raises(error):
        wh.verify_standard(PAYLOAD + " ", _headers(SIGNED_AT, SIGNATURE), SECRET, now=SIGNED_AT)
    other = base64.b64encode(b"another secret, 32 bytes long!!!").decode()
    with pytest.raises(error):
        wh.verify_standard(PAYLOAD, _headers(SIGNED_AT, SIGNATURE), other, now=SIGNED_AT)
    with pytest.raises(error, match="base64"):
        wh.verify_standard(PAYLOAD, _headers(SIGNED_AT, SIGNATURE), "whsec_???", now=SIGNED_AT)


def test_github_documented_example(wh: Any, rt: Any) -> None:
    assert wh.sign_hmac_sha256_hex(GH_SECRET, GH_PAYLOAD) == GH_SIGNATURE
    wh.verify_hmac_sha256_hex(GH_PAYLOAD, {"X-Hub-Signature-256": GH_SIGNATURE}, GH_SECRET)
    wh.verify_hmac_sha256_hex(GH_PAYLOAD.encode(), {"x-hub-signature-256": GH_SIGNATURE.upper().replace("SHA256", "sha256")}, GH_SECRET)
    error = rt._exceptions.InvalidWebhookSignatureError
    with pytest.raises(error, match="does not match"):
        wh.verify_hmac_sha256_hex("Hello, World?", {"X-Hub-Signature-256": GH_SIGNATURE}, GH_SECRET)
    with pytest.raises(error, match="X-Hub-Signature-256"):
        wh.verify_hmac_sha256_hex(GH_PAYLOAD, {"X-Hub-Signature": GH_SIGNATURE}, GH_SECRET)


def test_comparisons_are_constant_time(wh: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both schemes compare through hmac.compare_digest, every candidate."""
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(wh.hmac, "compare_digest", spy)
    wh.verify_standard(PAYLOAD, _headers(SIGNED_AT, f"{SIGNATURE} v1,AAAA"), SECRET, now=SIGNED_AT)
    assert len(calls) == 2
    wh.verify_hmac_sha256_hex(GH_PAYLOAD, {"X-Hub-Signature-256": GH_SIGNATURE}, GH_SECRET)
    assert len(calls) == 3


def test_the_verifier_reads_the_secret_from_the_client_or_says_where_to_put_it(wh: Any) -> None:
    class Client:
        webhook_secret: str | None = None

    client = Client()
    verifier = wh.WebhookVerifier(client)
    verifier.secret_env = "RT_WEBHOOK_SECRET"
    with pytest.raises(ValueError, match="RT_WEBHOOK_SECRET"):
        verifier.verify_signature(PAYLOAD, _fresh(int(time.time())))
    client.webhook_secret = SECRET
    verifier.verify_signature(PAYLOAD, _fresh(int(time.time())))
    verifier.verify_signature(PAYLOAD, _fresh(int(time.time())), secret="whsec_" + SECRET)
