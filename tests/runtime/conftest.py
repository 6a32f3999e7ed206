"""Fixtures: a throwaway package built from the runtime templates, and a real
scriptable HTTP server on 127.0.0.1."""

from __future__ import annotations

import email.parser
import email.policy
import importlib
import json
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = ROOT / "templates" / "python" / "{{package}}"
HERE = Path(__file__).resolve().parent
VERSION_PY = '__title__ = "rtpkg"\n__version__ = "2.3.0"\nLOG_ENV_VAR = "RTPKG_LOG"\n'


def build_package(dest: Path) -> Path:
    """Copy the runtime verbatim as package ``rtpkg`` plus a hand-written client."""
    pkg = dest / "rtpkg"
    pkg.mkdir(parents=True)
    for src in TEMPLATE_DIR.glob("*.py"):
        shutil.copy(src, pkg / src.name)
    (pkg / "_version.py").write_text(VERSION_PY)
    shutil.copy(HERE / "fake_client.py", pkg / "_client.py")
    shutil.copy(HERE / "fake_resources.py", pkg / "_resources.py")
    shutil.copy(HERE / "type_usage.py", pkg / "_type_usage.py")
    (pkg / "__init__.py").write_text("")
    (pkg / "py.typed").write_text("")
    return pkg


@pytest.fixture(scope="session")
def pkg_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("pkg"))


@pytest.fixture(scope="session")
def rt(pkg_dir: Path) -> Iterator[Any]:
    """The imported throwaway package; submodules are attributes (rt._client ...)."""
    sys.path.insert(0, str(pkg_dir.parent))
    try:
        mod = importlib.import_module("rtpkg")
        for name in (
            "_types",
            "_exceptions",
            "_files",
            "_body",
            "_paging",
            "_pagination",
            "_request_options",
            "_models",
            "_qs",
            "_auth",
            "_base_client",
            "_response",
            "_streaming",
            "_logs",
            "_utils",
            "_client",
            "_resources",
        ):
            setattr(mod, name, importlib.import_module(f"rtpkg.{name}"))
        yield mod
    finally:
        sys.path.remove(str(pkg_dir.parent))


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        for k, v in self.headers.items():
            if k.lower() == name.lower():
                return v
        return None

    def json(self) -> Any:
        return json.loads(self.body)


def multipart_parts(req: Recorded) -> list[dict[str, Any]]:
    """Parse a multipart body with the stdlib (independent of the encoder)."""
    ctype = req.header("Content-Type") or ""
    assert ctype.startswith("multipart/form-data; boundary=")
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + req.body
    )
    assert msg.is_multipart() and not msg.defects
    return [
        {
            "name": part.get_param("name", header="content-disposition"),
            "filename": part.get_filename(),
            "content_type": part.get("Content-Type"),
            "data": part.get_payload(decode=True),
        }
        for part in msg.iter_parts()
    ]


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | Any = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the socket without answering
    chunks: list[bytes] | None = None  # streamed body, connection closed after
    hold: bool = False  # after the chunks, keep the connection open until the client closes it


class Server:
    """A threaded HTTP/1.1 server whose answers are queued per test."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.client_closed = threading.Event()  # set when a held connection is closed by the client
        self.replies: list[Reply | Callable[[Recorded], Reply]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                try:
                    self._respond()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def _respond(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                rec = Recorded(self.command, self.path, dict(self.headers.items()), body)
                server.requests.append(rec)
                item = server.replies.pop(0) if server.replies else Reply()
                reply = item(rec) if callable(item) else item
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = reply.body
                if not isinstance(data, (bytes, str)):
                    data = json.dumps(data)
                    reply.headers.setdefault("Content-Type", "application/json")
                if isinstance(data, str):
                    data = data.encode()
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                if reply.chunks is not None:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in reply.chunks:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                    self.close_connection = True
                    if reply.hold:
                        self._wait_for_close()
                    return
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _wait_for_close(self) -> None:
                """Send nothing more; note when the client closes its end (EOF or reset)."""
                self.connection.settimeout(30)
                try:
                    closed = self.connection.recv(1) == b""
                except ConnectionResetError:
                    closed = True
                except OSError:
                    closed = False  # timed out: the client kept the connection open
                if closed:
                    server.client_closed.set()

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def reply(self, *replies: Reply | Callable[[Recorded], Reply]) -> None:
        self.replies.extend(replies)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    try:
        yield srv
    finally:
        srv.close()


@pytest.fixture
def sleeps(rt: Any, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry sleeps instead of sleeping."""
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(rt._base_client, "_sleep", recorded.append)
    monkeypatch.setattr(rt._base_client, "_async_sleep", fake_async_sleep)
    return recorded


@pytest.fixture
def client(rt: Any, server: Server, sleeps: list[float]) -> Iterator[Any]:
    with rt._client.Client(api_key="sk-test-secret-123", base_url=server.url) as c:
        yield c


@pytest.fixture
async def aclient(rt: Any, server: Server, sleeps: list[float]) -> Any:
    async with rt._client.AsyncClient(api_key="sk-test-secret-123", base_url=server.url) as c:
        yield c
