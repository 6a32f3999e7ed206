"""Type-checked (not run): the typing generated code and its users rely on."""

from pathlib import Path
from typing import Union

from typing_extensions import assert_type

from ._client import AsyncClient, Client, Video
from ._pagination import (
    AsyncCursorPage,
    AsyncNextURLPage,
    AsyncPaginator,
    SyncCursorPage,
    SyncNextURLPage,
)
from ._resources import ChatCompletion, ChatCompletionChunk, FileObject
from ._response import APIResponse, AsyncAPIResponse, BinaryResponse
from ._streaming import AsyncStream, Stream, StreamEvent


def sync_usage(client: Client) -> None:
    raw = client.videos.with_raw_response.edit(prompt="p", video=b"x")
    assert_type(raw, APIResponse[Video])
    assert_type(raw.parse(), Video)
    with client.videos.with_streaming_response.edit(prompt="p", video=b"x") as resp:
        assert_type(resp, APIResponse[Video])
        for chunk in resp.iter_bytes():
            assert_type(chunk, bytes)
    assert_type(client.with_options(max_retries=0), Client)


def sync_pages(client: Client) -> None:
    page = client.files.list(limit=3)
    assert_type(page, SyncCursorPage[FileObject])
    assert_type(page.data, list[FileObject])
    assert_type(page[0], FileObject)
    assert_type(page[1:], list[FileObject])
    assert_type(len(page), int)
    for item in page:
        assert_type(item, FileObject)
    for each in page.iter_pages():
        assert_type(each, SyncCursorPage[FileObject])
    if page.has_next_page():
        assert_type(page.get_next_page(), SyncCursorPage[FileObject])
    assert_type(client.files.list_links(), SyncNextURLPage[FileObject])
    assert_type(client.files.with_raw_response.list().parse(), SyncCursorPage[FileObject])


async def async_pages(client: AsyncClient) -> None:
    paginator = client.files.list(limit=3)
    assert_type(paginator, AsyncPaginator[FileObject, AsyncCursorPage[FileObject]])
    async for item in paginator:
        assert_type(item, FileObject)
    page = await client.files.list()
    assert_type(page, AsyncCursorPage[FileObject])
    assert_type(page[0], FileObject)
    async for each in page.iter_pages():
        assert_type(each, AsyncCursorPage[FileObject])
    assert_type(await page.get_next_page(), AsyncCursorPage[FileObject])
    assert_type(await client.files.list_next_url(), AsyncNextURLPage[FileObject])
    raw = await client.files.with_raw_response.list()
    assert_type(await raw.parse(), AsyncCursorPage[FileObject])


def sync_streams(client: Client, flag: bool) -> None:
    assert_type(client.completions.create(model="m"), ChatCompletion)
    assert_type(client.completions.create(model="m", stream=False), ChatCompletion)
    stream = client.completions.create(model="m", stream=True)
    assert_type(stream, Stream[ChatCompletionChunk])
    for chunk in stream:
        assert_type(chunk, ChatCompletionChunk)
    for event in stream.events():
        assert_type(event, StreamEvent[ChatCompletionChunk])
        assert_type(event.event, Union[str, None])
    assert_type(
        client.completions.create(model="m", stream=flag),
        Union[ChatCompletion, Stream[ChatCompletionChunk]],
    )
    speech = client.completions.speech(input="x")
    assert_type(speech, BinaryResponse)
    assert_type(speech.content, bytes)
    assert_type(speech.text, str)
    speech.write_to_file(Path("out.mp3"))
    with client.completions.with_streaming_response.speech(input="x") as response:
        assert_type(response, APIResponse[BinaryResponse])
        response.stream_to_file("speech.mp3")


async def async_streams(client: AsyncClient) -> None:
    stream = await client.completions.create(model="m", stream=True)
    assert_type(stream, AsyncStream[ChatCompletionChunk])
    async for chunk in stream:
        assert_type(chunk, ChatCompletionChunk)
    async for event in stream.events():
        assert_type(event.data, ChatCompletionChunk)
    assert_type(await client.completions.create(model="m"), ChatCompletion)
    async with client.completions.with_streaming_response.speech(input="x") as response:
        assert_type(response, AsyncAPIResponse[BinaryResponse])
        await response.stream_to_file("speech.mp3")


async def async_usage(client: AsyncClient) -> None:
    raw = await client.videos.with_raw_response.edit(prompt="p", video=b"x")
    assert_type(raw, AsyncAPIResponse[Video])
    assert_type(await raw.parse(), Video)
    async with client.videos.with_streaming_response.edit(prompt="p", video=b"x") as resp:
        assert_type(resp, AsyncAPIResponse[Video])
    async with client as c:
        assert_type(c, AsyncClient)


def sync_verbs_and_request_ids(client: Client) -> None:
    got = client.get("/chat/completions/c1", cast_to=ChatCompletion, options={"timeout": 5.0})
    assert_type(got, ChatCompletion)
    assert_type(got._request_id, Union[str, None])  # pyright: ignore[reportPrivateUsage]
    assert_type(client.post("/x", cast_to=dict, body={"a": 1}), dict)  # type: ignore[type-arg]
    page = client.files.list()
    assert_type(page._request_id, Union[str, None])  # pyright: ignore[reportPrivateUsage]


async def async_verbs(client: AsyncClient) -> None:
    assert_type(await client.delete("/x/1", cast_to=ChatCompletion), ChatCompletion)
