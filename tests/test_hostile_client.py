"""Issue 7, the generated client: secrets never logged or repr'd, TLS verified by default,
no eval/exec/pickle in generated code (output/ and a hostile client)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT
from hostile_util import code_tokens, generate, python_files, write_spec

SECRET = "sk-test-SECRET-0123456789abcdef"

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Keyed", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "tags": ["things"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        }
    },
    "components": {
        "securitySchemes": {
            "header": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "query": {"type": "apiKey", "in": "query", "name": "key"},
            "bearer": {"type": "http", "scheme": "bearer"},
        }
    },
    "security": [{"header": [], "query": [], "bearer": []}],
}

SCRIPT = textwrap.dedent(
    """
    import http.server, io, json, logging, sys, threading
    sys.path.insert(0, sys.argv[1])
    SECRET = sys.argv[2]
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append({"path": self.path, "headers": dict(self.headers)})
            if self.path.startswith("/things/redirect"):
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:{OTHER}/landing")
                self.end_headers()
                return
            # Echo the request back in the error body, as careless servers do.
            body = json.dumps({"error": {"message": "nope", "echo": self.path}}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(2)]
    OTHER = servers[1].server_address[1]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{servers[0].server_address[1]}"

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)

    import keyed
    client = keyed.Client(base_url=base, max_retries=1)
    texts = [repr(client), str(client), repr(client.things)]
    try:
        client.things.retrieve("1")
    except keyed.APIStatusError as exc:
        texts += [str(exc), repr(exc), exc.message]
        status = exc.status_code
    redirected = None
    try:
        client.things.retrieve("redirect")
    except keyed.APIStatusError as exc:
        redirected = exc.status_code
    landing = [s for s in seen if s["path"].startswith("/landing")]
    print(json.dumps({
        "logs": stream.getvalue(),
        "texts": texts,
        "status": status,
        "requests": len(seen),
        "first_headers": seen[0]["headers"],
        "first_path": seen[0]["path"],
        "landing": landing,
        "verify": [type(client._client._transport._pool._ssl_context).__name__,
                   client._client._transport._pool._ssl_context.verify_mode.name,
                   client._client._transport._pool._ssl_context.check_hostname],
    }))
    """
)


@pytest.fixture(scope="module")
def keyed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("keyed")
    spec = write_spec(tmp / "openapi.json", SPEC)
    result = generate(spec, tmp / "out")
    assert result.exit_code == 0, result.output
    return tmp / "out"


def _run(out: Path) -> dict[str, object]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KEYED_")},
        "KEYED_LOG": "debug",
        "KEYED_API_KEY": SECRET,
        "KEYED_QUERY": SECRET + "-q",
        "KEYED_BEARER": SECRET + "-b",
    }
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(out), SECRET],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=out.parent,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_secrets_never_reach_logs_repr_or_errors(keyed_out: Path) -> None:
    got = _run(keyed_out)
    assert got["status"] == 401
    # the credentials really were sent (otherwise the test proves nothing)
    headers = {k.lower(): v for k, v in got["first_headers"].items()}  # type: ignore[union-attr]
    assert headers["x-api-key"] == SECRET and SECRET in headers["authorization"]
    assert f"key={SECRET}-q" in str(got["first_path"])
    logs = str(got["logs"])
    assert "Request" in logs or "GET" in logs, "debug logging did not turn on"
    assert SECRET not in logs
    for text in got["texts"]:  # type: ignore[union-attr]
        assert SECRET not in text, text


def test_cross_origin_redirect_does_not_forward_credentials(keyed_out: Path) -> None:
    got = _run(keyed_out)
    for request in got["landing"]:  # type: ignore[union-attr]
        assert SECRET not in json.dumps(request), request


def test_tls_verification_is_on_by_default(keyed_out: Path) -> None:
    got = _run(keyed_out)
    kind, mode, hostname = got["verify"]  # type: ignore[misc]
    assert kind == "SSLContext" and mode == "CERT_REQUIRED" and hostname is True
    source = "\n".join(p.read_text() for p in python_files(keyed_out))
    assert "verify=False" not in source and "CERT_NONE" not in source


@pytest.mark.parametrize("which", ["output", "keyed", "hostile"])
def test_generated_code_has_no_eval_exec_or_pickle(
    which: str, keyed_out: Path, tmp_path: Path
) -> None:
    if which == "output":
        root = ROOT / "output"
    elif which == "keyed":
        root = keyed_out
    else:
        from test_hostile import hostile_spec

        spec = write_spec(tmp_path / "openapi.json", hostile_spec())
        assert generate(spec, tmp_path / "out").exit_code == 0
        root = tmp_path / "out"
    files = python_files(root)
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        if which == "hostile":  # its docstrings quote the payloads: look at code only
            text = " ".join(t.string for t in code_tokens(text))
            text = text.replace(" ( ", "(").replace(" . ", ".")
        for bad in (r"\beval\s*\(", r"\bexec\s*\(", r"\bpickle\b", r"\bmarshal\b", r"os\.system"):
            assert not re.search(bad, text), f"{path}: {bad}"
