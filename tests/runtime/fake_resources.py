"""Hand-written stand-ins for generated list, stream-by-flag and binary methods
(copied into the test package as ``_resources.py``).

They show the calls generated code makes (templates/RUNTIME.md, "What generated code
should do"): one ``Paging`` constant per list operation and ``get_api_list``; the
overloads of an operation that streams when its body says ``stream: true``.
"""

from functools import cached_property
from typing import Annotated, Literal, Union, cast, overload

import httpx
from pydantic import Field

from ._base_client import AsyncAPIResource, SyncAPIResource
from ._models import BaseModel
from ._pagination import (
    AsyncCursorPage,
    AsyncNextCursorPage,
    AsyncNextURLPage,
    AsyncOffsetPage,
    AsyncPageNumberPage,
    AsyncPaginator,
    Paging,
    SyncCursorPage,
    SyncNextCursorPage,
    SyncNextURLPage,
    SyncOffsetPage,
    SyncPageNumberPage,
)
from ._response import (
    BinaryResponse,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, Headers, NotGiven, Param, Query

_TIMEOUT = Union[float, httpx.Timeout, None, NotGiven]
_AUTH = (("ApiKeyAuth",),)


class FileObject(BaseModel):
    id: str
    filename: str = ""


class FileList(BaseModel):
    data: list[FileObject]
    has_more: bool = False
    first_id: str | None = None
    last_id: str | None = None


class ChatCompletion(BaseModel):
    id: str
    content: str = ""


class ChatCompletionChunk(BaseModel):
    id: str
    delta: str = ""


class Thread(BaseModel):
    id: str


class MessageDelta(BaseModel):
    text: str


class ThreadCreated(BaseModel):
    event: Literal["thread.created"]
    data: Thread


class ThreadMessageDelta(BaseModel):
    event: Literal["thread.message.delta"]
    data: MessageDelta


AssistantStreamEvent = Annotated[
    Union[ThreadCreated, ThreadMessageDelta], Field(discriminator="event")
]
"""Every alternative has `event` and `data`: the stream wraps each SSE as such an envelope."""


_AFTER = Param("after", "query")
_LIMIT = Param("limit", "query")
_PAGE_TOKEN = Param("page_token", "query")
_OFFSET = Param("offset", "query")
_PAGE = Param("page", "query")
_PER_PAGE = Param("per_page", "query")
_STATE = Param("state", "query")

CURSOR = Paging(items="data", has_more="has_more", cursor_param="after", id_field="id")
TOKEN = Paging(
    items="files", has_more=None, next_cursor="next_page_token", cursor_param="page_token"
)
OFFSET = Paging(items="results", has_more=None, offset_param="offset", total="count")
NUMBERED = Paging(items=("result", "items"), has_more=None, page_param="page", total_pages="pages")
LINKS = Paging(items=None, has_more=None)
NEXT_URL = Paging(items="data", has_more=None, next_url=("links", "next"))
SEARCH = Paging(
    items="files", has_more="has_more", next_cursor="cursor", cursor_param="cursor", param_in="body"
)


class Files(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> "FilesWithRawResponse":
        return FilesWithRawResponse(self)

    def list(
        self,
        *,
        after: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: _TIMEOUT = NOT_GIVEN,
    ) -> SyncCursorPage[FileObject]:
        return self._client.get_api_list(
            SyncCursorPage[FileObject],
            paging=CURSOR,
            cast_to=FileList,
            method="get",
            path="/files",
            params=((_AFTER, after), (_LIMIT, limit)),
            security=_AUTH,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )

    def list_tokens(
        self, *, page_token: str | NotGiven = NOT_GIVEN
    ) -> SyncNextCursorPage[FileObject]:
        return self._client.get_api_list(
            SyncNextCursorPage[FileObject],
            paging=TOKEN,
            method="get",
            path="/tokens",
            params=((_PAGE_TOKEN, page_token),),
        )

    def list_offset(self, *, limit: int | NotGiven = NOT_GIVEN) -> SyncOffsetPage[FileObject]:
        return self._client.get_api_list(
            SyncOffsetPage[FileObject],
            paging=OFFSET,
            method="get",
            path="/offset",
            params=((_OFFSET, NOT_GIVEN), (_LIMIT, limit)),
        )

    def list_numbered(
        self, *, per_page: int | NotGiven = NOT_GIVEN
    ) -> SyncPageNumberPage[FileObject]:
        return self._client.get_api_list(
            SyncPageNumberPage[FileObject],
            paging=NUMBERED,
            method="get",
            path="/numbered",
            params=((_PAGE, NOT_GIVEN), (_PER_PAGE, per_page)),
        )

    def list_links(self, *, state: str | NotGiven = NOT_GIVEN) -> SyncNextURLPage[FileObject]:
        return self._client.get_api_list(
            SyncNextURLPage[FileObject],
            paging=LINKS,
            method="get",
            path="/links",
            params=((_STATE, state),),
            security=_AUTH,
        )

    def list_next_url(self) -> SyncNextURLPage[FileObject]:
        return self._client.get_api_list(
            SyncNextURLPage[FileObject], paging=NEXT_URL, method="get", path="/next-url"
        )

    def search(self, *, query: str) -> SyncNextCursorPage[FileObject]:
        return self._client.get_api_list(
            SyncNextCursorPage[FileObject],
            paging=SEARCH,
            method="post",
            path="/files/search",
            body={"query": query},
            content_types=("application/json",),
        )


class FilesWithRawResponse:
    def __init__(self, files: Files) -> None:
        self.list = to_raw_response_wrapper(files.list)


class AsyncFiles(AsyncAPIResource):
    @cached_property
    def with_raw_response(self) -> "AsyncFilesWithRawResponse":
        return AsyncFilesWithRawResponse(self)

    def list(
        self,
        *,
        after: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: _TIMEOUT = NOT_GIVEN,
    ) -> AsyncPaginator[FileObject, AsyncCursorPage[FileObject]]:
        return self._client.get_api_list(
            AsyncCursorPage[FileObject],
            paging=CURSOR,
            cast_to=FileList,
            method="get",
            path="/files",
            params=((_AFTER, after), (_LIMIT, limit)),
            security=_AUTH,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )

    def list_tokens(self) -> AsyncPaginator[FileObject, AsyncNextCursorPage[FileObject]]:
        return self._client.get_api_list(
            AsyncNextCursorPage[FileObject], paging=TOKEN, method="get", path="/tokens"
        )

    def list_offset(self) -> AsyncPaginator[FileObject, AsyncOffsetPage[FileObject]]:
        return self._client.get_api_list(
            AsyncOffsetPage[FileObject], paging=OFFSET, method="get", path="/offset"
        )

    def list_numbered(self) -> AsyncPaginator[FileObject, AsyncPageNumberPage[FileObject]]:
        return self._client.get_api_list(
            AsyncPageNumberPage[FileObject], paging=NUMBERED, method="get", path="/numbered"
        )

    def list_links(self) -> AsyncPaginator[FileObject, AsyncNextURLPage[FileObject]]:
        return self._client.get_api_list(
            AsyncNextURLPage[FileObject], paging=LINKS, method="get", path="/links", security=_AUTH
        )

    def list_next_url(self) -> AsyncPaginator[FileObject, AsyncNextURLPage[FileObject]]:
        return self._client.get_api_list(
            AsyncNextURLPage[FileObject], paging=NEXT_URL, method="get", path="/next-url"
        )


class AsyncFilesWithRawResponse:
    def __init__(self, files: AsyncFiles) -> None:
        self.list = async_to_raw_response_wrapper(files.list)


class Completions(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> "CompletionsWithRawResponse":
        return CompletionsWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> "CompletionsWithStreamingResponse":
        return CompletionsWithStreamingResponse(self)

    @overload
    def create(
        self,
        *,
        model: str,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
    ) -> ChatCompletion: ...

    @overload
    def create(
        self, *, model: str, stream: Literal[True], extra_headers: Headers | None = None
    ) -> Stream[ChatCompletionChunk]: ...

    @overload
    def create(
        self, *, model: str, stream: bool, extra_headers: Headers | None = None
    ) -> ChatCompletion | Stream[ChatCompletionChunk]: ...

    def create(
        self,
        *,
        model: str,
        stream: bool | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
    ) -> ChatCompletion | Stream[ChatCompletionChunk]:
        return cast(
            "ChatCompletion | Stream[ChatCompletionChunk]",
            self._client.request(
                ChatCompletionChunk if stream else ChatCompletion,
                method="post",
                path="/chat/completions",
                body={"model": model, "stream": stream},
                content_types=("application/json",),
                response_kind="sse" if stream else "json",
                security=_AUTH,
                extra_headers=extra_headers,
            ),
        )

    def speech(self, *, input: str, extra_headers: Headers | None = None) -> BinaryResponse:
        return cast(
            "BinaryResponse",
            self._client.request(
                BinaryResponse,
                method="post",
                path="/audio/speech",
                body={"input": input},
                content_types=("application/json",),
                response_kind="binary",
                extra_headers=extra_headers,
            ),
        )


class CompletionsWithRawResponse:
    def __init__(self, completions: Completions) -> None:
        self.create = to_raw_response_wrapper(completions.create)


class CompletionsWithStreamingResponse:
    def __init__(self, completions: Completions) -> None:
        self.create = to_streamed_response_wrapper(completions.create)
        self.speech = to_streamed_response_wrapper(completions.speech)


class AsyncCompletions(AsyncAPIResource):
    @cached_property
    def with_streaming_response(self) -> "AsyncCompletionsWithStreamingResponse":
        return AsyncCompletionsWithStreamingResponse(self)

    @overload
    async def create(
        self, *, model: str, stream: Literal[False] | NotGiven = NOT_GIVEN
    ) -> ChatCompletion: ...

    @overload
    async def create(
        self, *, model: str, stream: Literal[True]
    ) -> AsyncStream[ChatCompletionChunk]: ...

    @overload
    async def create(
        self, *, model: str, stream: bool
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]: ...

    async def create(
        self, *, model: str, stream: bool | NotGiven = NOT_GIVEN
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]:
        return cast(
            "ChatCompletion | AsyncStream[ChatCompletionChunk]",
            await self._client.request(
                ChatCompletionChunk if stream else ChatCompletion,
                method="post",
                path="/chat/completions",
                body={"model": model, "stream": stream},
                content_types=("application/json",),
                response_kind="sse" if stream else "json",
                security=_AUTH,
            ),
        )

    async def speech(self, *, input: str, extra_headers: Headers | None = None) -> BinaryResponse:
        return cast(
            "BinaryResponse",
            await self._client.request(
                BinaryResponse,
                method="post",
                path="/audio/speech",
                body={"input": input},
                content_types=("application/json",),
                response_kind="binary",
                extra_headers=extra_headers,
            ),
        )


class AsyncCompletionsWithStreamingResponse:
    def __init__(self, completions: AsyncCompletions) -> None:
        self.speech = async_to_streamed_response_wrapper(completions.speech)
