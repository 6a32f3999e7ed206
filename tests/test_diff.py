"""`sdkforge diff`: how each kind of change is classified, one test per rule.

Each test edits one thing in a small spec and asserts the exact set of changes, so a
misclassified severity, a missing change or a duplicate report all fail. Renames and
moves are in test_diff_renames.py, the renderers and the CLI in test_diff_cli.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from diff_util import BASE, CREATE, DEFAULTS, GET, ITEM
from diff_util import diff as _diff
from diff_util import edited as _edited
from diff_util import get as _get
from diff_util import messages as _messages
from diff_util import param as _param
from diff_util import schema as _schema
from diff_util import summary as _summary
from diff_util import write as _write

from sdkforge.apimodel.ir import Api, Operation, Resource, TypeRef
from sdkforge.config import Config
from sdkforge.diff import accepts, diff_apis, narrows
from sdkforge.pipeline import load_api


def test_identical_specs_have_no_changes(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: None)
    assert d.changes == ()
    assert not d.breaking
    assert d.suggested_bump == "none"


def test_method_added_is_minor(tmp_path: Path) -> None:
    def edit(s: dict[str, Any]) -> None:
        s["paths"]["/items/{itemId}"]["delete"] = {
            "operationId": "deleteItem",
            "tags": ["items"],
            "responses": {"204": {"description": "gone"}},
        }

    d = _diff(tmp_path, edit)
    assert _summary(d) == {("method-added", "non-breaking", "client.items.delete()")}
    assert d.suggested_bump == "minor"


def test_method_removed_is_major(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: s["paths"].pop("/items"))
    assert ("method-removed", "breaking", f"{CREATE}()") in _summary(d)
    assert d.suggested_bump == "major"


def test_config_that_pins_the_name_hides_an_operation_id_rename(tmp_path: Path) -> None:
    config = Config(operations={"GET /items/{itemId}": "items.get_item"})
    assert _diff(tmp_path, lambda s: _get(s).update(operationId="fetchItem"), config).changes == ()


def test_endpoint_change_keeps_the_call_and_is_a_patch(tmp_path: Path) -> None:
    d = _diff(
        tmp_path,
        lambda s: s["paths"].update({"/v2/items/{itemId}": s["paths"].pop("/items/{itemId}")}),
    )
    assert _summary(d) == {("method-endpoint-changed", "non-breaking", f"{GET}()")}
    assert "/v2/items/{itemId}" in d.changes[0].message
    assert d.suggested_bump == "patch"


@pytest.mark.parametrize(("required", "severity"), [(False, "non-breaking"), (True, "breaking")])
def test_parameter_added(tmp_path: Path, required: bool, severity: str) -> None:
    new = {"name": "locale", "in": "query", "required": required, "schema": {"type": "string"}}
    d = _diff(tmp_path, lambda s: _get(s)["parameters"].append(new))
    assert _summary(d) == {("parameter-added", severity, f"{GET}(locale)")}


def test_parameter_removed_is_breaking(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: _get(s)["parameters"].remove(_param(s, "expand")))
    assert _summary(d) == {("parameter-removed", "breaking", f"{GET}(expand)")}


def test_parameter_becoming_required_breaks_and_optional_does_not(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: _param(s, "expand").update(required=True))
    assert _summary(d) == {("parameter-required", "breaking", f"{GET}(expand)")}
    # The reverse direction: a required argument made optional.
    old, _, _ = load_api(
        _write(tmp_path, "a.yaml", _edited(lambda s: _param(s, "expand").update(required=True))),
        DEFAULTS,
    )
    new, _, _ = load_api(_write(tmp_path, "b.yaml", BASE), DEFAULTS)
    assert _summary(diff_apis(old, new)) == {
        ("parameter-optional", "non-breaking", f"{GET}(expand)")
    }


def test_parameter_type_widening_is_non_breaking(tmp_path: Path) -> None:
    d = _diff(
        tmp_path, lambda s: _param(s, "expand").update(schema={"type": ["string", "integer"]})
    )
    assert _summary(d) == {("parameter-type-changed", "non-breaking", f"{GET}(expand)")}
    assert "widened" in d.changes[0].message


def test_parameter_type_narrowing_is_breaking(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: _param(s, "expand").update(schema={"type": "integer"}))
    assert _summary(d) == {("parameter-type-changed", "breaking", f"{GET}(expand)")}
    assert d.changes[0].message == "type changed to int (was str)"


def test_parameter_moved_on_the_wire_is_a_patch(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: _param(s, "expand").update({"in": "header"}))
    assert _summary(d) == {("parameter-moved", "non-breaking", f"{GET}(expand)")}
    assert d.suggested_bump == "patch"


def test_request_enum_value_added_is_non_breaking_without_a_reader_note(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: _param(s, "color")["schema"]["enum"].append("green"))
    assert _summary(d) == {("enum-value-added", "non-breaking", f"{GET}(color)")}
    assert d.changes[0].message == "enum value 'green' added"
    assert d.suggested_bump == "minor"


def test_enum_value_removed_is_breaking(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: _param(s, "color")["schema"]["enum"].remove("blue"))
    assert _summary(d) == {("enum-value-removed", "breaking", f"{GET}(color)")}


def test_response_enum_value_added_is_a_note_for_readers(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: _schema(s, "Status")["enum"].append("deleted"))
    assert _summary(d) == {("enum-value-added", "non-breaking", "models.Status")}
    assert "may meet a value" in d.changes[0].message
    assert d.suggested_bump == "minor"


def test_response_model_field_removed_is_breaking(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: _schema(s, "Item")["properties"].pop("note"))
    assert _summary(d) == {("field-removed", "breaking", "models.Item.note")}


def test_field_made_required_breaks_senders_not_readers(tmp_path: Path) -> None:
    request = _diff(tmp_path, lambda s: _schema(s, "Dimensions")["required"].append("height"))
    assert _summary(request) == {("field-required", "breaking", "models.Dimensions.height")}
    response = _diff(tmp_path, lambda s: _schema(s, "Item")["required"].append("note"))
    assert _summary(response) == {("field-required", "non-breaking", "models.Item.note")}


def test_field_made_optional_breaks_readers_not_senders(tmp_path: Path) -> None:
    response = _diff(tmp_path, lambda s: _schema(s, "Item")["required"].remove("status"))
    assert _summary(response) == {("field-optional", "breaking", "models.Item.status")}
    request = _diff(tmp_path, lambda s: _schema(s, "Dimensions")["required"].remove("width"))
    assert _summary(request) == {("field-optional", "non-breaking", "models.Dimensions.width")}


def test_field_added_required_breaks_only_request_models(tmp_path: Path) -> None:
    def add(model: str) -> Callable[[dict[str, Any]], None]:
        def edit(s: dict[str, Any]) -> None:
            _schema(s, model)["properties"]["depth"] = {"type": "integer"}
            _schema(s, model)["required"].append("depth")

        return edit

    assert _summary(_diff(tmp_path, add("Dimensions"))) == {
        ("field-added", "breaking", "models.Dimensions.depth")
    }
    assert _summary(_diff(tmp_path, add("Item"))) == {
        ("field-added", "non-breaking", "models.Item.depth")
    }


def test_field_type_change_widening_only_helps_request_models(tmp_path: Path) -> None:
    widen = {"type": "number"}
    request = _diff(tmp_path, lambda s: _schema(s, "Dimensions")["properties"].update(width=widen))
    assert _summary(request) == {("field-type-changed", "non-breaking", "models.Dimensions.width")}
    response = _diff(
        tmp_path,
        lambda s: _schema(s, "Item")["properties"].update(id={"type": ["string", "integer"]}),
    )
    assert _summary(response) == {("field-type-changed", "breaking", "models.Item.id")}


def test_response_type_change_is_breaking(tmp_path: Path) -> None:
    listed = {"application/json": {"schema": {"type": "array", "items": ITEM}}}
    d = _diff(tmp_path, lambda s: _get(s)["responses"]["200"].update(content=listed))
    assert _summary(d) == {("response-changed", "breaking", f"{GET}()")}
    assert d.changes[0].message == "returns list[Item] (was Item)"


def test_models_added_and_removed(tmp_path: Path) -> None:
    added = _diff(
        tmp_path,
        lambda s: s["components"]["schemas"].update(Extra={"type": "string", "enum": ["x"]}),
    )
    assert _summary(added) == {("model-added", "non-breaking", "models.Extra")}
    removed = _diff(tmp_path, lambda s: s["components"]["schemas"].pop("Legacy"))
    assert _summary(removed) == {("model-removed", "breaking", "models.Legacy")}


def test_flattened_body_fields_are_reported_once_as_arguments(tmp_path: Path) -> None:
    def edit(s: dict[str, Any]) -> None:
        _schema(s, "ItemCreate")["properties"]["sku"] = {"type": "string"}
        _schema(s, "ItemCreate")["required"].append("sku")

    d = _diff(tmp_path, edit)
    assert _summary(d) == {("parameter-added", "breaking", f"{CREATE}(sku)")}


def test_changes_are_sorted_breaking_first_then_by_location(tmp_path: Path) -> None:
    def edit(s: dict[str, Any]) -> None:
        s["components"]["schemas"].pop("Legacy")
        s["components"]["schemas"]["Aardvark"] = {"type": "string"}
        _get(s)["parameters"].append({"name": "zoom", "in": "query", "schema": {"type": "integer"}})
        _get(s)["parameters"].remove(_param(s, "expand"))

    d = _diff(tmp_path, edit)
    assert [c.location for c in d.changes] == [
        f"{GET}(expand)",
        "models.Legacy",
        f"{GET}(zoom)",
        "models.Aardvark",
    ]
    assert [c.severity for c in d.changes] == [
        "breaking",
        "breaking",
        "non-breaking",
        "non-breaking",
    ]
    assert _diff(tmp_path, edit) == d


def test_reordered_union_members_and_enum_values_are_no_change(tmp_path: Path) -> None:
    def before(s: dict[str, Any]) -> None:
        _param(s, "expand")["schema"] = {"anyOf": [{"type": "string"}, {"type": "integer"}]}

    def edit(s: dict[str, Any]) -> None:
        _param(s, "expand")["schema"]["anyOf"].reverse()
        _param(s, "color")["schema"]["enum"].reverse()

    assert _diff(tmp_path, edit, before=before).changes == ()


def test_open_enum_value_dropped_is_still_accepted(tmp_path: Path) -> None:
    open_enum = {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["red", "blue"]}]}

    def before(s: dict[str, Any]) -> None:
        _param(s, "color")["schema"] = open_enum

    def edit(s: dict[str, Any]) -> None:
        _param(s, "color")["schema"]["anyOf"][1]["enum"].pop()

    d = _diff(tmp_path, edit, before=before)
    assert _summary(d) == {("enum-value-removed", "non-breaking", f"{GET}(color)")}
    assert d.changes[0].message == "enum value 'blue' no longer listed"


def test_new_title_renames_the_package_and_its_env_vars(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: s["info"].update(title="Store"))
    assert _summary(d) == {
        ("package-renamed", "breaking", "package"),
        ("env-var-changed", "breaking", "client(base_url)"),
    }
    assert d.changes[0].message == "read from $STORE_BASE_URL (was $SHOP_BASE_URL)"


def test_new_base_url_is_a_patch(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: s.update(servers=[{"url": "https://eu.example.com"}]))
    assert _summary(d) == {("base-url-changed", "non-breaking", "client")}
    assert d.suggested_bump == "patch"


def test_deprecating_a_method_is_minor(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: _get(s).update(deprecated=True))
    assert _summary(d) == {("method-deprecated", "non-breaking", f"{GET}()")}
    assert d.suggested_bump == "minor"


def test_model_turning_from_class_to_alias_is_breaking(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: s["components"]["schemas"].update(Legacy={"type": "string"}))
    assert _summary(d) == {("model-kind-changed", "breaking", "models.Legacy")}


def test_accepts_and_narrows_are_the_documented_rules() -> None:
    s, i, f = TypeRef("str"), TypeRef("int"), TypeRef("float")
    none, uuid = TypeRef("none"), TypeRef("str", fmt="uuid")
    assert accepts(TypeRef("union", items=(s, i)), s)
    assert accepts(TypeRef("union", items=(s, none)), s)  # made nullable
    assert accepts(f, i)
    assert accepts(TypeRef("any"), s)
    assert accepts(s, TypeRef("literal", values=("a", "b")))
    assert not accepts(s, uuid)  # a model field's UUID is not a str (see `seen`)
    assert not accepts(i, f)
    assert not accepts(s, TypeRef("union", items=(s, i)))
    assert not accepts(TypeRef("literal", values=("a",)), TypeRef("literal", values=("a", "b")))
    assert not accepts(TypeRef("list", items=(i,)), TypeRef("list", items=(s,)))
    # Readers: the new values must be old ones, and Any (raw JSON) does not become objects.
    assert narrows(s, TypeRef("union", items=(s, none)))
    assert narrows(TypeRef("literal", values=("a",)), s)
    assert narrows(i, f)
    assert narrows(s, TypeRef("any"))
    assert not narrows(TypeRef("model", "Item"), TypeRef("any"))
    assert not narrows(TypeRef("list", items=(TypeRef("model", "Item"),)), TypeRef("any"))
    assert not narrows(TypeRef("union", items=(s, none)), s)


# -- the Python type users see, by direction --------------------------------------------


def test_a_format_the_python_type_does_not_show_changes_no_call(tmp_path: Path) -> None:
    """`int` → `int<int64>` is `int` both times, in arguments and in models."""

    def before(s: dict[str, Any]) -> None:
        _get(s)["parameters"].append(
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        )
        _schema(s, "Item")["properties"]["count"] = {"type": "integer"}

    def edit(s: dict[str, Any]) -> None:
        for schema in (_param(s, "limit")["schema"], _schema(s, "Item")["properties"]["count"]):
            schema["format"] = "int64"
        _schema(s, "Dimensions")["properties"]["width"]["format"] = "int32"
        _param(s, "expand")["schema"]["format"] = "uuid"  # a method's str stays a str

    d = _diff(tmp_path, edit, before=before)
    assert _summary(d) == {
        ("spec-type-changed", "non-breaking", f"{GET}(limit)"),
        ("spec-type-changed", "non-breaking", f"{GET}(expand)"),
        ("spec-type-changed", "non-breaking", "models.Item.count"),
        ("spec-type-changed", "non-breaking", "models.Dimensions.width"),
    }
    assert "now int<int64> (was int); the Python type is unchanged" in _messages(d)
    assert d.suggested_bump == "patch"


def test_a_string_format_is_a_new_type_in_models(tmp_path: Path) -> None:
    """A model field's `str<date-time>` is an `AwareDatetime`: not a `str` readers knew."""
    d = _diff(tmp_path, lambda s: _schema(s, "Item")["properties"]["id"].update(format="date-time"))
    assert _summary(d) == {("field-type-changed", "breaking", "models.Item.id")}


