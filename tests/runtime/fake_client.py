"""Hand-written stand-in for a generated ``_client.py`` (copied into the test package).

It mirrors what sdkforge generates: a Client subclass with api_key/env fallbacks,
a resource with raw/streaming variants, and pydantic models.
"""

import os
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal, Union, cast

import httpx
from pydantic import Field
from typing_extensions import TypedDict

from ._auth import APIKeyAuth, AuthScheme, BearerAuth
from ._base_client import (
    DEFAULT_MAX_RETRIES,
    AsyncAPIClient,
    AsyncAPIResource,
    SyncAPIClient,
    SyncAPIResource,
)
from ._models import BaseModel
from ._resources import AsyncCompletions, AsyncFiles, Completions, Files
from ._response import (
    AsyncAPIResponse,
    AsyncResponseContextManager,
    BinaryResponse,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, Body, FileTypes, Headers, NotGiven, Param, Query

VideoSize = Literal["720x1280", "1280x720"]
VideoModel = Union[str, Literal["sora-2", "sora-2-pro"]]


class VideoError(BaseModel):
    code: str
    message: str


class Video(BaseModel):
    id: str
    completed_at: int | None
    created_at: int = 0
    error: VideoError | None = None
    model: VideoModel | None = None
    object: Literal["video"] = "video"
    size: VideoSize | None = None
    status: Literal["queued", "in_progress", "completed", "failed"] | None = None
    remixed_from: Annotated[str | None, Field(alias="remixed_from_video_id")] = None


class VideoList(BaseModel):
    data: list[Video]
    has_more: bool = False


class ProgressEvent(BaseModel):
    type: Literal["progress"]
    progress: int


class DoneEvent(BaseModel):
    type: Literal["done"]
    video: Video


VideoEvent = Annotated[ProgressEvent | DoneEvent, Field(discriminator="type")]


class VideoReferenceInputParam(TypedDict):
    id: str


_VIDEO_ID = Param("video_id", "path")
_LIMIT = Param("limit", "query")
_IDS = Param("ids", "query", explode=False)
_TRACE = Param("X-Trace", "header")
_SESSION = Param("session", "cookie")
_TIMEOUT = Union[float, httpx.Timeout, None, NotGiven]


class Videos(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> "VideosWithRawResponse":
        return VideosWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> "VideosWithStreamingResponse":
        return VideosWithStreamingResponse(self)

    def edit(
        self,
        *,
        prompt: str,
        video: FileTypes | VideoReferenceInputParam | dict[str, object],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: _TIMEOUT = NOT_GIVEN,
    ) -> Video:
        return cast(
            "Video",
            self._client.request(
                Video,
                method="post",
                path="/videos/edits",
                body={"prompt": prompt, "video": video},
                content_types=("multipart/form-data", "application/json"),
                file_fields=("video",),
                multipart_encoding={"video": "application/octet-stream, application/json"},
                security=(("ApiKeyAuth",),),
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
            ),
        )

    def list(
        self,
        *,
        limit: int | NotGiven = NOT_GIVEN,
        ids: list[str] | NotGiven = NOT_GIVEN,
        trace: str | NotGiven = NOT_GIVEN,
        session: str | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: _TIMEOUT = NOT_GIVEN,
    ) -> VideoList:
        return cast(
            "VideoList",
            self._client.request(
                VideoList,
                method="get",
                path="/videos",
                params=((_LIMIT, limit), (_IDS, ids), (_TRACE, trace), (_SESSION, session)),
                security=(("ApiKeyAuth",),),
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
            ),
        )

    def retrieve(self, video_id: str, *, extra_headers: Headers | None = None) -> Video:
        return cast(
            "Video",
            self._client.request(
                Video,
                method="get",
                path="/videos/{video_id}",
                params=((_VIDEO_ID, video_id),),
                security=(("ApiKeyAuth",),),
                extra_headers=extra_headers,
            ),
        )

    def delete(self, video_id: str) -> None:
        self._client.request(
            None,
            method="delete",
            path="/videos/{video_id}",
            params=((_VIDEO_ID, video_id),),
            security=(("ApiKeyAuth",),),
            response_kind="empty",
        )

    def download_content(
        self, video_id: str, *, extra_headers: Headers | None = None
    ) -> BinaryResponse:
        return cast(
            "BinaryResponse",
            self._client.request(
                BinaryResponse,
                method="get",
                path="/videos/{video_id}/content",
                params=((_VIDEO_ID, video_id),),
                security=(("ApiKeyAuth",),),
                response_kind="binary",
                extra_headers=extra_headers,
            ),
        )

    def events(self, video_id: str, *, extra_headers: Headers | None = None) -> Stream[VideoEvent]:
        return cast(
            "Stream[VideoEvent]",
            self._client.request(
                VideoEvent,
                method="get",
                path="/videos/{video_id}/events",
                params=((_VIDEO_ID, video_id),),
                security=(("ApiKeyAuth",),),
                response_kind="sse",
                extra_headers=extra_headers,
            ),
        )

    def upload_raw(self, data: FileTypes) -> str:
        return cast(
            "str",
            self._client.request(
                str,
                method="put",
                path="/raw",
                body=data,
                content_types=("application/octet-stream",),
                response_kind="text",
            ),
        )


class VideosWithRawResponse:
    def __init__(self, videos: Videos) -> None:
        self.edit = to_raw_response_wrapper(videos.edit)
        self.retrieve = to_raw_response_wrapper(videos.retrieve)
        self.events = to_raw_response_wrapper(videos.events)


class VideosWithStreamingResponse:
    def __init__(self, videos: Videos) -> None:
        self.edit = to_streamed_response_wrapper(videos.edit)
        self.download_content = to_streamed_response_wrapper(videos.download_content)


class Client(SyncAPIClient):
    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: _TIMEOUT = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self.api_key = api_key if api_key is not None else os.environ.get("RTPKG_API_KEY")
        base_url = base_url or os.environ.get("RTPKG_BASE_URL") or "https://api.example.invalid/v1"
        auth: dict[str, AuthScheme | None] = {
            "ApiKeyAuth": BearerAuth(self.api_key) if self.api_key else None
        }
        super().__init__(
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            auth=auth,
        )

    @cached_property
    def videos(self) -> Videos:
        return Videos(self)

    @cached_property
    def files(self) -> Files:
        return Files(self)

    @cached_property
    def completions(self) -> Completions:
        return Completions(self)

    def _copy_kwargs(self) -> dict[str, Any]:
        return {**super()._copy_kwargs(), "api_key": self.api_key}


class AsyncVideos(AsyncAPIResource):
    @cached_property
    def with_raw_response(self) -> "AsyncVideosWithRawResponse":
        return AsyncVideosWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> "AsyncVideosWithStreamingResponse":
        return AsyncVideosWithStreamingResponse(self)

    async def edit(
        self,
        *,
        prompt: str,
        video: FileTypes | VideoReferenceInputParam | dict[str, object],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: _TIMEOUT = NOT_GIVEN,
    ) -> Video:
        return cast(
            "Video",
            await self._client.request(
                Video,
                method="post",
                path="/videos/edits",
                body={"prompt": prompt, "video": video},
                content_types=("multipart/form-data", "application/json"),
                file_fields=("video",),
                security=(("ApiKeyAuth",),),
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
            ),
        )

    async def events(self, video_id: str) -> AsyncStream[VideoEvent]:
        return cast(
            "AsyncStream[VideoEvent]",
            await self._client.request(
                VideoEvent,
                method="get",
                path="/videos/{video_id}/events",
                params=((_VIDEO_ID, video_id),),
                security=(("ApiKeyAuth",),),
                response_kind="sse",
            ),
        )


class AsyncVideosWithRawResponse:
    def __init__(self, videos: AsyncVideos) -> None:
        self.edit = async_to_raw_response_wrapper(videos.edit)


class AsyncVideosWithStreamingResponse:
    def __init__(self, videos: AsyncVideos) -> None:
        self.edit = async_to_streamed_response_wrapper(videos.edit)


class AsyncClient(AsyncAPIClient):
    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: _TIMEOUT = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        query_key: str | None = None,
    ) -> None:
        self.api_key = api_key if api_key is not None else os.environ.get("RTPKG_API_KEY")
        base_url = base_url or os.environ.get("RTPKG_BASE_URL") or "https://api.example.invalid/v1"
        super().__init__(
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            auth={
                "ApiKeyAuth": BearerAuth(self.api_key) if self.api_key else None,
                "QueryKey": APIKeyAuth("key", "query", query_key) if query_key else None,
            },
        )

    @cached_property
    def videos(self) -> AsyncVideos:
        return AsyncVideos(self)

    @cached_property
    def files(self) -> AsyncFiles:
        return AsyncFiles(self)

    @cached_property
    def completions(self) -> AsyncCompletions:
        return AsyncCompletions(self)

    def _copy_kwargs(self) -> dict[str, Any]:
        return {**super()._copy_kwargs(), "api_key": self.api_key}


__all__ = ["AsyncAPIResponse", "AsyncResponseContextManager"]
