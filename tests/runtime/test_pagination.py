"""Pages of every scheme, sync and async, against a real loopback server.

The server pages through seven files three at a time, so each walk takes three pages
(four when only an empty page says the list has ended).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import Recorded, Reply, Server

FILES = [{"id": f"file-{i}", "filename": f"f{i}.txt"} for i in range(7)]
IDS = [f["id"] for f in FILES]
SIZE = 3


def query(rec: Recorded) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(rec.path).query).items()}


def queries(server: Server) -> list[dict[str, str]]:
    return [query(r) for r in server.requests]


def cursor_handler(rec: Recorded) -> Reply:
    q = query(rec)
    start = IDS.index(q["after"]) + 1 if "after" in q else 0
    end = start + int(q.get("limit", SIZE))
    chunk = FILES[start:end]
    return Reply(
        body={
            "object": "list",
            "data": chunk,
            "has_more": end < len(FILES),
            "first_id": chunk[0]["id"] if chunk else None,
            "last_id": chunk[-1]["id"] if chunk else None,
        }
    )


def token_handler(rec: Recorded) -> Reply:
    start = int(query(rec).get("page_token", "t0")[1:])
    nxt = f"t{start + SIZE}" if start + SIZE < len(FILES) else None
    return Reply(body={"files": FILES[start : start + SIZE], "next_page_token": nxt})


def offset_handler(total: bool) -> Callable[[Recorded], Reply]:
    def handle(rec: Recorded) -> Reply:
        start = int(query(rec).get("offset", 0))
        body: dict[str, Any] = {"results": FILES[start : start + SIZE]}
        if total:
            body["count"] = len(FILES)
        return Reply(body=body)

    return handle


def numbered_handler(rec: Recorded) -> Reply:
    page = int(query(rec).get("page", 1))
    start = (page - 1) * SIZE
    return Reply(body={"result": {"items": FILES[start : start + SIZE]}, "pages": 3})


def link_handler(base: str) -> Callable[[Recorded], Reply]:
    """GitHub style: the body is the list, the next page is a `Link` header."""

    def handle(rec: Recorded) -> Reply:
        page = int(query(rec).get("page", 1))
        start = (page - 1) * SIZE
        headers = {"Content-Type": "application/json"}
        if start + SIZE < len(FILES):
            nxt = f"{base}/links?state=open&page={page + 1}"
            headers["Link"] = f'<{nxt}>; rel="next", <{base}/links?page=3>; rel="last"'
        return Reply(body=json.dumps(FILES[start : start + SIZE]), headers=headers)

    return handle


def next_url_handler(rec: Recorded) -> Reply:
    start = int(query(rec).get("from", 0))
    nxt = f"next-url?from={start + SIZE}" if start + SIZE < len(FILES) else None
    return Reply(body={"data": FILES[start : start + SIZE], "links": {"next": nxt}})


def search_handler(rec: Recorded) -> Reply:
    start = int(rec.json().get("cursor", 0))
    end = start + SIZE
    return Reply(body={"files": FILES[start:end], "cursor": str(end), "has_more": end < len(FILES)})


def test_cursor_by_last_id(client: Any, server: Server, rt: Any) -> None:
    server.reply(*[cursor_handler] * 3)
    page = client.files.list(limit=3)
    assert isinstance(page, rt._pagination.SyncCursorPage)
    assert isinstance(page[0], rt._resources.FileObject) and page[0].id == "file-0"
    assert len(page) == 3 and [f.id for f in page.data] == IDS[:3]
    assert page.has_next_page()
    assert [f.id for f in page] == IDS  # iterating walks every page
    assert queries(server) == [
        {"limit": "3"},
        {"limit": "3", "after": "file-2"},
        {"limit": "3", "after": "file-5"},
    ]
    assert all(r.header("Authorization") == "Bearer sk-test-secret-123" for r in server.requests)


def test_page_navigation_and_parsed_response(client: Any, server: Server, rt: Any) -> None:
    server.reply(*[cursor_handler] * 5)
    first = client.files.list(limit=3)
    second = first.get_next_page()
    assert [f.id for f in second.data] == IDS[3:6]
    assert [f.id for f in second[1:]] == IDS[4:6]
    assert isinstance(first.parsed, rt._resources.FileList)
    assert first.has_more is True and first.last_id == "file-2"  # read through to the model
    assert first.http_response.status_code == 200
    pages = list(second.iter_pages())
    assert [len(p) for p in pages] == [3, 1]
    assert not pages[-1].has_next_page()
    with pytest.raises(RuntimeError, match="No next page"):
        pages[-1].get_next_page()
    with pytest.raises(AttributeError):
        _ = first.no_such_field


def test_next_page_keeps_the_call_options(client: Any, server: Server) -> None:
    server.reply(*[cursor_handler] * 3)
    files = list(
        client.files.list(
            limit=3,
            extra_query={"trace": "q", "after": "file-2"},
            extra_headers={"X-Trace": "h"},
            timeout=5.0,
        )
    )
    assert [f.id for f in files] == IDS[3:]
    assert [q.get("after") for q in queries(server)] == ["file-2", "file-5"]
    assert all(q["trace"] == "q" for q in queries(server))
    assert all(r.header("X-Trace") == "h" for r in server.requests)


def test_next_cursor_from_the_response(client: Any, server: Server) -> None:
    server.reply(*[token_handler] * 3)
    assert [f.id for f in client.files.list_tokens()] == IDS
    assert [q.get("page_token") for q in queries(server)] == [None, "t3", "t6"]


def test_offset_until_total(client: Any, server: Server) -> None:
    server.reply(*[offset_handler(total=True)] * 3)
    assert [f.id for f in client.files.list_offset(limit=3)] == IDS
    assert [q.get("offset") for q in queries(server)] == [None, "3", "6"]
    assert all(q["limit"] == "3" for q in queries(server))


def test_offset_until_an_empty_page(client: Any, server: Server) -> None:
    server.reply(*[offset_handler(total=False)] * 4)
    assert [f.id for f in client.files.list_offset()] == IDS
    assert [q.get("offset") for q in queries(server)] == [None, "3", "6", "7"]


def test_page_number(client: Any, server: Server) -> None:
    server.reply(*[numbered_handler] * 3)
    page = client.files.list_numbered(per_page=3)
    assert [f.id for f in page] == IDS
    assert [(q.get("page"), q["per_page"]) for q in queries(server)] == [
        (None, "3"),
        ("2", "3"),
        ("3", "3"),
    ]


def test_link_header(client: Any, server: Server) -> None:
    server.reply(*[link_handler(server.url)] * 3)
    assert [f.id for f in client.files.list_links(state="open")] == IDS
    paths = [r.path for r in server.requests]
    # The link's own query wins: `state` is not sent twice.
    assert paths == ["/links?state=open", "/links?state=open&page=2", "/links?state=open&page=3"]
    assert all(r.header("Authorization") for r in server.requests)


def test_link_to_another_origin_drops_credentials(client: Any, server: Server) -> None:
    other = server.url.replace("127.0.0.1", "localhost")
    server.reply(*[link_handler(other)] * 3)
    assert [f.id for f in client.files.list_links()] == IDS
    assert server.requests[0].header("Authorization") is not None
    assert [r.header("Authorization") for r in server.requests[1:]] == [None, None]


def test_next_url_in_the_body(client: Any, server: Server) -> None:
    server.reply(*[next_url_handler] * 3)
    assert [f.id for f in client.files.list_next_url()] == IDS
    assert [r.path for r in server.requests] == [
        "/next-url",
        "/next-url?from=3",
        "/next-url?from=6",
    ]


def test_cursor_in_a_post_body(client: Any, server: Server) -> None:
    server.reply(*[search_handler] * 3)
    assert [f.id for f in client.files.search(query="f")] == IDS
    assert [r.json() for r in server.requests] == [
        {"query": "f"},
        {"query": "f", "cursor": "3"},
        {"query": "f", "cursor": "6"},
    ]


def test_a_failed_page_fetch_is_retried(client: Any, server: Server, sleeps: list[float]) -> None:
    server.reply(cursor_handler, Reply(status=500), cursor_handler, cursor_handler)
    assert [f.id for f in client.files.list(limit=3)] == IDS
    assert [q.get("after") for q in queries(server)] == [None, "file-2", "file-2", "file-5"]
    assert len(sleeps) == 1


def test_a_cursor_that_does_not_move_stops(client: Any, server: Server) -> None:
    stuck = Reply(body={"files": FILES[:3], "next_page_token": "same"})
    server.reply(stuck, Reply(body={"files": FILES[:3], "next_page_token": "same"}))
    page = client.files.list_tokens()
    second = page.get_next_page()
    assert not second.has_next_page()
    assert len(server.requests) == 2


def test_raw_response_parses_to_a_page(client: Any, server: Server, rt: Any) -> None:
    server.reply(*[cursor_handler] * 2)
    raw = client.files.with_raw_response.list(limit=3)
    assert isinstance(raw, rt._response.APIResponse) and raw.status_code == 200
    page = raw.parse()
    assert isinstance(page, rt._pagination.SyncCursorPage)
    nxt = page.get_next_page()
    assert isinstance(nxt, rt._pagination.SyncCursorPage)  # later pages are pages, not raw
    assert [f.id for f in nxt.data] == IDS[3:6]


def test_unsubscripted_page_gives_the_json_items(client: Any, server: Server, rt: Any) -> None:
    server.reply(cursor_handler)
    page = client.get_api_list(
        rt._pagination.SyncPage, paging=rt._pagination.Paging(), method="get", path="/files"
    )
    assert page.data == FILES[:3] and not page.has_next_page()
    assert page.parsed["has_more"] is True and page.object == "list"


async def test_async_every_scheme(aclient: Any, server: Server) -> None:
    server.reply(*[cursor_handler] * 3)
    assert [f.id async for f in aclient.files.list(limit=3)] == IDS
    server.reply(*[token_handler] * 3)
    assert [f.id async for f in aclient.files.list_tokens()] == IDS
    server.reply(*[offset_handler(total=True)] * 3)
    assert [f.id async for f in aclient.files.list_offset()] == IDS
    server.reply(*[numbered_handler] * 3)
    assert [f.id async for f in aclient.files.list_numbered()] == IDS
    server.reply(*[link_handler(server.url)] * 3)
    assert [f.id async for f in aclient.files.list_links()] == IDS
    server.reply(*[next_url_handler] * 3)
    assert [f.id async for f in aclient.files.list_next_url()] == IDS
    assert len(server.requests) == 18


async def test_async_page_navigation(
    aclient: Any, server: Server, rt: Any, sleeps: list[float]
) -> None:
    server.reply(cursor_handler, Reply(status=503), *[cursor_handler] * 4)
    page = await aclient.files.list(limit=3)
    assert isinstance(page, rt._pagination.AsyncCursorPage)
    assert len(page) == 3 and page[2].id == "file-2" and page.has_next_page()
    second = await page.get_next_page()  # the 503 is retried
    assert [f.id for f in second.data] == IDS[3:6] and len(sleeps) == 1
    assert [len(p) async for p in second.iter_pages()] == [3, 1]
    assert [f.id async for f in second] == IDS[3:]


async def test_async_raw_response_parses_to_a_page(aclient: Any, server: Server, rt: Any) -> None:
    server.reply(*[cursor_handler] * 2)
    raw = await aclient.files.with_raw_response.list(limit=3)
    assert isinstance(raw, rt._response.AsyncAPIResponse)
    page = await raw.parse()
    assert isinstance(page, rt._pagination.AsyncCursorPage)
    assert [f.id for f in (await page.get_next_page()).data] == IDS[3:6]