def test_fields_users_read_may_narrow(tmp_path: Path) -> None:
    def before(s: dict[str, Any]) -> None:
        _schema(s, "Item")["properties"]["owner"] = {"type": ["string", "null"]}
        _schema(s, "Item")["required"].append("owner")

    def edit(s: dict[str, Any]) -> None:
        _schema(s, "Item")["properties"]["owner"] = {"type": "string"}  # never None now
        _schema(s, "Item")["properties"]["id"] = {"type": "string", "enum": ["a", "b"]}
        _schema(s, "Status")["enum"].remove("archived")

    d = _diff(tmp_path, edit, before=before)
    assert _summary(d) == {
        ("field-type-changed", "non-breaking", "models.Item.owner"),
        ("field-type-changed", "non-breaking", "models.Item.id"),
        ("enum-value-removed", "non-breaking", "models.Status"),
    }
    assert "type narrowed to str (was str | None)" in _messages(d)


def test_fields_users_read_must_not_widen(tmp_path: Path) -> None:
    d = _diff(
        tmp_path, lambda s: _schema(s, "Item")["properties"].update(id={"type": ["string", "null"]})
    )
    assert _summary(d) == {("field-type-changed", "breaking", "models.Item.id")}
    assert d.changes[0].message == "type widened to str | None (was str)"


