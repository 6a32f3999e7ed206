"""An `ApiDiff` as text for a terminal, JSON for CI tools, or Markdown for a changelog."""

from __future__ import annotations

import json

from sdkforge.diff.changes import ApiDiff


def as_text(d: ApiDiff) -> str:
    """Plain lines for a terminal: one change per line, then the suggested bump."""
    if not d.changes:
        return f"No changes to the client surface ({d.old_version} -> {d.new_version}).\n"
    lines = [f"{c.severity.upper():12} {c.kind:24} {c.location}: {c.message}" for c in d.changes]
    counts = f"{len(d.breaking)} breaking, {len(d.non_breaking)} other"
    lines.append(f"{counts}; suggested bump: {d.suggested_bump}")
    return "\n".join(lines) + "\n"


def as_json(d: ApiDiff) -> str:
    """A JSON document with stable, sorted keys for CI tools."""
    doc = {
        "old_version": d.old_version,
        "new_version": d.new_version,
        "breaking": len(d.breaking),
        "suggested_bump": d.suggested_bump,
        "changes": [c.as_json() for c in d.changes],
    }
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def as_markdown(d: ApiDiff) -> str:
    """A section fit for a changelog or a pull-request comment."""
    out = [f"## API changes ({d.old_version} → {d.new_version})", ""]
    if not d.changes:
        return "\n".join([*out, "No changes to the client surface.", ""])
    out += [f"Suggested version bump: **{d.suggested_bump}**", ""]
    for title, group in (("Breaking changes", d.breaking), ("Other changes", d.non_breaking)):
        out += [f"### {title}", ""]
        out += [f"- `{c.location}`: {c.message} ({c.kind})" for c in group] or ["None."]
        out.append("")
    return "\n".join(out)
