"""Tolerated deviations (issue 22): each rule warns with its id, file, line and pointer,
rewrites the document to its one reading, and the ambiguous variant is still refused."""

from __future__ import annotations

from pathlib import Path

from sdkforge.diagnostics import Diagnostic, Severity
from sdkforge.reading.load import LoadedDocument, load_document
from sdkforge.reading.validate import validate

HEAD = 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\n'


def load(tmp_path: Path, text: str) -> tuple[LoadedDocument, list[Diagnostic]]:
    path = tmp_path / "spec.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    loaded = load_document(path)
    return loaded, [*loaded.diagnostics, *validate(loaded)]


def by_rule(found: list[Diagnostic], rule: str) -> list[Diagnostic]:
    return [d for d in found if d.rule == rule]


def errors(found: list[Diagnostic]) -> list[str]:
    return [d.message for d in found if d.severity is Severity.ERROR]


RANGES = """paths:
  /a:
    get:
      responses:
        '200': {description: ok}
        4xx: {description: client}
        5Xx: {description: server}
        x-4xx: {description: an extension, left alone}
components:
  schemas:
    S:
      type: object
      properties:
        responses:
          type: object
          properties:
            4xx: {type: string}
"""


def test_lowercase_status_range_reads_as_range(tmp_path: Path) -> None:
    loaded, found = load(tmp_path, RANGES)
    assert errors(found) == []
    warned = by_rule(found, "status-range-case")
    assert sorted(d.pointer for d in warned) == [
        "/paths/~1a/get/responses/4xx",
        "/paths/~1a/get/responses/5Xx",
    ]
    assert all(d.severity is Severity.WARNING and d.line in (8, 9) for d in warned)
    assert all(d.file.endswith("spec.yaml") for d in warned)
    responses = loaded.data["paths"]["/a"]["get"]["responses"]
    assert list(responses) == ["200", "4XX", "5XX", "x-4xx"]  # order kept
    props = loaded.data["components"]["schemas"]["S"]["properties"]
    assert "4xx" in props["responses"]["properties"]  # a property name, not a status


def test_status_range_spelt_both_ways_stays_refused(tmp_path: Path) -> None:
    text = RANGES.replace("5Xx: {description: server}", "4XX: {description: other}")
    _, found = load(tmp_path, text)
    assert by_rule(found, "status-range-case") == []
    assert errors(found) == ["response key '4xx' is not a status code"]


def test_numeric_pattern_reads_as_its_text(tmp_path: Path) -> None:
    text = """paths: {}
components:
  schemas:
    S:
      type: object
      properties:
        code: {type: string, pattern: 0}
        pattern: {type: string, example: {pattern: 5}}
"""
    loaded, found = load(tmp_path, text)
    assert errors(found) == []
    (warned,) = by_rule(found, "pattern-not-string")
    assert warned.pointer == "/components/schemas/S/properties/code/pattern"
    assert warned.line == 9 and "'0'" in warned.message
    props = loaded.data["components"]["schemas"]["S"]["properties"]
    assert props["code"]["pattern"] == "0"
    assert props["pattern"]["example"] == {"pattern": 5}  # example data is untouched


def test_schema_type_mapping_is_dropped(tmp_path: Path) -> None:
    text = """paths: {}
components:
  schemas:
    S:
      type: {description: wrapped one level too deep, type: string}
      description: kept
    T:
      type: object
      properties:
        type: {type: string}
"""
    loaded, found = load(tmp_path, text)
    assert errors(found) == []
    (warned,) = by_rule(found, "schema-type-mapping")
    assert warned.pointer == "/components/schemas/S/type" and warned.line == 7
    schemas = loaded.data["components"]["schemas"]
    assert schemas["S"] == {"description": "kept"}
    assert schemas["T"]["properties"]["type"] == {"type": "string"}


def test_rule_is_in_text_and_json(tmp_path: Path) -> None:
    _, found = load(tmp_path, RANGES)
    d = by_rule(found, "status-range-case")[0]
    assert "warning[status-range-case]:" in d.format()
    assert d.as_json()["rule"] == "status-range-case"


def test_pipeline_builds_and_reports_the_rules(tmp_path: Path) -> None:
    from sdkforge.config import load_config
    from sdkforge.pipeline import load_api

    path = tmp_path / "spec.yaml"
    path.write_text(HEAD + RANGES.replace("{type: string}", "{type: string, pattern: 7}"))
    api, diagnostics, _ = load_api(path, load_config(None))
    assert {d.rule for d in diagnostics} >= {"status-range-case", "pattern-not-string"}
    assert [op.path for _, op in api.all_operations()] == ["/a"]