def test_nullability_of_a_field_that_is_not_required_is_invisible(tmp_path: Path) -> None:
    """Not required means `X | None = None` whether or not X is nullable, both directions."""

    def edit(s: dict[str, Any]) -> None:
        _schema(s, "Item")["properties"]["note"] = {"type": ["string", "null"]}
        _schema(s, "Dimensions")["properties"]["height"] = {"type": ["integer", "null"]}

    d = _diff(tmp_path, edit)
    assert _summary(d) == {
        ("spec-type-changed", "non-breaking", "models.Item.note"),
        ("spec-type-changed", "non-breaking", "models.Dimensions.height"),
    }
    # ...but a required field turning optional still gives readers a None.
    required_nullable = _diff(
        tmp_path,
        lambda s: _schema(s, "Item")["required"].remove("id"),
        before=lambda s: _schema(s, "Item")["properties"].update(id={"type": ["string", "null"]}),
    )
    assert _summary(required_nullable) == {("field-optional", "non-breaking", "models.Item.id")}


def test_fields_users_send_may_widen_not_narrow(tmp_path: Path) -> None:
    narrowed = {"type": "integer", "enum": [1, 2]}
    d = _diff(tmp_path, lambda s: _schema(s, "Dimensions")["properties"].update(width=narrowed))
    assert _summary(d) == {("field-type-changed", "breaking", "models.Dimensions.width")}
    assert d.changes[0].message == "type narrowed to Literal[1, 2] (was int)"


