"""What `sdkforge diff` finds: one `Change` per difference users can observe, and the
`ApiDiff` that orders them and suggests a version bump.

Kept apart from the comparison so that the renderers and the CLI depend on the result's
shape only, never on how it was found.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["breaking", "non-breaking"]
Bump = Literal["major", "minor", "patch", "none"]
B: Severity = "breaking"
N: Severity = "non-breaking"

# Non-breaking kinds that change no Python signature or type: they alone suggest a patch.
PATCH_KINDS = frozenset(
    {"method-endpoint-changed", "parameter-moved", "base-url-changed", "spec-type-changed"}
)


def severity(breaking: bool) -> Severity:
    """`breaking` or `non-breaking`."""
    return B if breaking else N


@dataclass(frozen=True)
class Change:
    """One observable difference, located where users meet it in their code."""

    kind: str
    severity: Severity
    location: str
    message: str

    def as_json(self) -> dict[str, str]:
        """A plain dict with stable keys."""
        return asdict(self)


@dataclass(frozen=True)
class ApiDiff:
    """Every change between two versions, sorted: breaking first, then by location."""

    old_version: str
    new_version: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The breaking changes (empty, hence falsy, when there are none)."""
        return tuple(c for c in self.changes if c.severity == "breaking")

    @property
    def non_breaking(self) -> tuple[Change, ...]:
        """Everything else: additions, relaxations and notes."""
        return tuple(c for c in self.changes if c.severity == "non-breaking")

    @property
    def suggested_bump(self) -> Bump:
        """Semantic-versioning advice: major for breaks, minor for additions, patch otherwise."""
        if self.breaking:
            return "major"
        if any(c.kind not in PATCH_KINDS for c in self.changes):
            return "minor"
        return "patch" if self.changes else "none"
