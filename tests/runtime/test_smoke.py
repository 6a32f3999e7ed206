from typing import Any

from .conftest import Reply, Server


def test_edit_json(client: Any, server: Server) -> None:
    server.reply(Reply(body={"id": "v1", "completed_at": None, "status": "queued"}))
    video = client.videos.edit(prompt="hi", video={"id": "v0"})
    assert video.id == "v1"
    req = server.requests[0]
    assert req.json() == {"prompt": "hi", "video": {"id": "v0"}}