def test_a_model_on_both_sides_may_neither_widen_nor_narrow(tmp_path: Path) -> None:
    def before(s: dict[str, Any]) -> None:  # Item now returns the Dimensions users send
        _schema(s, "Item")["properties"]["dimensions"] = {"$ref": "#/components/schemas/Dimensions"}

    def widen(s: dict[str, Any]) -> None:
        _schema(s, "Dimensions")["properties"]["width"] = {"type": "number"}

    def narrow(s: dict[str, Any]) -> None:
        _schema(s, "Dimensions")["properties"]["width"] = {"type": "integer", "enum": [1, 2]}

    for edit in (widen, narrow):
        d = _diff(tmp_path, edit, before=before)
        assert _summary(d) == {("field-type-changed", "breaking", "models.Dimensions.width")}
    added = _diff(
        tmp_path, lambda s: _schema(s, "Dimensions")["properties"].update(depth={}), before=before
    )
    assert _summary(added) == {("field-added", "non-breaking", "models.Dimensions.depth")}


def test_a_model_no_operation_uses_is_both_sent_and_read(tmp_path: Path) -> None:
    """Webhook payloads and the like: users parse them or build them."""

    def before(s: dict[str, Any]) -> None:
        _schema(s, "Legacy")["properties"]["kept"] = {"type": "string"}
        _schema(s, "Legacy")["required"] = ["kept"]

    def edit(s: dict[str, Any]) -> None:
        _schema(s, "Legacy")["required"] = ["old"]

    d = _diff(tmp_path, edit, before=before)
    assert _summary(d) == {
        ("field-required", "breaking", "models.Legacy.old"),  # builders must pass it
        ("field-optional", "breaking", "models.Legacy.kept"),  # readers may get None
    }


