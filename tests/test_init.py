"""`sdkforge init`: the starter config states exactly the names generation derives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from sdkforge.cli import main
from sdkforge.config import Config, load_config
from sdkforge.pipeline import Options, generate, load_api
from sdkforge.starter import operation_names, scalar

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pet Store", "version": "2.1.0"},
    "servers": [{"url": "https://pets.example.com/v1"}],
    "components": {"securitySchemes": {"key": {"type": "http", "scheme": "bearer"}}},
    "security": [{"key": []}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "array"}}},
                    }
                },
            },
            "post": {
                "operationId": "listPets",
                "tags": ["pets"],
                "responses": {"201": {"description": "ok"}},
            },
        },
        "/pets/{petId}": {"delete": {"responses": {"204": {"description": "gone"}}}},
        "/class": {
            "get": {
                "operationId": "import",
                "tags": ["class"],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "api" / "openapi.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(SPEC, sort_keys=False), encoding="utf-8")
    return path


def _init(*args: str) -> Any:
    return CliRunner().invoke(main, ["init", *args])


def test_init_writes_the_derived_names_next_to_the_spec(spec: Path) -> None:
    result = _init(str(spec))
    assert result.exit_code == 0, result.output
    written = spec.parent / "sdkforge.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# sdkforge configuration for Pet Store 2.1.0")
    config = load_config(written)
    api, _, _ = load_api(spec, Config())
    assert (config.package, config.project_name, config.client_name) == (
        "pet_store",
        "pet-store",
        "Client",
    )
    assert config.api_key_env == "PET_STORE_API_KEY"
    assert (config.base_url_env, config.log_env) == (api.base_url_env, api.log_env)
    assert config.version == "" and config.base_url == ""  # left to follow the spec
    assert dict(config.operations) == operation_names(api)
    assert dict(config.operations) == {
        "GET /pets": "pets.list",
        "POST /pets": "pets.create",
        "DELETE /pets/{petId}": "pets.delete",
        "GET /class": "class_.retrieve",  # a keyword, escaped
    }


def test_generating_with_the_written_config_reproduces_and_then_follows_it(spec: Path) -> None:
    assert _init(str(spec)).exit_code == 0
    written = spec.parent / "sdkforge.yaml"
    same, _, _ = load_api(spec, load_config(written))
    derived, _, _ = load_api(spec, Config())
    assert same == derived
    # Renaming in the file renames the generated method.
    text = written.read_text(encoding="utf-8").replace("pets.create", "pets.add")
    written.write_text(text, encoding="utf-8")
    result = generate(spec, load_config(written), Options(formatter="none"))
    module = result.plan.files["pet_store/resources/pets.py"].decode()
    assert "def add(" in module and "def create(" not in module
    # And a renamed operationId in the spec no longer renames the method.
    changed = {**SPEC, "paths": {**SPEC["paths"], "/pets": {**SPEC["paths"]["/pets"]}}}
    changed["paths"]["/pets"]["get"] = {
        **SPEC["paths"]["/pets"]["get"],
        "operationId": "getAllPets",
    }
    spec.write_text(yaml.safe_dump(changed, sort_keys=False), encoding="utf-8")
    pinned, _, _ = load_api(spec, load_config(written))
    assert operation_names(pinned)["GET /pets"] == "pets.list"


def test_init_refuses_to_overwrite_without_force(spec: Path) -> None:
    target = spec.parent / "sdkforge.yaml"
    target.write_text("package: mine\n", encoding="utf-8")
    refused = _init(str(spec))
    assert refused.exit_code == 2
    assert "already exists" in refused.output and "--force" in refused.output
    assert target.read_text(encoding="utf-8") == "package: mine\n"
    forced = _init(str(spec), "--force")
    assert forced.exit_code == 0, forced.output
    assert load_config(target).package == "pet_store"


def test_init_output_option_and_missing_spec(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere.yaml"
    assert _init(str(spec), "--output", str(out)).exit_code == 0
    assert load_config(out).package == "pet_store"
    assert not (spec.parent / "sdkforge.yaml").exists()
    missing = _init(str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "spec file not found" in missing.output


def test_init_without_operations_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: Empty, version: '1'}\npaths: {}\n", encoding="utf-8"
    )
    assert _init(str(path)).exit_code == 0
    config = load_config(tmp_path / "sdkforge.yaml")
    assert config.operations == {} and config.package == "empty"
    assert config.api_key_env == ""  # no bearer/apiKey scheme, so no api_key argument


@pytest.mark.parametrize(
    "value", ["on", "null", "yes", "1.0", "a: b", "#x", "plain_name", "with-dash"]
)
def test_scalars_load_back_as_the_same_string(value: str) -> None:
    assert yaml.safe_load(f"key: {scalar(value)}") == {"key": value}
