"""Plan → disk: check, diff, or an atomic write that only touches files we own.

Ownership is recorded in `.sdkforge-manifest.json` (each file we wrote with its hash).
Regeneration deletes only stale files the manifest lists, keeps files changed by hand
since the last run unless forced, never touches files it did not write, and never writes
outside the output directory. Everything is decided before the first byte is written.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from sdkforge import __version__
from sdkforge.control import reserve
from sdkforge.control.reserve import Reservation
from sdkforge.diagnostics import SpecError, error

MANIFEST = ".sdkforge-manifest.json"
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Plan:
    """Every file of the generated project, by POSIX path relative to the output dir."""

    files: dict[str, bytes]
    spec_hash: str

    @cached_property
    def digests(self) -> dict[str, str]:
        """SHA-256 of every file, by path, sorted (computed once: a big project's files
        are tens of megabytes, and the manifest and the run cache both need them)."""
        return {p: _sha(b) for p, b in sorted(self.files.items())}

    def manifest(self) -> bytes:
        """The manifest that describes exactly this plan (deterministic: no timestamps)."""
        data = {
            "generator": "sdkforge",
            "generator_version": __version__,
            "spec_sha256": self.spec_hash,
            "files": self.digests,
        }
        return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()


@dataclass
class Changes:
    """What writing a plan would do."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept_modified: list[str] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return bool(self.added or self.changed or self.deleted)

    def summary(self, *, checked: bool) -> dict[str, object]:
        """The `--json` summary of a write (or, `checked`, of what one would do)."""
        would = [*self.added, *self.changed, *self.deleted]
        return {
            "ok": True,
            "checked": checked,
            "written": [] if checked else [*self.added, *self.changed],
            "unchanged": self.unchanged,
            "deleted": [] if checked else self.deleted,
            "would_change": would if checked else [],
            "kept_modified": self.kept_modified,
        }


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_path(rel: str) -> None:
    """Refuse any path that could leave the output directory or misbehave on some OS."""
    pure = PurePosixPath(rel)
    bad = (
        not rel
        or pure.is_absolute()
        or "\\" in rel
        or ":" in rel
        or any(part in ("", ".", "..") for part in rel.split("/"))
        or any(_RESERVED.match(part) for part in pure.parts)
    )
    if bad:
        raise SpecError([error(f"refusing to write unsafe output path {rel!r}")])


def _check_case_collisions(paths: list[str]) -> None:
    seen: dict[str, str] = {}
    for p in paths:
        other = seen.setdefault(p.lower(), p)
        if other != p:
            raise SpecError(
                [
                    error(
                        f"output paths {other!r} and {p!r} collide on case-insensitive file systems"
                    )
                ]
            )


