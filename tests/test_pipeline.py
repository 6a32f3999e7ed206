"""Tests for sdkforge.pipeline and its fast path (sdkforge.control.concurrency): validation on a
worker process gives the verdict it gives here, and it still comes before anything
bundling or building made of a broken spec."""

from __future__ import annotations

from pathlib import Path

import pytest

import sdkforge.control.concurrency as concurrency
import sdkforge.pipeline as pipeline
from sdkforge.config import Config
from sdkforge.control.concurrency import Workers
from sdkforge.diagnostics import SpecError
from sdkforge.reading.load import load_document
from sdkforge.reading.validate import validate

ROOT = Path(__file__).resolve().parents[1]

# Invalid (a parameter without `in`, a response key that is no status code, a $ref that
# is not a string) and unbundlable (a $ref to a file that does not exist).
BROKEN = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      parameters:
        - {name: limit, schema: {type: integer}}
      responses:
        ok: {description: fine}
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'missing.yaml#/Pet'}
components:
  schemas:
    Pet: {type: object, properties: {tag: {$ref: 7}}}
"""

UNBUNDLABLE = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'missing.yaml#/Pet'}
"""


def _verdict(spec: Path, monkeypatch: pytest.MonkeyPatch, offload: bool) -> list[str]:
    monkeypatch.setattr(concurrency, "OFFLOAD_BYTES", 0 if offload else 10**12)
    with pytest.raises(SpecError) as exc:
        pipeline.generate(spec, Config(), pipeline.Options(use_cache=False))
    return [d.format() for d in exc.value.diagnostics]


@pytest.mark.parametrize("text", [BROKEN, UNBUNDLABLE], ids=["invalid", "unbundlable"])
def test_errors_are_the_same_wherever_validation_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(text, encoding="utf-8")
    here = _verdict(spec, monkeypatch, offload=False)
    assert here == _verdict(spec, monkeypatch, offload=True)
    if text is BROKEN:  # validation's findings only: bundling never got its say
        assert not any("missing.yaml" in line for line in here)
        assert any("'in'" in line for line in here) and any("$ref must be" in line for line in here)
    else:
        assert any("missing.yaml" in line for line in here)


def test_a_valid_spec_generates_the_same_files_wherever_validation_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = ROOT / "tests" / "golden" / "enums" / "spec.yaml"
    plans = []
    for threshold in (10**12, 0):
        monkeypatch.setattr(concurrency, "OFFLOAD_BYTES", threshold)
        result = pipeline.generate(spec, Config(), pipeline.Options(use_cache=False))
        plans.append((result.plan.files, [d.format() for d in result.diagnostics]))
    assert plans[0] == plans[1]


def test_the_worker_really_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(BROKEN, encoding="utf-8")
    monkeypatch.setattr(concurrency, "OFFLOAD_BYTES", 0)
    loaded = load_document(spec)
    workers = Workers(2)
    try:
        seen = concurrency.identity(spec)
        assert concurrency.Overlap.start(spec, workers) is not None
        found, refs = workers.call(concurrency.validate_job, spec, seen).result(timeout=60)  # type: ignore[union-attr]
        # A spec that changed since: the worker refuses to vouch for it.
        spec.write_text(BROKEN + "\n# edited\n", encoding="utf-8")
        with pytest.raises(concurrency.Changed):
            workers.call(concurrency.validate_job, spec, seen).result(timeout=60)  # type: ignore[union-attr]
    finally:
        workers.close()
    assert [d.format() for d in found] == [d.format() for d in validate(loaded)]
    assert refs is None  # 'missing.yaml#/Pet' is not local: the document needs bundling
    assert found and all(d.line > 0 for d in found)  # located: the source map went along


def test_external_refs_found_by_the_worker_are_bundled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The IR is built on the hunch that the document is its own bundle; a `$ref` to
    another file (reported by the worker's walk) has it bundled and built again."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(UNBUNDLABLE, encoding="utf-8")
    (tmp_path / "missing.yaml").write_text(
        "Pet: {type: object, properties: {name: {type: string}}}\n", encoding="utf-8"
    )
    plans = []
    for threshold in (10**12, 0):
        monkeypatch.setattr(concurrency, "OFFLOAD_BYTES", threshold)
        result = pipeline.generate(spec, Config(), pipeline.Options(use_cache=False))
        plans.append(result.plan.files)
    assert plans[0] == plans[1]
    assert any(path.endswith("models/pet.py") for path in plans[1])


def test_documents_are_encoded_batch_by_batch_to_the_same_bytes() -> None:
    """`render.encoded` (api.md, README, ...) gives the bytes of the joined text, whatever
    falls on a batch boundary (characters of one, two and four bytes in UTF-8)."""
    from sdkforge.codegen import render

    pieces = [
        f"line {i} \u2014 \u201cquoted\u201d \U0001f600\n" if i % 7 == 0 else f"line {i}\n"
        for i in range(3 * render._BATCH + 5)
    ]
    assert render.encoded(iter(pieces)) == "".join(pieces).encode("utf-8")
    assert render.encoded(iter([])) == b""


def test_documents_are_rendered_as_bytes_and_python_as_text() -> None:
    from sdkforge.codegen.render import render_project

    api, _, _ = pipeline.load_api(ROOT / "spec" / "openapi.yaml", Config())
    kinds = {path: type(text) for path, text, _ in render_project(api, use_cache=False)}
    assert kinds["api.md"] is bytes and kinds["README.md"] is bytes
    assert {kind for path, kind in kinds.items() if path.endswith(".py")} == {str}


def test_the_plan_takes_the_texts_over_and_keeps_their_order() -> None:
    """The rendered list and then the texts are emptied as the plan is made, so that no
    text outlives its bytes; the files keep the order they were rendered in."""
    rendered: pipeline.Rendered = [
        ("b/m.py", "x=1\n", True),
        ("a.md", b"# doc\n", False),
        ("c.py", "y = '\u00e9'\n", False),
    ]
    texts = pipeline._format(rendered, pipeline.Options(use_cache=False), pipeline._quiet)
    assert rendered == []
    files = pipeline._encode(texts)
    assert texts == {}
    assert list(files) == ["b/m.py", "a.md", "c.py"]
    assert files == {"b/m.py": b"x = 1\n", "a.md": b"# doc\n", "c.py": "y = '\u00e9'\n".encode()}
