"""Webhooks end to end: the client generated from tests/golden/webhooks verifies and reads
signed deliveries inside a real receiver (stdlib http.server on 127.0.0.1), sync and async
clients, the secret from the constructor or the environment."""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import ROOT

from sdkforge.config import load_config
from sdkforge.pipeline import Options, generate
from sdkforge.write import write

CASE = ROOT / "tests" / "golden" / "webhooks"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
COMPLETED = {"id": "evt_1", "type": "job.completed", "created_at": 1, "data": {"id": "job_1"}}
FAILED = {"id": "evt_2", "type": "job.failed", "created_at": 2, "data": {"id": "job_2", "reason": "oom"}}


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    out = tmp_path_factory.mktemp("webhooks")
    result = generate(CASE / "spec.yaml", load_config(CASE / "sdkforge.yaml"), Options(use_cache=False))
    write(result.plan, out)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("jobs_api")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "jobs_api"]:
            del sys.modules[name]


class Receiver:
    """A webhook endpoint: each POST is handed to `handle(body, headers)`; it answers 200
    with what `handle` returns, or 400 with the error's class name."""

    def __init__(self, handle: Callable[[bytes, dict[str, str]], object]) -> None:
        received: list[object] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                try:
                    event = handle(body, dict(self.headers.items()))
                except Exception as exc:
                    status, text = 400, type(exc).__name__
                else:
                    received.append(event)
                    status, text = 200, "ok"
                self.send_response(status)
                self.send_header("content-length", str(len(text)))
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.received = received
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _deliver(sdk: Any, url: str, event: dict[str, Any], *, secret: str = SECRET, msg_id: str = "msg_1") -> httpx.Response:
    """POST the event as the API does: Standard Webhooks headers over the exact body."""
    body = json.dumps(event)
    now = int(time.time())
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(now),
        "webhook-signature": importlib.import_module("jobs_api._webhooks").sign_standard(secret, msg_id, now, body),
        "content-type": "application/json",
    }
    return httpx.post(url, content=body, headers=headers)


def test_a_signed_delivery_is_verified_and_read_as_its_event(sdk: Any) -> None:
    client = sdk.Jobs(api_key="k", webhook_secret=SECRET)
    receiver = Receiver(lambda body, headers: client.webhooks.unwrap(body, headers))
    try:
        assert _deliver(sdk, receiver.url, COMPLETED).status_code == 200
        assert _deliver(sdk, receiver.url, FAILED).status_code == 200
        forged = _deliver(sdk, receiver.url, COMPLETED, secret="whsec_" + "A" * 44)
        assert (forged.status_code, forged.text) == (400, "InvalidWebhookSignatureError")
    finally:
        receiver.close()
    completed, failed = receiver.received
    assert type(completed) is sdk.models.WebhookJobCompleted
    assert (completed.id, completed.type, completed.data.id) == ("evt_1", "job.completed", "job_1")
    assert type(failed) is sdk.models.JobFailedWebhookEvent
    assert failed.data.reason == "oom"


