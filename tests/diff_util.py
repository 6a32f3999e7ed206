"""Helpers shared by the `sdkforge diff` tests: a small spec, edits of it, and the diff
of two edited copies built with (possibly different) configs."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from sdkforge.config import Config
from sdkforge.diff import ApiDiff, diff_apis
from sdkforge.pipeline import load_api

Edit = Callable[[dict[str, Any]], object]

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


def write(tmp_path: Path, name: str, spec: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def edited(edit: Edit) -> dict[str, Any]:
    spec = copy.deepcopy(BASE)
    edit(spec)
    return spec


# The methods' names, pinned by operationId: the tests are about what the diff makes of a
# change, not about how sdkforge names methods (which may change; a new path keeps them).
NAMED = {"getItem": "items.get", "createItem": "items.create", "deleteItem": "items.delete"}
DEFAULTS = Config(operations=NAMED, shared=True)  # as `sdkforge diff` applies one config to both


def diff(
    tmp_path: Path,
    edit: Edit,
    config: Config = DEFAULTS,
    before: Edit = lambda s: None,
    new_config: Config | None = None,
) -> ApiDiff:
    """Diff BASE with `before` applied against BASE with `before` and then `edit` applied;
    the new side is built with `new_config` when given (a renaming config), else `config`."""

    def both(s: dict[str, Any]) -> None:
        before(s)
        edit(s)

    old, _, _ = load_api(write(tmp_path, "old.yaml", edited(before)), config)
    new, _, _ = load_api(write(tmp_path, "new.yaml", edited(both)), new_config or config)
    return diff_apis(old, new)


def summary(d: ApiDiff) -> set[tuple[str, str, str]]:
    return {(c.kind, c.severity, c.location) for c in d.changes}


def messages(d: ApiDiff) -> set[str]:
    return {c.message for c in d.changes}


def get(spec: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = spec["paths"]["/items/{itemId}"]["get"]
    return op


def param(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in get(spec)["parameters"] if p["name"] == name)


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"][name]
    return schema


GET = "client.items.get"
CREATE = "client.items.create"
