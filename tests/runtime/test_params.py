"""OpenAPI parameter styles (the examples table of the specification) and path safety."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Server

ARR = ["blue", "black", "brown"]
OBJ = {"R": 100, "G": 200, "B": 150}


def enc(
    rt: Any,
    location: str,
    value: object,
    style: str = "",
    explode: bool | None = None,
    allow_reserved: bool = False,
) -> Any:
    param = rt._types.Param("color", location, style, explode, allow_reserved)
    return rt._qs.encode_params([(param, value)])


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("simple", False, "blue", "blue"),
        ("simple", False, ARR, "blue,black,brown"),
        ("simple", False, OBJ, "R,100,G,200,B,150"),
        ("simple", True, OBJ, "R=100,G=200,B=150"),
        ("label", False, "blue", ".blue"),
        ("label", False, ARR, ".blue,black,brown"),
        ("label", True, ARR, ".blue.black.brown"),
        ("label", True, OBJ, ".R=100.G=200.B=150"),
        ("matrix", False, "blue", ";color=blue"),
        ("matrix", False, ARR, ";color=blue,black,brown"),
        ("matrix", True, ARR, ";color=blue;color=black;color=brown"),
        ("matrix", False, OBJ, ";color=R,100,G,200,B,150"),
        ("matrix", True, OBJ, ";R=100;G=200;B=150"),
        ("matrix", False, None, ";color"),
        ("simple", False, True, "true"),
    ],
)
def test_path_styles(rt: Any, style: str, explode: bool, value: object, expected: str) -> None:
    assert enc(rt, "path", value, style, explode).path == {"color": expected}


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("", None, "blue", ["color=blue"]),
        ("form", True, ARR, ["color=blue", "color=black", "color=brown"]),
        ("form", False, ARR, ["color=blue,black,brown"]),
        ("form", True, OBJ, ["R=100", "G=200", "B=150"]),
        ("form", False, OBJ, ["color=R,100,G,200,B,150"]),
        ("spaceDelimited", False, ARR, ["color=blue%20black%20brown"]),
        ("pipeDelimited", False, ARR, ["color=blue%7Cblack%7Cbrown"]),
        ("deepObject", True, OBJ, ["color[R]=100", "color[G]=200", "color[B]=150"]),
        (
            "deepObject",
            True,
            {"a": {"b": 1}, "l": [1, 2]},
            ["color[a][b]=1", "color[l]=1", "color[l]=2"],
        ),
        ("form", None, None, ["color="]),
        ("form", None, False, ["color=false"]),
        ("form", None, "a&b=c d/é", ["color=a%26b%3Dc%20d%2F%C3%A9"]),
        ("form", False, ["a,b", "c"], ["color=a%2Cb,c"]),
    ],
)
def test_query_styles(
    rt: Any, style: str, explode: bool | None, value: object, expected: list[str]
) -> None:
    assert enc(rt, "query", value, style, explode).query == {"color": expected}


def test_allow_reserved(rt: Any) -> None:
    assert enc(rt, "query", "a/b:c?d&e", allow_reserved=True).query == {
        "color": ["color=a/b:c?d%26e"]
    }
    assert enc(rt, "query", "a/b", allow_reserved=False).query == {"color": ["color=a%2Fb"]}


def test_not_given_skipped_header_cookie(rt: Any) -> None:
    out = enc(rt, "query", rt._types.NOT_GIVEN)
    assert out.query == {}
    assert enc(rt, "header", ARR).headers == {"color": "blue,black,brown"}
    assert enc(rt, "cookie", "a b;c").cookies == ["color=a%20b%3Bc"]
    with pytest.raises(ValueError):
        enc(rt, "header", "x\r\nInjected: 1")


def test_path_values_cannot_escape_the_segment(rt: Any) -> None:
    assert enc(rt, "path", "a/b?c#d").path == {"color": "a%2Fb%3Fc%23d"}
    assert enc(rt, "path", "..").path == {"color": "%2E%2E"}
    assert enc(rt, "path", "50%").path == {"color": "50%25"}
    with pytest.raises(ValueError):
        enc(rt, "path", "")


def test_path_injection_end_to_end(client: Any, server: Server) -> None:
    client.videos.retrieve("../admin?x=1")
    assert server.requests[0].path == "/videos/..%2Fadmin%3Fx%3D1"  # one segment
    client.videos.retrieve("..")
    assert server.requests[1].path == "/videos/%2E%2E"


def test_query_header_cookie_end_to_end(client: Any, server: Server) -> None:
    client.videos.list(limit=10, ids=["a", "b c"], trace="t-1", session="s 1")
    req = server.requests[0]
    assert req.path == "/videos?limit=10&ids=a,b%20c"
    assert req.header("X-Trace") == "t-1"
    assert req.header("Cookie") == "session=s%201"
