"""Tests for sdkforge.validate, plus the real-spec corpus through load → validate → bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkforge.diagnostics import Diagnostic, Severity
from sdkforge.reading.bundle import bundle
from sdkforge.reading.load import load_document
from sdkforge.reading.resolve import Resolver
from sdkforge.reading.validate import validate

SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs"


def check(tmp_path: Path, text: str) -> list[Diagnostic]:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return validate(load_document(path))


def errors(diagnostics: list[Diagnostic]) -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in diagnostics if d.severity is Severity.ERROR]


GOOD = """openapi: 3.0.3
info: {title: Pets, version: "1.0"}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getPet
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        $ref: {type: string}
      example: {$ref: not-a-ref}
"""


def test_good_document_is_clean(tmp_path: Path) -> None:
    assert check(tmp_path, GOOD) == []


BAD = """openapi: 3.0.3
info:
  title: Pets
  version: 1.0
paths:
  pets:
    get:
      responses: {}
  /pets/{petId}/toys/{toyId}:
    get:
      parameters:
        - name: petId
          in: path
        - name: extra
          in: path
          required: true
        - in: body
      responses:
        '200': {description: ok}
        'ok': {description: ok}
    post: not-an-object
    put:
      description: no responses
components:
  schemas:
    Pet:
      type: strin
      required: id
      enum: a
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
        n: {type: [string, 'null']}
"""


def test_every_problem_reported_with_lines(tmp_path: Path) -> None:
    found = errors(check(tmp_path, BAD))
    assert set(found) >= {
        (4, "info 'version' must be a string, not a number"),
        (6, "path 'pets' does not start with '/'"),
        (17, "parameter has no 'name' string"),
        (17, "parameter 'in' is 'body'; expected one of query, header, path, cookie"),
        (20, "response key 'ok' is not a status code"),
        (21, "operation 'post' must be an object, not a string"),
        (22, "operation has no 'responses'"),
        (27, "schema type 'strin' is not a JSON Schema type"),
        (28, "schema 'required' must be a list, not a string"),
        (29, "schema 'enum' must be a list, not a string"),
        (31, "$ref target #/components/schemas/Owner does not exist"),
        (32, "schema type ['string', 'null'] is not a JSON Schema type"),
    }, found
    warnings = [(d.line, d.message) for d in check(tmp_path, BAD) if d.severity.value == "warning"]
    assert (
        14,
        "path parameter 'extra' does not appear in '/pets/{petId}/toys/{toyId}'",
    ) in warnings


def test_diagnostics_carry_file_pointer_and_hint(tmp_path: Path) -> None:
    found = [d for d in check(tmp_path, BAD) if "does not start with" in d.message]
    assert len(found) == 1
    d = found[0]
    assert d.file.endswith("spec.yaml") and d.pointer == "/paths/pets"
    assert d.hint == "write '/pets'" and d.col == 3


@pytest.mark.parametrize(
    ("version_line", "message"),
    [
        ("openapi: 4.0.0", "unsupported OpenAPI version 4.0.0"),
        ("openapi: 3.0", "'openapi' must be a string"),
        ("swagger: '1.2'", "unsupported OpenAPI version 1.2"),
        ("title: x", "no 'openapi' (or 'swagger') version field"),
    ],
)
def test_versions(tmp_path: Path, version_line: str, message: str) -> None:
    found = errors(check(tmp_path, version_line + "\n"))
    assert len(found) == 1 and found[0][1].startswith(message)


def test_swagger_2_accepted_with_note(tmp_path: Path) -> None:
    text = (
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n"
        "      parameters: [{name: id, in: path, required: true, type: string},\n"
        "                   {name: b, in: body, schema: {type: object}}]\n"
        "      responses: {'200': {description: ok}}\n"
        "definitions:\n  X: {type: file}\n"
    )
    found = check(tmp_path, text)
    assert errors(found) == []
    assert [d.message for d in found] == [
        "Swagger 2.0 document; it is converted to OpenAPI 3.0 first"
    ]


def test_openapi_31_specifics(tmp_path: Path) -> None:
    text = (
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
        "webhooks: {}\ncomponents:\n  schemas:\n    A: {type: [string, 'null']}\n"
    )
    assert check(tmp_path, text) == []  # no paths is fine in 3.1; type lists too


def test_plain_data_and_missing_info() -> None:
    found = validate({"openapi": "3.0.0", "paths": {}})
    assert [(d.message, d.line) for d in found] == [("missing 'info'", 0)]


def _real_specs() -> list[Path]:
    if not SPECS.is_dir():
        return []
    files = [SPECS / "openai.yaml"]
    for folder in ("corpus", "edge"):
        files += sorted(p for p in (SPECS / folder).rglob("*") if p.suffix in (".json", ".yaml"))
    return [p for p in files if p.is_file()]


@pytest.mark.parametrize(
    "path", _real_specs() or [None], ids=lambda p: str(p.relative_to(SPECS)) if p else "absent"
)
def test_real_specs_load_validate_and_bundle(path: Path | None) -> None:
    """All shared real-world specs are clean (no real errors were found in any of them)."""
    if path is None:
        pytest.skip("shared specs not present next to the repository")
    doc = load_document(path)
    problems = [d.format() for d in validate(doc) if d.severity is Severity.ERROR]
    assert problems == []
    _, bundle_problems = bundle(Resolver(doc))
    assert bundle_problems == []
