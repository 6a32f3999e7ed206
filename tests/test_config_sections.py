"""The `webhooks:` and `client_options:` config sections: each mistake is reported with
file, line and pointer; events named in the config type a 3.0 spec's webhooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkforge.config import load_config
from sdkforge.diagnostics import SpecError
from sdkforge.pipeline import Options, generate

SPEC_30 = """openapi: 3.0.3
info: {title: Hooks, version: 1.0.0}
paths: {}
components:
  schemas:
    Ping:
      type: object
      required: [type]
      properties: {type: {type: string, enum: [ping]}, zen: {type: string}}
    Push:
      type: object
      required: [type]
      properties: {type: {type: string, enum: [push]}, ref: {type: string}}
"""


def _problems(tmp_path: Path, text: str) -> list[tuple[str, int, str]]:
    path = tmp_path / "sdkforge.yaml"
    path.write_text(text)
    with pytest.raises(SpecError) as info:
        load_config(path)
    return [(d.message, d.line, d.pointer) for d in info.value.diagnostics]


def test_webhook_mistakes_name_their_line_and_pointer(tmp_path: Path) -> None:
    found = _problems(
        tmp_path,
        "package: p\nwebhooks:\n  signature: rsa\n  secrt_env: X\n  header: 'bad header'\n"
        "  events:\n    push: Push\n",
    )
    assert ("webhooks.signature must be one of standard, hmac_sha256_hex, got 'rsa'", 3, "/webhooks/signature") in found
    assert ("unknown field 'secrt_env'", 4, "/webhooks/secrt_env") in found
    assert ("webhooks.header 'bad header' is not an HTTP header name", 5, "/webhooks/header") in found
    assert any(p == "/webhooks/events/push" and line == 7 for _, line, p in found)


def test_client_option_mistakes_name_their_line_and_pointer(tmp_path: Path) -> None:
    found = _problems(
        tmp_path,
        "client_options:\n  api_key: {header: X-Key}\n  org: {env: ORG}\n"
        "  project: {header: P, query: p}\n  team: {header: T, envv: TEAM}\n",
    )
    messages = {m: (line, p) for m, line, p in found}
    assert messages["client_options: 'api_key' cannot be a constructor argument"] == (2, "/client_options/api_key")
    assert messages["client_options: 'org' needs exactly one of header or query"] == (3, "/client_options/org")
    assert messages["client_options: 'project' needs exactly one of header or query"] == (4, "/client_options/project")
    assert messages["unknown field 'envv'"][1] == "/client_options/team/envv"


def test_config_events_type_a_30_spec_and_a_missing_schema_is_an_error(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC_30)
    config = tmp_path / "sdkforge.yaml"
    config.write_text(
        "webhooks:\n  signature: hmac_sha256_hex\n  events:\n"
        "    ping: '#/components/schemas/Ping'\n    push: '#/components/schemas/Push'\n"
    )
    api = generate(spec, load_config(config), Options(use_cache=False)).api
    assert api.webhooks is not None
    assert [(e.name, e.event_type, e.type.name) for e in api.webhooks.events] == [
        ("ping", "ping", "Ping"),
        ("push", "push", "Push"),
    ]
    assert (api.webhooks.scheme, api.webhooks.header, api.webhooks.discriminator) == ("hmac_sha256_hex", "X-Hub-Signature-256", "type")
    assert api.webhooks.secret_env == "HOOKS_WEBHOOK_SECRET"
    config.write_text("webhooks:\n  events:\n    ping: '#/components/schemas/Pong'\n")
    with pytest.raises(SpecError) as info:
        generate(spec, load_config(config), Options(use_cache=False))
    (problem,) = info.value.diagnostics
    assert (problem.line, problem.pointer, problem.file) == (3, "/webhooks/events/ping", str(config))
    assert "'#/components/schemas/Pong'" in problem.message


def test_a_client_option_may_not_take_a_resources_name(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /organization/users:\n"
        "    get: {responses: {'200': {description: ok}}}\n"
    )
    config = tmp_path / "sdkforge.yaml"
    config.write_text("client_options:\n  organization: {header: X-Org}\n")
    with pytest.raises(SpecError) as info:
        generate(spec, load_config(config), Options(use_cache=False))
    (problem,) = info.value.diagnostics
    assert (problem.line, problem.pointer) == (2, "/client_options/organization")
    assert "resource client.organization" in problem.message
    config.write_text(
        "resources: {organization: admin.organization}\n"
        "client_options:\n  organization: {header: X-Org}\n"
    )
    api = generate(spec, load_config(config), Options(use_cache=False)).api
    assert [r.name for r in api.resources] == ["admin"]
    assert api.client_options[0].header == "X-Org"


def test_a_top_level_resource_named_like_a_client_verb_gets_an_underscore(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /delete/{id}:\n"
        "    post: {operationId: deleteThing, parameters: [{name: id, in: path, required: true, schema: {type: string}}], responses: {'200': {description: ok}}}\n"
    )
    result = generate(spec, load_config(None), Options(use_cache=False))
    assert [r.name for r in result.api.resources] == ["delete_"]
    assert any("client.delete_" in d.message for d in result.diagnostics)
