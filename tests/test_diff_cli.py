"""`sdkforge diff` output: the text, JSON and Markdown renderers and the CLI's exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from diff_util import BASE, CREATE, GET
from diff_util import diff as _diff
from diff_util import edited as _edited
from diff_util import get as _get
from diff_util import param as _param
from diff_util import schema as _schema
from diff_util import write as _write

from sdkforge.diff import ApiDiff, as_json, as_markdown, as_text

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
    from sdkforge.cli import main

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
