"""A client generated from a real server's own description, driven against that server.

Jupyter Server (a test dependency) ships its REST API as Swagger 2.0 in its package
(`jupyter_server/services/api/api.yaml`). The client is generated from that file with no
configuration, the server runs on 127.0.0.1 (a free port, a token, a temporary root
directory and Jupyter directories), and one scenario runs through the sync and the async
client: files created, read, listed, updated, renamed, checkpointed and deleted, a binary
upload read back, the server's spec downloaded as a byte stream, a query parameter, a
free-form JSON body, and the 400 / 403 / 404 error paths.

The spec has no `securityDefinitions`: the token goes in `default_headers`, as a user of
such a client would send it. Method names come from the spec's paths today; `CALLS` is
the only place that names them.
"""

from __future__ import annotations

import base64
import importlib
import importlib.metadata
import inspect
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from sdkforge.cli import main

# Every accessor the tests call: what the scenario does → `resource.method` on the client.
CALLS = {
    "version": "api.retrieve",
    "read": "contents.retrieve",
    "save": "contents.replace",
    "create": "contents.create",
    "rename": "contents.update",
    "delete": "contents.delete",
    "checkpoint": "contents.checkpoints.create",
    "checkpoints": "contents.checkpoints.list",
    "restore": "contents.checkpoints.restore",
    "drop_checkpoint": "contents.checkpoints.delete",
    "sessions": "sessions.list",
    "kernels": "kernels.list",
    "kernel": "kernels.retrieve",
    "kernelspecs": "kernelspecs.retrieve",
    "config": "config.retrieve",
    "update_config": "config.update",
    "status": "status.retrieve",
    "me": "me.retrieve",
    "spec": "spec.retrieve",  # /api/spec.yaml: no name from a file extension (issue 23)
}
# The rename's body field `path` is also the path parameter's name: this is its argument.
RENAME_TO = "path_body"


