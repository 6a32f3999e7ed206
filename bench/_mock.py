"""The Prism mock of a spec, behind a recording proxy, for examples.py.

Prism (`@stoplight/prism-cli`, pinned in package.json, `npm ci` installs it) answers every
request from the spec's examples and a request the spec does not allow with a 4xx problem
document naming each violation. examples.py runs many snippets,
two SDKs, in parallel against one Prism; to tell which requests (and which of Prism's
complaints) belong to which snippet run, each run gets its own base URL
`http://127.0.0.1:PORT/r/<run id>`: the proxy strips that prefix, forwards the request to
Prism unchanged and records method, path, status and, for an error, Prism's reason.
Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "te",
    "trailer",
    "upgrade",
    "proxy-connection",
    "host",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def prism(
    binary: Path, spec: Path, log: Path, *, errors: bool = False, timeout: float = 240
) -> Iterator[str]:
    """`prism mock` (with `--errors` when `errors`) on a free loopback port; yields its URL.
    Its output goes to `log`. Prism refuses a request the spec does not allow (422) either
    way; `--errors` also turns a response example that breaks its own schema into a 500."""
    port = free_port()
    with open(log, "wb") as out:
        flags = ["--errors"] if errors else []
        proc = subprocess.Popen(
            [str(binary), "mock", str(spec), *flags, "-h", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise SystemExit(f"Prism exited with code {proc.returncode}; see {log}")
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), timeout=0.5),
                ):
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"Prism did not listen within {timeout:.0f} s; see {log}")
                time.sleep(0.5)
            yield f"http://127.0.0.1:{port}"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@dataclass
class Exchange:
    """One request a snippet made, and what the mock said."""

    method: str
    path: str
    status: int
    reason: str = ""  # Prism's complaint for a 4xx/5xx: its violations, else title/detail
    accept: str = ""  # the request's Accept header


def prism_reason(body: bytes) -> str:
    """The violations of a Prism problem document (`validation[].message`), else its title."""
    try:
        doc = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace")
    if not isinstance(doc, dict):
        return str(doc)[:200]
    found = doc.get("validation")
    if isinstance(found, list) and found:
        parts = []
        for v in found:
            if isinstance(v, dict):
                where = ".".join(str(p) for p in v.get("location") or [])
                parts.append(f"{where}: {v.get('message', '')}".strip(": "))
        return "; ".join(sorted(set(parts)))
    title = str(doc.get("title") or "")
    kind = str(doc.get("type") or "").rpartition("#")[2]
    return f"{kind}: {title}" if kind else title or str(doc)[:200]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A snippet that exits drops its keep-alive connection: not worth a traceback."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class RecordingProxy:
    """A threaded HTTP/1.1 proxy in front of Prism; `records[run_id]` lists the exchanges."""

    def __init__(self, upstream: str) -> None:
        host, _, port = upstream.removeprefix("http://").partition(":")
        self.upstream = (host, int(port))
        self.records: dict[str, list[Exchange]] = defaultdict(list)
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> RecordingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def base_url(self, run_id: str) -> str:
        return f"{self.url}/r/{run_id}"

    def _record(self, run_id: str, exchange: Exchange) -> None:
        with self._lock:
            self.records[run_id].append(exchange)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _body(self) -> bytes:
                if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                    data = b""
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _forward(self) -> None:
                run_id, path = "-", self.path
                if path.startswith("/r/"):
                    run_id, _, rest = path[3:].partition("/")
                    path = "/" + rest
                body = self._body()
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                conn = http.client.HTTPConnection(*proxy.upstream, timeout=60)
                try:
                    conn.request(self.command, path, body=body or None, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    status, resp_headers = resp.status, resp.getheaders()
                except OSError as exc:
                    status, resp_headers, data = 502, [], f"proxy: {exc}".encode()
                finally:
                    conn.close()
                reason = prism_reason(data) if status >= 400 else ""
                accept = self.headers.get("Accept", "")
                proxy._record(run_id, Exchange(self.command, path, status, reason, accept))
                self.send_response(status)
                for k, v in resp_headers:
                    if k.lower() not in HOP_BY_HOP:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    with contextlib.suppress(OSError):
                        self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _forward

        return Handler