def test_any_narrowed_to_a_model_breaks_readers(tmp_path: Path) -> None:
    """`Any` was the JSON itself (`item.meta["x"]`); a model is an object (`item.meta.x`)."""

    def before(s: dict[str, Any]) -> None:
        _schema(s, "Item")["properties"]["meta"] = {}
        _schema(s, "Item")["properties"]["tag"] = {}

    def edit(s: dict[str, Any]) -> None:
        _schema(s, "Item")["properties"]["meta"] = {"$ref": "#/components/schemas/Legacy"}
        _schema(s, "Item")["properties"]["tag"] = {"type": "string"}

    d = _diff(tmp_path, edit, before=before)
    assert _summary(d) == {
        ("field-type-changed", "breaking", "models.Item.meta"),
        ("field-type-changed", "non-breaking", "models.Item.tag"),
    }


def test_return_types_may_narrow(tmp_path: Path) -> None:
    either = {"oneOf": [ITEM, {"$ref": "#/components/schemas/Legacy"}]}

    def before(s: dict[str, Any]) -> None:
        _get(s)["responses"]["200"]["content"]["application/json"]["schema"] = either

    def edit(s: dict[str, Any]) -> None:
        _get(s)["responses"]["200"]["content"]["application/json"]["schema"] = ITEM

    d = _diff(tmp_path, edit, before=before)
    assert _summary(d) == {("response-changed", "non-breaking", f"{GET}()")}
    widened = _diff(tmp_path, before)
    assert _summary(widened) == {("response-changed", "breaking", f"{GET}()")}


