"""Lenient parsing is recursive: a value that fails validation is built by following its
annotation all the way down (lists, dicts, unions, aliases inside models), as the official
OpenAI SDK's `construct` does, so one item missing a required field never turns its
siblings, or itself, into plain dicts. Runs on every Python the clients declare
(tests/test_runtime_pythons.py): on 3.10 `list[X]` passes `inspect.isclass`."""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, Tuple, Union

from pydantic import Field
from typing_extensions import Annotated, TypeAliasType

from .conftest import Reply, Server


def _models(rt: Any) -> Any:
    """Models as a generated client writes them (Optional[...] = None, aliases, a
    discriminated union), with `from __future__ import annotations` in force."""

    class Thing(rt._models.BaseModel):
        id: str
        n: int

    class Other(rt._models.BaseModel):
        kind: Literal["other"]
        x: int

    class Circle(rt._models.BaseModel):
        type: Literal["circle"]
        radius: float

    class Square(rt._models.BaseModel):
        type: Literal["square"]
        side: float

    Shape = Annotated[Union[Circle, Square], Field(discriminator="type")]
    Things = TypeAliasType("Things", List[Thing])

    class Box(rt._models.BaseModel):
        things: List[Thing]
        maybe: Optional[List[Thing]] = None
        by_name: Optional[Dict[str, Thing]] = None
        maybe_by_name: Optional[Dict[str, List[Thing]]] = None
        mixed: Optional[List[Union[Thing, Other]]] = None
        grid: Optional[List[List[Thing]]] = None
        shapes: Optional[List[Shape]] = None
        aliased: Optional[Things] = None
        either: Union[str, List[Thing], None] = None
        pair: Optional[Tuple[Thing, int]] = None

    class Holder(rt._models.BaseModel):
        # Apart from Box: pydantic 2.0 (the declared floor) cannot use one discriminated
        # union twice in a model.
        shape: Optional[Shape] = None

    class Namespace:
        pass

    ns = Namespace()
    for cls in (Thing, Other, Circle, Square, Box, Holder):
        setattr(ns, cls.__name__, cls)
    ns.Shape, ns.Things = Shape, Things  # type: ignore[attr-defined]
    return ns


def test_items_missing_a_field_stay_models_at_every_depth(rt: Any) -> None:
    m = _models(rt)
    partial = {"id": "p"}  # `n` is required, yet missing
    data = {
        "things": [partial, {"id": "ok", "n": 1}],
        "maybe": [partial],
        "by_name": {"k": partial},
        "maybe_by_name": {"k": [partial]},
        "mixed": [partial, {"kind": "other"}],
        "grid": [[partial]],
        "shapes": [{"type": "square"}, {"type": "circle", "radius": 1}],
        "aliased": [partial],
        "either": [partial],
        "pair": [partial, 2],
    }
    box = rt._models.construct_type(data, m.Box)
    assert type(box) is m.Box
    for thing in (
        box.things[0],
        box.maybe[0],
        box.by_name["k"],
        box.maybe_by_name["k"][0],
        box.mixed[0],
        box.grid[0][0],
        box.aliased[0],
        box.either[0],
        box.pair[0],
    ):
        assert type(thing) is m.Thing, thing
        assert thing.id == "p" and thing.n is None and "n" not in thing.model_fields_set
    assert type(box.things[1]) is m.Thing and box.things[1].n == 1  # valid: validated
    assert type(box.mixed[1]) is m.Other and box.mixed[1].x is None
    holder = rt._models.construct_type({"shape": {"type": "circle"}}, m.Holder)
    assert type(holder.shape) is m.Circle and holder.shape.radius is None
    assert [type(s) for s in box.shapes] == [m.Square, m.Circle]
    assert box.shapes[1].radius == 1.0
    assert box.pair[1] == 2
    assert box.to_dict() == data  # nothing invented, nothing lost


def test_top_level_generics_construct_their_items(rt: Any) -> None:
    """`list[X]` and `dict[str, X]` as the answer itself (a list operation's body)."""
    m = _models(rt)
    ct = rt._models.construct_type
    items = ct([{"id": "a"}, {"id": "b", "n": 2}], list[m.Thing])
    assert [type(i) for i in items] == [m.Thing, m.Thing] and items[0].n is None
    assert type(ct({"k": {"id": "a"}}, dict[str, m.Thing])["k"]) is m.Thing
    assert type(ct([[{"id": "a"}]], List[List[m.Thing]])[0][0]) is m.Thing
    assert type(ct([{"id": "a"}], Optional[list[m.Thing]])[0]) is m.Thing
    assert type(ct([{"id": "a"}], m.Things)[0]) is m.Thing
    # What fits no arm is kept as sent.
    assert ct(7, Optional[List[m.Thing]]) == 7
    assert ct(["x"], List[m.Thing]) == ["x"]


def test_a_page_item_missing_a_field_is_a_model(client: Any, server: Server, rt: Any) -> None:
    """Through a client and a loopback server: `VideoList.data: list[Video]`."""
    server.reply(Reply(body={"data": [{"id": "a"}, {"id": "b", "completed_at": 1}]}))
    page = client.videos.list()
    assert type(page) is rt._client.VideoList
    assert [type(v) for v in page.data] == [rt._client.Video, rt._client.Video]
    assert page.data[0].id == "a" and page.data[0].completed_at is None
    assert page.data[1].completed_at == 1


async def test_async_page_item_missing_a_field_is_a_model(
    aclient: Any, server: Server, rt: Any
) -> None:
    server.reply(Reply(body={"data": [{"id": "a", "status": "new-status"}]}))
    page = await aclient.request(rt._client.VideoList, method="get", path="/videos")
    (video,) = page.data
    assert type(video) is rt._client.Video and video.status == "new-status"
