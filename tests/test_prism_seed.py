"""Prism validates the requests the generated `videos.edit` sends, with a file and a reference."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ROOT
from prism import prism_mock


@pytest.fixture(scope="module")
def prism_url() -> Iterator[str]:
    with prism_mock(ROOT / "spec" / "openapi.yaml") as url:
        yield url


@pytest.fixture(scope="module")
def ov() -> Iterator[Any]:
    sys.path.insert(0, str(ROOT / "output"))
    try:
        import openai_videos

        yield openai_videos
    finally:
        sys.path.remove(str(ROOT / "output"))


def test_prism_accepts_a_file_upload(ov: Any, prism_url: str) -> None:
    client = ov.Client(api_key="sk-test", base_url=prism_url, max_retries=0)
    raw = client.videos.with_raw_response.edit(prompt="x", video=io.BytesIO(b"Example data"))
    assert raw.status_code == 200, raw.text()
    video = raw.parse()
    assert video.object == "video" and video.size == "720x1280"


def test_prism_accepts_a_reference(ov: Any, prism_url: str) -> None:
    client = ov.Client(api_key="sk-test", base_url=prism_url, max_retries=0)
    video = client.videos.edit(prompt="x", video={"id": "video_123"})
    assert video.status == "queued"


def test_prism_rejects_what_the_spec_forbids(ov: Any, prism_url: str) -> None:
    """The contract check has teeth: a request missing `prompt` is refused."""
    client = ov.Client(api_key="sk-test", base_url=prism_url, max_retries=0)
    with pytest.raises(ov.APIStatusError) as info:
        client.videos.edit(prompt=ov.NOT_GIVEN, video={"id": "video_123"})
    assert info.value.status_code in (400, 422)


def test_prism_requires_auth(ov: Any, prism_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a key the client cannot be made (every operation needs one); a request that
    loses its Authorization header on the way gets the mock's 401."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ov._exceptions.SDKError, match="OPENAI_API_KEY"):
        ov.Client(base_url=prism_url, max_retries=0)
    client = ov.Client(api_key="sk-test", base_url=prism_url, max_retries=0)
    client.auth = {}  # as if no scheme were configured
    with pytest.raises(ov.AuthenticationError):
        client.videos.edit(prompt="x", video={"id": "video_123"})