def read_manifest(out_dir: Path) -> dict[str, str] | None:
    """The `{path: sha256}` map of the last run, or None if there is no manifest."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def compare(plan: Plan, out_dir: Path, *, force: bool = False) -> Changes:
    """Classify every file of the plan and every stale owned file against the disk."""
    for rel in plan.files:
        check_path(rel)
    _check_case_collisions(sorted(plan.files))
    owned = read_manifest(out_dir) or {}
    changes = Changes()
    for rel, data in sorted(plan.files.items()):
        target = out_dir / rel
        try:
            current = target.read_bytes()
        except OSError:
            changes.added.append(rel)
            continue
        if current == data:
            changes.unchanged.append(rel)
        elif rel in owned and owned[rel] != _sha(current) and not force:
            changes.kept_modified.append(rel)
        else:
            changes.changed.append(rel)
    for rel, digest in sorted(owned.items()):
        if rel in plan.files:
            continue
        target = out_dir / rel
        try:
            check_path(rel)
            current = target.read_bytes()
        except (OSError, SpecError):
            continue
        if _sha(current) == digest or force:
            changes.deleted.append(rel)
        else:
            changes.kept_modified.append(rel)
    return changes


def unified_diff(plan: Plan, out_dir: Path, changes: Changes) -> str:
    """A unified diff of what writing the plan would change."""
    chunks: list[str] = []
    for rel in [*changes.added, *changes.changed, *changes.kept_modified, *changes.deleted]:
        old = _text(out_dir / rel)
        new = plan.files[rel].decode("utf-8", "replace") if rel in plan.files else ""
        chunks.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"
            )
        )
    return "".join(chunks)


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def write(
    plan: Plan, out_dir: Path, *, force: bool = False, reserved: Reservation | None = None
) -> Changes:
    """Apply the plan: temp file + rename per changed file, new files created in place
    (through `reserved` files when there are some), stale owned files removed, manifest
    last.

    The output path is normalised first (`..`, symlinks, relative or absolute: one real
    directory), and every target is checked against it before the first byte is written,
    so a refused run leaves the directory exactly as it was.
    """
    root = out_dir.resolve()
    reserve.sweep(root)
    if root.exists() and not root.is_dir():
        raise SpecError([error(f"output path {out_dir} exists and is not a directory")])
    if root.is_dir() and read_manifest(root) is None and _foreign(root) and not force:
        raise SpecError(
            [
                error(
                    f"{out_dir} is not empty and has no {MANIFEST}; refusing to write into it",
                    hint="choose an empty directory, or pass --force to take it over",
                )
            ]
        )
    changes = compare(plan, root, force=force)
    checked: set[Path] = set()  # each folder resolved once (thousands of files, dozens of folders)
    for rel in [*changes.added, *changes.changed, *changes.deleted]:
        target = root / rel
        if target.parent not in checked:
            _inside(root, target)
            checked.add(target.parent)
    made: set[Path] = set()  # a big client has thousands of files in a few dozen folders
    added = set(changes.added)
    for rel in [*changes.added, *changes.changed]:
        target = root / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if rel in added:
            staged = reserved.take() if reserved is not None else None
            if staged is not None and _fill(staged, target, plan.files[rel]):
                continue
            if _create(target, plan.files[rel]):
                continue
        tmp = target.with_name(f".{target.name}.sdkforge-tmp")
        tmp.write_bytes(plan.files[rel])
        os.replace(tmp, target)
    for rel in changes.deleted:
        target = root / rel
        target.unlink(missing_ok=True)
        _prune_empty_dirs(root, target.parent)
    manifest = plan.manifest()
    manifest_path = root / MANIFEST
    root.mkdir(parents=True, exist_ok=True)
    if _text(manifest_path).encode() != manifest:
        tmp = root / f".{MANIFEST}.sdkforge-tmp"
        tmp.write_bytes(manifest)
        os.replace(tmp, manifest_path)
    return changes


_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create(target: Path, data: bytes) -> bool:
    """Write a file that did not exist, in place; False when something now stands there.

    Nobody had the file to read, so there is nothing for a temp file and a rename to keep
    whole, and creating it directly is one directory entry instead of three: GitHub's
    3,437 new files took 20-40 % less system time. `O_EXCL` never follows or replaces
    what appeared since the comparison (a file, a symlink): that goes the usual way. A
    write that fails (disk full) takes its partial file with it: ours, and otherwise read
    as a hand edit next time.
    """
    try:
        fd = os.open(target, _NEW, 0o666)
    except FileExistsError:
        return False
    try:
        with open(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return True


def _fill(staged: Path, target: Path, data: bytes) -> bool:
    """Write a new file through a reserved empty one (`control.reserve`): filled, then
    renamed into place; False (nothing done) when the reserved file cannot be opened."""
    try:
        # Not O_TRUNC: truncating even an empty file costs as much as the whole write.
        fd = os.open(staged, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    if os.fstat(fd).st_size:  # not as the helper made it: leave it
        os.close(fd)
        return False
    with open(fd, "wb") as handle:
        handle.write(data)
    os.replace(staged, target)
    return True


def _foreign(out_dir: Path) -> bool:
    """Whether the directory holds anything but sdkforge's own lock file and staging
    folders."""
    return any(not reserve.ours(entry.name) for entry in out_dir.iterdir())


def _inside(root: Path, target: Path) -> None:
    """Refuse a target whose folder resolves (through symlinks inside the output directory)
    outside it; `root` is already resolved, and so is the folder, whether or not it exists."""
    resolved = target.parent.resolve()
    if resolved != root and root not in resolved.parents:
        raise SpecError([error(f"refusing to write {target}: it resolves outside {root}")])


def _prune_empty_dirs(out_dir: Path, folder: Path) -> None:
    while folder != out_dir and out_dir in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
