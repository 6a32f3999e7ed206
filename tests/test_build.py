"""Spec → IR decisions that no operation is lost and names stay meaningful."""

from __future__ import annotations

from typing import Any

from sdkforge.apimodel.build import build_api
from sdkforge.config import Config


def _api(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> Any:
    doc = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}
    if schemas:
        doc["components"] = {"schemas": schemas}
    api, _ = build_api(doc, Config())
    return api


OK = {"200": {"description": "ok"}}


def _methods(api: Any) -> set[str]:
    return {".".join([*(r.name for r in trail), op.name]) for trail, op in api.all_operations()}


def test_path_item_refs_are_followed() -> None:
    api = _api(
        {
            "/a": {"$ref": "#/paths/~1b"},
            "/b": {"get": {"operationId": "getB", "tags": ["things"], "responses": OK}},
        }
    )
    assert len(api.all_operations()) == 2


def test_duplicate_operation_ids_keep_every_method() -> None:
    op = {"operationId": "listPets", "tags": ["pets"], "responses": OK}
    api = _api({"/pets": {"get": op, "post": op}})
    assert _methods(api) == {"pets.retrieve", "pets.create"}


def test_undeclared_path_parameters_become_required_arguments() -> None:
    api = _api(
        {"/pets/{petId}": {"get": {"operationId": "getPet", "tags": ["pets"], "responses": OK}}}
    )
    ((_, op),) = api.all_operations()
    (param,) = op.parameters
    assert (param.name, param.location, param.required) == ("pet_id", "path", True)


def test_a_name_two_operations_want_goes_by_precedence_the_other_falls_back() -> None:
    item = {
        "patch": {"operationId": "updatePet", "responses": OK},
        "post": {"operationId": "modifyPetFully", "responses": OK},
        "put": {"responses": OK},
    }
    api = _api({"/pets/{pet_id}": item})
    # PATCH keeps `update`; POST falls back to its operationId without the resource's
    # words; PUT, with no operationId, to `replace`.
    assert _methods(api) == {"pets.update", "pets.modify_fully", "pets.replace"}


def test_inline_objects_are_named_from_where_they_stand() -> None:
    api = _api(
        {},
        {
            "Video": {
                "type": "object",
                "properties": {
                    "error": {
                        "anyOf": [
                            {"type": "object", "properties": {"code": {"type": "string"}}},
                            {"type": "null"},
                        ]
                    },
                    "variants": {
                        "oneOf": [
                            {"type": "object", "properties": {"type": {"const": "circle"}}},
                            {"type": "object", "properties": {"type": {"const": "square"}}},
                        ]
                    },
                },
            }
        },
    )
    names = {m.name for m in api.models}
    assert {"Video", "VideoError", "VideoVariantsCircle", "VideoVariantsSquare"} <= names
    assert not any(n.startswith("Type") or n.endswith("1") for n in names)


def test_nested_and_flat_resources_never_share_a_module() -> None:
    from sdkforge.config import Config as C

    doc = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/x": {"get": {"operationId": "one", "responses": OK}},
            "/y": {"get": {"operationId": "two", "responses": OK}},
        },
    }
    api, _ = build_api(doc, C(operations={"one": "a.b.one", "two": "a_b.two"}))
    modules = []

    def walk(res: Any) -> None:
        modules.append((res.module, res.class_name))
        for child in res.children:
            walk(child)

    for res in api.resources:
        walk(res)
    assert len({m for m, _ in modules}) == len(modules)
    assert len({c for _, c in modules}) == len(modules)


def test_resource_classes_never_shadow_runtime_names() -> None:
    api = _api(
        {
            "/query": {"get": {"operationId": "one", "responses": OK}},
            "/stream": {"get": {"operationId": "two", "responses": OK}},
        }
    )
    assert {r.class_name for r in api.resources} == {"QueryResource", "StreamResource"}


def test_a_body_whose_alternatives_only_require_fields_keeps_every_argument() -> None:
    """GitHub 23's alert update: properties plus `anyOf: [{required: [state]}, {required:
    [assignees]}]`. Every property is an argument, required only when every alternative
    requires it (the object's own `required` included); none is lost."""
    body = {
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {"type": "string"},
            "state": {"type": "string", "enum": ["open", "dismissed"]},
            "assignees": {"type": "array", "items": {"type": "string"}},
            "comment": {"type": "string"},
        },
        "anyOf": [{"required": ["state"]}, {"required": ["assignees"]}],
    }
    content = {"application/json": {"schema": body}}
    api = _api({"/alerts/{id}": {"patch": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": content},
        "responses": OK,
    }}})  # fmt: skip
    (_, op), = api.all_operations()
    args = {p.name: p.required for p in op.parameters if p.location == "body"}
    assert args == {"kind": True, "state": False, "assignees": False, "comment": False}


def test_an_alternative_adds_to_the_required_fields_around_it() -> None:
    """`required: [type]` beside `oneOf: [{required: [id]}, {required: [owner]}]`: each
    variant requires `type` and its own field (the arm used to replace the list)."""
    schema = {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string"}, "id": {"type": "integer"}, "owner": {"type": "string"}},
        "oneOf": [{"required": ["id"]}, {"required": ["owner"]}],
    }
    api = _api({"/items": {"get": {"responses": {"200": {
        "description": "ok", "content": {"application/json": {"schema": schema}},
    }}}}})  # fmt: skip
    required = [sorted(f.wire_name for f in m.fields if f.required) for m in api.models if m.kind == "object"]
    assert sorted(required) == [["id", "type"], ["owner", "type"]]
