"""`sdkforge diff` on renames: the same operation, parameter or JSON key under a new Python
name is one breaking `*-renamed` change, not a removal plus an addition; a resource whose
methods all moved together is one `resource-renamed`.

The renames come from an `operations:` config that differs between the two sides (as a
new naming scheme or an edited config would), or from a new operationId.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from diff_util import DEFAULTS, GET, Edit
from diff_util import diff as _diff
from diff_util import edited as _edited
from diff_util import get as _get
from diff_util import summary as _summary
from diff_util import write as _write

from sdkforge.apimodel.ir import Api, Model, Operation, Resource
from sdkforge.config import Config
from sdkforge.diff import ApiDiff, diff_apis
from sdkforge.pipeline import load_api

Row = tuple[str, str, str]
NAMES = {"GET /items/{itemId}": "items.get", "POST /items": "items.create"}


def _parts(s: dict[str, Any]) -> None:
    """A third operation, one level down: GET /items/{itemId}/parts."""
    s["paths"]["/items/{itemId}/parts"] = {
        "get": {
            "operationId": "listParts",
            "parameters": [
                {"name": "itemId", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "ok"}},
        }
    }


def _renamed(tmp_path: Path, new_names: dict[str, str], edit: Edit = lambda s: None) -> set[Row]:
    """The diff of BASE (+ `edit`) named by NAMES against it named by `new_names`."""
    old, new = Config(operations=NAMES), Config(operations=new_names)
    return _summary(_diff(tmp_path, edit, old, new_config=new))


def test_renamed_method_is_then_compared_under_its_new_name(tmp_path: Path) -> None:
    locale = {"name": "locale", "in": "query", "required": True, "schema": {"type": "string"}}
    new = Config(operations={**NAMES, "GET /items/{itemId}": "items.retrieve"})
    edit = lambda s: _get(s)["parameters"].append(locale)  # noqa: E731
    d = _diff(tmp_path, edit, Config(operations=NAMES), new_config=new)
    assert _summary(d) == {
        ("method-renamed", "breaking", f"{GET}()"),
        ("parameter-added", "breaking", "client.items.retrieve(locale)"),
    }
    renamed = next(c for c in d.changes if c.kind == "method-renamed")
    assert renamed.message == (
        "renamed to client.items.retrieve() (same operation: GET /items/{itemId})"
    )


def test_same_operation_id_on_a_new_path_is_a_rename_too(tmp_path: Path) -> None:
    def move(s: dict[str, Any]) -> None:
        s["paths"]["/v2/items/{itemId}"] = s["paths"].pop("/items/{itemId}")

    new_names = {"GET /v2/items/{itemId}": "items.retrieve", "POST /items": "items.create"}
    assert _renamed(tmp_path, new_names, edit=move) == {
        ("method-renamed", "breaking", f"{GET}()"),
        ("method-endpoint-changed", "non-breaking", "client.items.retrieve()"),
    }


def test_resource_moved_with_all_its_methods_is_one_change(tmp_path: Path) -> None:
    moved = {k: "shop." + v for k, v in NAMES.items()}
    d = _diff(
        tmp_path, lambda s: None, Config(operations=NAMES), new_config=Config(operations=moved)
    )
    assert _summary(d) == {("resource-renamed", "breaking", "client.items")}
    assert d.changes[0].message == "moved to client.shop.items (its 2 methods keep their names)"


def test_resource_renamed_with_all_its_methods_is_one_change(tmp_path: Path) -> None:
    renamed = {k: v.replace("items.", "products.") for k, v in NAMES.items()}
    d = _diff(
        tmp_path, lambda s: None, Config(operations=NAMES), new_config=Config(operations=renamed)
    )
    assert _summary(d) == {("resource-renamed", "breaking", "client.items")}
    assert d.changes[0].message.startswith("renamed to client.products ")


WITH_PARTS = {**NAMES, "GET /items/{itemId}/parts": "items.parts.list"}


def _parts_named(tmp_path: Path, new_names: dict[str, str]) -> ApiDiff:
    """BASE + GET /items/{itemId}/parts named by WITH_PARTS against it named by `new_names`."""
    old, new = Config(operations=WITH_PARTS), Config(operations=new_names)
    return _diff(tmp_path, lambda s: None, old, before=_parts, new_config=new)


def test_nested_resources_move_with_their_parent(tmp_path: Path) -> None:
    d = _parts_named(tmp_path, {k: "shop." + v for k, v in WITH_PARTS.items()})
    assert _summary(d) == {("resource-renamed", "breaking", "client.items")}
    assert "its 3 methods" in d.changes[0].message


def test_a_resource_left_behind_in_part_is_renamed_method_by_method(tmp_path: Path) -> None:
    assert _renamed(tmp_path, {**NAMES, "GET /items/{itemId}": "shop.items.get"}) == {
        ("method-renamed", "breaking", f"{GET}()")
    }


def test_a_different_operation_is_not_a_rename(tmp_path: Path) -> None:
    def swap(s: dict[str, Any]) -> None:
        op = s["paths"]["/items/{itemId}"].pop("get")
        s["paths"]["/items/{itemId}"]["delete"] = {**op, "operationId": "deleteItem"}

    assert _summary(_diff(tmp_path, swap)) == {
        ("method-removed", "breaking", f"{GET}()"),
        ("method-added", "non-breaking", "client.items.delete()"),
    }


def _rename_python_names(api: Api) -> Api:
    """The same API with the Python names of one argument and one field changed, as a new
    naming rule would (`type` → `type_`), their wire names kept."""

    def op(o: Operation) -> Operation:
        params = tuple(
            dataclasses.replace(p, name="expand_") if p.name == "expand" else p
            for p in o.parameters
        )
        return dataclasses.replace(o, parameters=params)

    def res(r: Resource) -> Resource:
        return dataclasses.replace(r, operations=tuple(op(o) for o in r.operations))

    def model(m: Model) -> Model:
        fields = tuple(
            dataclasses.replace(f, name="note_") if f.name == "note" else f for f in m.fields
        )
        return dataclasses.replace(m, fields=fields)

    return dataclasses.replace(
        api,
        resources=tuple(res(r) for r in api.resources),
        models=tuple(model(m) for m in api.models),
    )


def test_argument_and_field_with_a_new_python_name_are_renamed(tmp_path: Path) -> None:
    old, _, _ = load_api(_write(tmp_path, "old.yaml", _edited(lambda s: None)), DEFAULTS)
    d = diff_apis(old, _rename_python_names(old))
    assert _summary(d) == {
        ("parameter-renamed", "breaking", f"{GET}(expand)"),
        ("field-renamed", "breaking", "models.Item.note"),
    }
    assert {c.message for c in d.changes} == {
        "argument renamed to expand_ (same query 'expand')",
        "renamed to note_ (same JSON key 'note')",
    }


def test_a_name_given_to_another_operation_is_two_renames(tmp_path: Path) -> None:
    """Not "the same method now calls another endpoint": each operation is followed."""
    new_names = {"GET /items/{itemId}": "items.fetch", "POST /items": "items.get"}
    d = _diff(
        tmp_path, lambda s: None, Config(operations=NAMES), new_config=Config(operations=new_names)
    )
    assert _summary(d) == {
        ("method-renamed", "breaking", f"{GET}()"),
        ("method-renamed", "breaking", "client.items.create()"),
    }
    assert {c.message.split(" (")[0] for c in d.changes} == {
        "renamed to client.items.fetch()",
        "renamed to client.items.get()",
    }


def test_the_widest_resource_that_moved_whole_is_named(tmp_path: Path) -> None:
    d = _parts_named(tmp_path, {**NAMES, "GET /items/{itemId}/parts": "shop.items.parts.list"})
    assert _summary(d) == {("resource-renamed", "breaking", "client.items.parts")}
    assert d.changes[0].message.startswith("moved to client.shop.items.parts ")