def test_a_method_that_returned_nothing_may_return_data(tmp_path: Path) -> None:
    def before(s: dict[str, Any]) -> None:
        _get(s)["responses"] = {"204": {"description": "nothing"}}

    d = _diff(tmp_path, lambda s: None, before=before)
    assert d.changes == ()
    returned = _diff(
        tmp_path,
        lambda s: _get(s).update(responses=BASE["paths"]["/items/{itemId}"]["get"]["responses"]),
        before=before,
    )
    assert _summary(returned) == {("response-changed", "non-breaking", f"{GET}()")}
    assert returned.changes[0].message == "returns Item (was None)"
    gone = _diff(tmp_path, before)
    assert _summary(gone) == {("response-changed", "breaking", f"{GET}()")}


def test_write_only_fields_are_not_in_the_model(tmp_path: Path) -> None:
    """datamodel-code-generator leaves them out of the class, so users never meet them."""
    secret = {"type": "string", "writeOnly": True}

    def edit(s: dict[str, Any]) -> None:
        _schema(s, "Dimensions")["properties"]["secret"] = secret
        _schema(s, "Dimensions")["required"].append("secret")

    assert _diff(tmp_path, edit).changes == ()


# -- positional arguments (path parameters, in path order) -------------------------------


@dataclasses.dataclass(frozen=True)
class _Positional(Operation):
    positional: int = 0  # `Operation.positional`: how many leading arguments are positional


def _with_positions(api: Api, order: tuple[str, ...]) -> Api:
    """`api` whose GET method takes the arguments named in `order` positionally, first."""

    def op(o: Operation) -> Operation:
        if o.name != "get":
            return o
        first = [next(p for p in o.parameters if p.name == n) for n in order]
        rest = [p for p in o.parameters if p.name not in order]
        fields = {f.name: getattr(o, f.name) for f in dataclasses.fields(Operation)}
        return _Positional(**{**fields, "parameters": (*first, *rest), "positional": len(order)})

    def res(r: Resource) -> Resource:
        return dataclasses.replace(r, operations=tuple(op(o) for o in r.operations))

    return dataclasses.replace(api, resources=tuple(res(r) for r in api.resources))


def test_positional_arguments_keep_their_places(tmp_path: Path) -> None:
    """Two string ids swapped would still type-check: only the diff can tell."""
    api, _, _ = load_api(_write(tmp_path, "a.yaml", BASE), DEFAULTS)
    swapped = diff_apis(
        _with_positions(api, ("item_id", "expand")), _with_positions(api, ("expand", "item_id"))
    )
    assert _summary(swapped) == {
        ("parameter-position-changed", "breaking", f"{GET}(item_id)"),
        ("parameter-position-changed", "breaking", f"{GET}(expand)"),
    }
    assert "now positional argument 2 (was positional argument 1)" in _messages(swapped)
    keyword_only = diff_apis(_with_positions(api, ("item_id",)), _with_positions(api, ()))
    assert _summary(keyword_only) == {("parameter-position-changed", "breaking", f"{GET}(item_id)")}
    # Keyword calls keep working when an argument may also be passed by position.
    positional = diff_apis(_with_positions(api, ()), _with_positions(api, ("item_id",)))
    assert _summary(positional) == {
        ("parameter-position-changed", "non-breaking", f"{GET}(item_id)")
    }