def test_the_async_client_with_the_secret_from_the_environment(sdk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBS_WEBHOOK_SECRET", SECRET)
    client = sdk.AsyncJobs(api_key="k")
    assert client.webhook_secret == SECRET

    async def handle(body: bytes, headers: dict[str, str]) -> object:
        client.webhooks.verify_signature(body, headers)
        return client.webhooks.unwrap(body, headers)

    receiver = Receiver(lambda body, headers: asyncio.run(handle(body, headers)))
    try:
        assert _deliver(sdk, receiver.url, FAILED).status_code == 200
    finally:
        receiver.close()
    (event,) = receiver.received
    assert type(event) is sdk.models.JobFailedWebhookEvent and event.type == "job.failed"


def test_an_unknown_event_type_still_reads_leniently(sdk: Any) -> None:
    client = sdk.Jobs(api_key="k", webhook_secret=SECRET)
    body = json.dumps({"id": "evt_3", "type": "job.archived", "created_at": 3, "data": {"id": "j"}})
    now = int(time.time())
    headers = {"webhook-id": "m", "webhook-timestamp": str(now), "webhook-signature": importlib.import_module("jobs_api._webhooks").sign_standard(SECRET, "m", now, body)}
    event = client.webhooks.unwrap(body, headers)
    assert event.id == "evt_3"


def test_no_secret_anywhere_says_where_to_put_one(sdk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOBS_WEBHOOK_SECRET", raising=False)
    client = sdk.Jobs(api_key="k")
    with pytest.raises(ValueError, match="JOBS_WEBHOOK_SECRET"):
        client.webhooks.unwrap(json.dumps(COMPLETED), {})
    assert client.with_options(webhook_secret=SECRET).webhook_secret == SECRET
    assert sdk.Jobs(api_key="k", webhook_secret=SECRET).with_options().webhook_secret == SECRET


def test_a_stale_delivery_is_refused(sdk: Any) -> None:
    client = sdk.Jobs(api_key="k", webhook_secret=SECRET)
    body = json.dumps(COMPLETED)
    then = int(time.time()) - 3600
    headers = {"webhook-id": "m", "webhook-timestamp": str(then), "webhook-signature": importlib.import_module("jobs_api._webhooks").sign_standard(SECRET, "m", then, body)}
    with pytest.raises(sdk.InvalidWebhookSignatureError, match="too old"):
        client.webhooks.unwrap(body, headers)
    assert issubclass(sdk.InvalidWebhookSignatureError, ValueError)


def test_errors_unwrap_the_spec_s_envelope(sdk: Any) -> None:
    from runtime.conftest import Reply, Server

    server = Server()
    error = {"error": {"message": "No such job", "type": "invalid_request_error", "param": "job_id", "code": "job_not_found"}}
    server.reply(Reply(status=404, body=error), Reply(status=400, body={"detail": "plain"}))
    try:
        client = sdk.Jobs(api_key="k", base_url=server.url, max_retries=0)
        with pytest.raises(sdk.NotFoundError) as info:
            client.jobs.retrieve("j1")
        e = info.value
        assert e.body == error["error"]
        assert (e.code, e.type, e.param, e.message) == ("job_not_found", "invalid_request_error", "job_id", "No such job")
        with pytest.raises(sdk.BadRequestError) as other:
            client.jobs.retrieve("j2")
        assert other.value.body == {"detail": "plain"} and other.value.code is None
    finally:
        server.close()


def test_a_missing_required_credential_is_reported_at_construction(sdk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOBS_API_KEY", raising=False)
    for cls in (sdk.Jobs, sdk.AsyncJobs):
        with pytest.raises(sdk._exceptions.SDKError, match=r"api_key.*JOBS_API_KEY"):
            cls()
    monkeypatch.setenv("JOBS_API_KEY", "from-env")
    assert sdk.Jobs().api_key == "from-env"


def test_credentials_may_be_functions_called_before_each_request(sdk: Any) -> None:
    from runtime.conftest import Reply, Server

    server = Server()
    keys = iter(["key-1", "key-2"])
    server.reply(Reply(body={"id": "j1", "status": "done"}), Reply(body={"id": "j2", "status": "done"}))
    try:
        client = sdk.Jobs(api_key=lambda: next(keys), base_url=server.url)
        client.jobs.retrieve("j1")
        client.with_options(timeout=5).jobs.retrieve("j2")
    finally:
        server.close()
    assert [r.header("authorization") for r in server.requests] == ["Bearer key-1", "Bearer key-2"]


async def test_the_async_client_awaits_a_coroutine_credential(sdk: Any) -> None:
    from runtime.conftest import Reply, Server

    server = Server()
    calls: list[int] = []

    async def key() -> str:
        calls.append(1)
        return f"akey-{len(calls)}"

    server.reply(Reply(body={"id": "j1", "status": "done"}), Reply(body={"id": "j1", "status": "done"}))
    try:
        async with sdk.AsyncJobs(api_key=key, base_url=server.url) as client:
            await client.jobs.retrieve("j1")
            await client.jobs.retrieve("j1")
        plain = sdk.AsyncJobs(api_key=lambda: "sync-fn", base_url=server.url)
        server.reply(Reply(body={"id": "j1", "status": "done"}))
        await plain.jobs.retrieve("j1")
    finally:
        server.close()
    assert [r.header("authorization") for r in server.requests] == ["Bearer akey-1", "Bearer akey-2", "Bearer sync-fn"]


def test_the_sync_client_refuses_a_coroutine_credential(sdk: Any) -> None:
    async def key() -> str:
        return "never"

    client = sdk.Jobs(api_key=key, base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(TypeError, match="async client"):
        client.jobs.retrieve("j1")


def test_client_options_are_headers_with_env_defaults(sdk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from runtime.conftest import Reply, Server

    monkeypatch.setenv("JOBS_PROJECT_ID", "proj_env")
    monkeypatch.delenv("JOBS_ORG_ID", raising=False)
    server = Server()
    server.reply(*[Reply(body={"id": "j", "status": "done"}) for _ in range(4)])
    try:
        client = sdk.Jobs(api_key="k", base_url=server.url, organization="org_1")
        client.jobs.retrieve("j")
        client.with_options(organization="org_2").jobs.retrieve("j")
        client.with_options(default_headers={"Jobs-Project": "proj_override"}).jobs.retrieve("j")
        sdk.Jobs(api_key="k", base_url=server.url).jobs.retrieve("j")
    finally:
        server.close()
    seen = [(r.header("jobs-organization"), r.header("jobs-project")) for r in server.requests]
    assert seen == [("org_1", "proj_env"), ("org_2", "proj_env"), ("org_1", "proj_override"), (None, "proj_env")]


async def test_async_client_options(sdk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from runtime.conftest import Reply, Server

    monkeypatch.setenv("JOBS_ORG_ID", "org_env")
    server = Server()
    server.reply(Reply(body={"id": "j", "status": "done"}))
    try:
        async with sdk.AsyncJobs(api_key="k", base_url=server.url, project="p") as client:
            await client.jobs.retrieve("j")
    finally:
        server.close()
    (req,) = server.requests
    assert (req.header("jobs-organization"), req.header("jobs-project")) == ("org_env", "p")


async def test_async_errors_unwrap_the_envelope_and_default_async_httpx_client(sdk: Any) -> None:
    from runtime.conftest import Reply, Server

    server = Server()
    error = {"error": {"message": "slow down", "type": "rate_limit", "param": None, "code": "rate_limited"}}
    server.reply(Reply(status=429, body=error, headers={"x-request-id": "req_e"}))
    try:
        http = sdk.DefaultAsyncHttpxClient(headers={"X-Via": "custom"})
        async with sdk.AsyncJobs(api_key="k", base_url=server.url, max_retries=0, http_client=http) as client:
            with pytest.raises(sdk.RateLimitError) as info:
                await client.jobs.retrieve("j1")
        await http.aclose()
    finally:
        server.close()
    e = info.value
    assert (e.body, e.code, e.type, e.param, e.request_id) == (error["error"], "rate_limited", "rate_limit", None, "req_e")
    assert server.requests[0].header("x-via") == "custom"


HUB_SPEC = """openapi: 3.0.3
info: {title: Hub, version: 1.0.0}
paths: {}
x-webhooks:
  ping:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [zen], properties: {zen: {type: string}, hook_id: {type: integer}}}
      responses: {"200": {description: ok}}
"""


def test_github_style_hmac_signatures_end_to_end(tmp_path: Path) -> None:
    """A 3.0 spec's `x-webhooks`, `signature: hmac_sha256_hex`: GitHub's own example
    delivery (secret and body from its docs) verifies in a real receiver; a forged one not."""
    from sdkforge.config import parse_config

    (tmp_path / "spec.yaml").write_text(HUB_SPEC)
    config = parse_config({"package": "hub_api", "webhooks": {"signature": "hmac_sha256_hex"}}, "inline")
    out = tmp_path / "out"
    write(generate(tmp_path / "spec.yaml", config, Options(use_cache=False)).plan, out)
    sys.path.insert(0, str(out))
    try:
        hub = importlib.import_module("hub_api")
        client = hub.Client(webhook_secret="It's a Secret to Everybody")
        receiver = Receiver(lambda body, headers: client.webhooks.verify_signature(body, headers))
        try:
            good = {"X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}
            assert httpx.post(receiver.url, content=b"Hello, World!", headers=good).status_code == 200
            assert httpx.post(receiver.url, content=b"Hello, World?", headers=good).status_code == 400
        finally:
            receiver.close()
        body = json.dumps({"zen": "Keep it logically awesome.", "hook_id": 1})
        signed = {"x-hub-signature-256": importlib.import_module("hub_api._webhooks").sign_hmac_sha256_hex("s3cret", body)}
        event = client.webhooks.unwrap(body, signed, secret="s3cret")
        assert type(event).__name__ == "PingWebhookEvent" and event.zen == "Keep it logically awesome."
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "hub_api"]:
            del sys.modules[name]
