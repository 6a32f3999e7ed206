"""`sdkforge diff`: classification of every change kind, the bump, the renderers, the CLI.

Each test edits one thing in a small spec and asserts the exact set of changes, so a
misclassified severity, a missing change or a duplicate report all fail.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.apimodel.ir import TypeRef
from generator.config import Config
from generator.diff import ApiDiff, accepts, as_json, as_markdown, as_text, diff_apis
from generator.pipeline import load_api

ITEM = {"$ref": "#/components/schemas/Item"}
BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1.0.0"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/items/{itemId}": {
            "get": {
                "operationId": "getItem",
                "tags": ["items"],
                "parameters": [
                    {
                        "name": "itemId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "expand", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "color",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["red", "blue"]},
                    },
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": ITEM}}}
                },
            }
        },
        "/items": {
            "post": {
                "operationId": "createItem",
                "tags": ["items"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ItemCreate"}}
                    },
                },
                "responses": {
                    "201": {"description": "ok", "content": {"application/json": {"schema": ITEM}}}
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id", "status"],
                "properties": {
                    "id": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "note": {"type": "string"},
                },
            },
            "Status": {"type": "string", "enum": ["active", "archived"]},
            "ItemCreate": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "dimensions": {"$ref": "#/components/schemas/Dimensions"},
                },
            },
            "Dimensions": {
                "type": "object",
                "required": ["width"],
                "properties": {"width": {"type": "integer"}, "height": {"type": "integer"}},
            },
            "Legacy": {"type": "object", "properties": {"old": {"type": "string"}}},
        }
    },
}


def _write(tmp_path: Path, name: str, spec: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def _edited(edit: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    spec = copy.deepcopy(BASE)
    edit(spec)
    return spec


DEFAULTS = Config()


def _diff(
    tmp_path: Path,
    edit: Callable[[dict[str, Any]], object],
    config: Config = DEFAULTS,
    before: Callable[[dict[str, Any]], object] = lambda s: None,
) -> ApiDiff:
    """Diff BASE with `before` applied against BASE with `before` and then `edit` applied."""

    def both(s: dict[str, Any]) -> None:
        before(s)
        edit(s)

    old, _, _ = load_api(_write(tmp_path, "old.yaml", _edited(before)), config)
    new, _, _ = load_api(_write(tmp_path, "new.yaml", _edited(both)), config)
    return diff_apis(old, new)


def _summary(d: ApiDiff) -> set[tuple[str, str, str]]:
    return {(c.kind, c.severity, c.location) for c in d.changes}


def _get(spec: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = spec["paths"]["/items/{itemId}"]["get"]
    return op


def _param(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in _get(spec)["parameters"] if p["name"] == name)


def _schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"][name]
    return schema


GET = "client.items.retrieve"
CREATE = "client.items.create"


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


def test_a_new_operation_id_renames_nothing(tmp_path: Path) -> None:
    """Names come from paths: a spec author renaming an operationId breaks no caller."""
    assert _diff(tmp_path, lambda s: _get(s).update(operationId="fetchItem")).changes == ()


def test_a_method_moved_by_its_path_is_a_removed_method_pointing_at_the_new_name(
    tmp_path: Path,
) -> None:
    d = _diff(
        tmp_path,
        lambda s: s["paths"].update({"/goods/{itemId}": s["paths"].pop("/items/{itemId}")}),
    )
    assert _summary(d) == {
        ("method-removed", "breaking", f"{GET}()"),
        ("method-added", "non-breaking", "client.goods.retrieve()"),
    }



def test_config_that_pins_the_name_hides_an_operation_id_rename(tmp_path: Path) -> None:
    config = Config(operations={"getItem": "items.get_item"})
    moved = {"/goods/{itemId}": "/items/{itemId}"}
    d = _diff(
        tmp_path,
        lambda s: s["paths"].update({k: s["paths"].pop(v) for k, v in moved.items()}),
        config,
    )
    assert {c.kind for c in d.changes} == {"method-endpoint-changed"}


def test_endpoint_change_keeps_the_call_and_is_a_patch(tmp_path: Path) -> None:
    d = _diff(
        tmp_path,
        lambda s: s["paths"].update({"/v2/items/{itemId}": s["paths"].pop("/items/{itemId}")}),
        Config(operations={"getItem": "items.retrieve"}),
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
        Config(),
    )
    new, _, _ = load_api(_write(tmp_path, "b.yaml", BASE), Config())
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


def test_accepts_is_the_documented_widening_rule() -> None:
    s, i, f = TypeRef("str"), TypeRef("int"), TypeRef("float")
    assert accepts(TypeRef("union", items=(s, i)), s)
    assert accepts(TypeRef("union", items=(s, TypeRef("none"))), s)  # made nullable
    assert accepts(f, i)
    assert accepts(TypeRef("any"), s)
    assert accepts(s, TypeRef("literal", values=("a", "b")))
    assert accepts(s, TypeRef("str", fmt="uuid"))
    assert not accepts(i, f)
    assert not accepts(s, TypeRef("union", items=(s, i)))
    assert not accepts(TypeRef("literal", values=("a",)), TypeRef("literal", values=("a", "b")))
    assert not accepts(TypeRef("list", items=(i,)), TypeRef("list", items=(s,)))


# -- renderers -----------------------------------------------------------------------------


def _mixed(tmp_path: Path) -> ApiDiff:
    def edit(s: dict[str, Any]) -> None:
        _get(s)["parameters"].remove(_param(s, "expand"))
        _schema(s, "Status")["enum"].append("deleted")

    return _diff(tmp_path, edit)


def test_json_output_is_stable_and_complete(tmp_path: Path) -> None:
    d = _mixed(tmp_path)
    doc = json.loads(as_json(d))
    assert list(doc) == sorted(doc)
    assert doc["suggested_bump"] == "major"
    assert doc["breaking"] == 1
    assert doc["changes"][0] == {
        "kind": "parameter-removed",
        "location": f"{GET}(expand)",
        "message": "argument removed",
        "severity": "breaking",
    }
    assert as_json(d) == as_json(_mixed(tmp_path))


def test_markdown_has_the_changelog_sections(tmp_path: Path) -> None:
    md = as_markdown(_mixed(tmp_path))
    assert md.startswith("## API changes (1.0.0 → 1.0.0)")
    assert "Suggested version bump: **major**" in md
    breaking, other = md.split("### Breaking changes")[1].split("### Other changes")
    assert f"- `{GET}(expand)`: argument removed" in breaking
    assert "- `models.Status`: enum value 'deleted' added" in other
    assert "models.Status" not in breaking


def test_markdown_and_text_without_changes(tmp_path: Path) -> None:
    d = _diff(tmp_path, lambda s: None)
    assert "No changes" in as_markdown(d)
    assert "No changes" in as_text(d)


def test_text_lists_each_change_and_the_bump(tmp_path: Path) -> None:
    lines = as_text(_mixed(tmp_path)).splitlines()
    assert lines[0].startswith("BREAKING") and f"{GET}(expand)" in lines[0]
    assert lines[1].startswith("NON-BREAKING") and "models.Status" in lines[1]
    assert lines[-1] == "1 breaking, 1 other; suggested bump: major"


# -- CLI -----------------------------------------------------------------------------------


def _cli(*args: str) -> Any:
    from generator.cli import main

    return CliRunner().invoke(main, ["diff", *args])


def _pair(tmp_path: Path, edit: Callable[[dict[str, Any]], object]) -> tuple[str, str]:
    return str(_write(tmp_path, "old.yaml", BASE)), str(_write(tmp_path, "new.yaml", _edited(edit)))


def test_cli_prints_the_diff_and_exits_0_even_with_breaking_changes(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, lambda s: s["paths"].pop("/items"))
    result = _cli(old, new)
    assert result.exit_code == 0, result.output
    assert f"{CREATE}()" in result.output and "suggested bump: major" in result.output


def test_cli_fail_on_breaking(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, lambda s: s["paths"].pop("/items"))
    assert _cli(old, new, "--fail-on-breaking").exit_code == 1
    old, new = _pair(tmp_path, lambda s: _param(s, "color")["schema"]["enum"].append("green"))
    assert _cli(old, new, "--fail-on-breaking").exit_code == 0


def test_cli_formats(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, lambda s: s["paths"].pop("/items"))
    doc = json.loads(_cli(old, new, "--format", "json").output)
    assert doc["suggested_bump"] == "major"
    md = _cli(old, new, "--format", "markdown").output
    assert "### Breaking changes" in md and "### Other changes" in md


def test_cli_applies_one_config_to_both_specs(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, lambda s: _get(s).update(operationId="fetchItem"))
    config = tmp_path / "pinned.yaml"
    config.write_text('operations:\n  "GET /items/{itemId}": items.get_item\n', encoding="utf-8")
    result = _cli(old, new, "--config", str(config), "--fail-on-breaking")
    assert result.exit_code == 0, result.output
    assert "No changes" in result.output


def test_cli_bad_input_exits_2(tmp_path: Path) -> None:
    old, _ = _pair(tmp_path, lambda s: None)
    missing = _cli(old, str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "spec file not found" in missing.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("pakage: x\n", encoding="utf-8")
    typo = _cli(old, old, "--config", str(bad))
    assert typo.exit_code == 2 and "did you mean 'package'" in typo.output
    assert _cli(old, old, "--config", str(tmp_path / "absent.yaml")).exit_code == 2