@dataclass
class Jupyter:
    base_url: str
    token: str
    root: Path
    spec: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jupyter]:
    """A Jupyter Server on 127.0.0.1, answering its API, stopped after the module."""
    try:
        server_app = importlib.import_module("jupyter_server.serverapp")
    except ImportError as exc:
        pytest.skip(f"jupyter_server cannot be imported (pip install -e '.[test]'): {exc}")
    spec = Path(server_app.__file__).parent / "services" / "api" / "api.yaml"
    home = tmp_path_factory.mktemp("jupyter")
    root = home / "root"
    root.mkdir()
    token = secrets.token_hex(16)
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    args = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--allow-root",  # CI runs as root
    ]
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter server exited: {(home / 'server.log').read_text()[-3000:]}")
            try:
                if httpx.get(base_url + "/api", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"jupyter server not ready: {(home / 'server.log').read_text()[-3000:]}"
                )
            time.sleep(0.2)
        yield Jupyter(base_url, token, root, spec)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def sdk(jupyter: Jupyter, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The package generated from the server's own api.yaml, with no configuration. Only
    the package is named: the API's short name is `jupyter_server`, the server's own import
    package, already imported in this process (a user generating a client for a server
    they also run would pick another name the same way)."""
    out = tmp_path_factory.mktemp("client")
    result = CliRunner().invoke(
        main,
        ["generate", "--spec", str(jupyter.spec), "--output", str(out), "--package-name", "jupyter_api"],
    )
    assert result.exit_code == 0, result.output
    (client,) = out.glob("*/_client.py")
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(client.parent.name)
    finally:
        sys.path.remove(str(out))


class Api:
    """One client, sync or async, called the same way: `await api.call("read", path=...)`."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def method(self, action: str, wrapper: str | None = None) -> Any:
        resource, name = CALLS[action].rsplit(".", 1)
        target = self.client
        for part in resource.split("."):
            target = getattr(target, part)
        if wrapper is not None:
            target = getattr(target, wrapper)
        return getattr(target, name)

    async def call(self, action: str, **kwargs: Any) -> Any:
        result = self.method(action)(**kwargs)
        return await result if inspect.isawaitable(result) else result

    async def download(self, action: str) -> bytes:
        """The body of `action`'s response, read as a byte stream."""
        streaming = self.method(action, "with_streaming_response")()
        if hasattr(streaming, "__aenter__"):
            async with streaming as response:
                return b"".join([chunk async for chunk in response.iter_bytes()])
        with streaming as response:
            return b"".join(response.iter_bytes())


@dataclass
class Session:
    """The clients of one test, all of one kind (sync or async), and where files land."""

    kind: str
    jupyter: Jupyter
    sdk: Any
    clients: list[Any]

    def api(self, token: str | None = "valid") -> Api:
        """A client sending `token` (default: the server's own; None: no header at all)."""
        token = self.jupyter.token if token == "valid" else token
        headers = {"Authorization": f"token {token}"} if token is not None else {}
        cls = self.sdk.Client if self.kind == "sync" else self.sdk.AsyncClient
        client = cls(base_url=self.jupyter.base_url, default_headers=headers, max_retries=0)
        self.clients.append(client)
        return Api(client)


@pytest.fixture(params=["sync", "async"])
async def session(
    request: pytest.FixtureRequest, jupyter: Jupyter, sdk: Any
) -> AsyncIterator[Session]:
    made = Session(request.param, jupyter, sdk, [])
    yield made
    for client in made.clients:
        closing = client.close()
        if inspect.isawaitable(closing):
            await closing


async def test_files_created_read_listed_updated_renamed_deleted(session: Session) -> None:
    api, models = session.api(), session.sdk.models
    folder = f"crud-{session.kind}"
    made = await api.call("save", path=folder, type="directory")
    assert (made.type, made.name) == ("directory", folder)

    saved = await api.call(
        "save", path=f"{folder}/notes.txt", type="file", format="text", content="first"
    )
    assert isinstance(saved, models.Contents)
    assert (saved.type, saved.path, saved.writable) == ("file", f"{folder}/notes.txt", True)
    read = await api.call("read", path=f"{folder}/notes.txt")
    assert (read.content, read.format, read.mimetype) == ("first", "text", "text/plain")
    assert (session.jupyter.root / folder / "notes.txt").read_text() == "first"

    await api.call("save", path=f"{folder}/notes.txt", type="file", format="text", content="second")
    assert (await api.call("read", path=f"{folder}/notes.txt", format="text")).content == "second"

    untitled = await api.call("create", path=folder, type="file", ext=".txt")
    assert untitled.name.startswith("untitled") and untitled.name.endswith(".txt")

    renamed = await api.call(
        "rename", path=f"{folder}/notes.txt", **{RENAME_TO: f"{folder}/kept.txt"}
    )
    assert renamed.path == f"{folder}/kept.txt"
    with pytest.raises(session.sdk.NotFoundError) as missing:
        await api.call("read", path=f"{folder}/notes.txt")
    assert missing.value.status_code == 404

    # A directory's `content` is a list though the spec says string: kept as sent.
    listing = await api.call("read", path=folder)
    assert listing.type == "directory"
    assert sorted(item["name"] for item in listing.content) == sorted(["kept.txt", untitled.name])
    assert (await api.call("read", path=folder, content=0)).content is None

    assert await api.call("delete", path=f"{folder}/kept.txt") is None
    with pytest.raises(session.sdk.NotFoundError):
        await api.call("read", path=f"{folder}/kept.txt")
    left = sorted(p.name for p in (session.jupyter.root / folder).iterdir())
    assert [n for n in left if not n.startswith(".")] == [untitled.name]  # not .ipynb_checkpoints


async def test_binary_upload_and_download(session: Session) -> None:
    api = session.api()
    blob = bytes(range(256)) * 4
    name = f"blob-{session.kind}.bin"
    encoded = base64.b64encode(blob).decode()
    saved = await api.call("save", path=name, type="file", format="base64", content=encoded)
    assert (saved.size, saved.mimetype) == (len(blob), "application/octet-stream")
    assert (session.jupyter.root / name).read_bytes() == blob
    read = await api.call("read", path=name, format="base64")
    assert base64.b64decode(read.content) == blob
    # The server serves its own api.yaml: streamed, it is the very file we generated from.
    assert await api.download("spec") == session.jupyter.spec.read_bytes()
    assert await api.call("spec") == session.jupyter.spec.read_text()


async def test_checkpoints_list_restore_and_delete(session: Session) -> None:
    api = session.api()
    name = f"draft-{session.kind}.txt"
    await api.call("save", path=name, type="file", format="text", content="v1")
    checkpoint = await api.call("checkpoint", path=name)
    assert checkpoint.id
    listed = await api.call("checkpoints", path=name)
    assert [c.id for c in listed] == [checkpoint.id]
    assert isinstance(listed[0], session.sdk.models.Checkpoints)
    await api.call("save", path=name, type="file", format="text", content="v2")
    assert await api.call("restore", path=name, checkpoint_id=checkpoint.id) is None
    assert (await api.call("read", path=name)).content == "v1"
    assert await api.call("drop_checkpoint", path=name, checkpoint_id=checkpoint.id) is None
    assert await api.call("checkpoints", path=name) == []


async def test_config_query_and_server_lists(session: Session) -> None:
    api = session.api()
    section = f"sdkforge_{session.kind}"
    updated = await api.call("update_config", section_name=section, body={"a": {"b": [1, 2]}})
    assert updated == {"a": {"b": [1, 2]}}
    assert await api.call("config", section_name=section) == {"a": {"b": [1, 2]}}

    version = await api.call("version")
    assert version.version == importlib.metadata.version("jupyter_server")
    status = await api.call("status")
    assert status.kernels == 0 and status.started
    asked = json.dumps({"contents": ["read", "write"], "kernels": ["execute"]})
    me = await api.call("me", permissions=asked)
    assert me.identity.username
    assert me.permissions["contents"] == ["read", "write"]
    assert me.permissions["kernels"] == ["execute"]
    assert await api.call("sessions") == []
    assert await api.call("kernels") == []
    specs = await api.call("kernelspecs")
    assert isinstance(specs.kernelspecs, dict)


async def test_error_paths(session: Session) -> None:
    sdk = session.sdk
    for token in ("wrong-" + session.jupyter.token, None):
        with pytest.raises(sdk.PermissionDeniedError) as denied:
            await session.api(token).call("read", path="anything.txt")
        assert denied.value.status_code == 403
    with pytest.raises(sdk.NotFoundError) as missing:
        await session.api().call("kernel", kernel_id=str(uuid.uuid4()))
    assert missing.value.status_code == 404
    api = session.api()
    name = f"plain-{session.kind}.txt"
    await api.call("save", path=name, type="file", format="text", content="x")
    with pytest.raises(sdk.BadRequestError) as bad:
        await api.call("read", path=name, type="directory")  # a file asked for as a folder
    assert bad.value.status_code == 400
    assert "not a directory" in str(bad.value.body)
    # The version needs no token at all.
    assert (await session.api(None).call("version")).version
