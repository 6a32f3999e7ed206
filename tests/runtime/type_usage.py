"""Type-checked (not run): the wrapper typing the generated code relies on."""

from typing_extensions import assert_type

from ._client import AsyncClient, Client, Video
from ._response import APIResponse, AsyncAPIResponse


def sync_usage(client: Client) -> None:
    raw = client.videos.with_raw_response.edit(prompt="p", video=b"x")
    assert_type(raw, APIResponse[Video])
    assert_type(raw.parse(), Video)
    with client.videos.with_streaming_response.edit(prompt="p", video=b"x") as resp:
        assert_type(resp, APIResponse[Video])
        for chunk in resp.iter_bytes():
            assert_type(chunk, bytes)
    assert_type(client.with_options(max_retries=0), Client)


async def async_usage(client: AsyncClient) -> None:
    raw = await client.videos.with_raw_response.edit(prompt="p", video=b"x")
    assert_type(raw, AsyncAPIResponse[Video])
    assert_type(await raw.parse(), Video)
    async with client.videos.with_streaming_response.edit(prompt="p", video=b"x") as resp:
        assert_type(resp, AsyncAPIResponse[Video])
    async with client as c:
        assert_type(c, AsyncClient)
