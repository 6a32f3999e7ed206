#!/usr/bin/env python
"""Docs-examples benchmark (issue 16): do the OpenAI API reference's Python examples run unchanged?

    python bench/examples.py [--checkout PATH] [--config PATH | --no-config]
                             [--peers-python PY] [--strict] [--jobs N] [--timeout S]
                             [--only N,N] [--json FILE] [--keep]

Every `x-oaiMeta` Python snippet of the OpenAI spec runs in its own subprocess against one
Prism mock of that spec, once with the official `openai` package and once with the client
sdkforge generates from the spec (with `--config`, default the checkout's
`examples/openai/sdkforge.yaml` when it exists), where only `OpenAI` / `AsyncOpenAI` and the
module-level client are bridged to the generated client. See bench/README.md for the table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _checkout import Checkout, add_arguments, config_argument, generate_client, peers_python
from _common import REPO, log, rmtree, run
from _mock import Exchange, RecordingProxy, prism
from _oaiexamples import OPENAI_SPEC, Snippet, load_operations
from _snippetrun import RUNNER, write_files, write_shim

SIDES = ("official", "sdkforge")
ENDLESS = 20  # this many identical requests in a run that timed out: endless paging


@dataclass(frozen=True)
class Context:
    """What every snippet run shares."""

    work: Path
    proxy: RecordingProxy
    python: str  # the interpreter with the official package; runs both sides
    runner: Path
    shim: Path
    generated: Path
    package: str
    client_name: str
    timeout: float


@dataclass
class Outcome:
    """One snippet run on one side."""

    ok: bool
    error: dict[str, Any] = field(default_factory=dict)  # type, message, line, source, obj_module
    timed_out: bool = False
    exchanges: list[Exchange] = field(default_factory=list)

    def reason(self) -> str:
        if self.ok:
            return "pass"
        if self.timed_out:
            return f"Timeout: still running at the time limit, {len(self.exchanges)} requests made"
        e = self.error
        where = f" (line {e['line']}: {e.get('source', '').strip()[:60]})" if e.get("line") else ""
        return f"{str(e.get('type', '?')).rsplit('.', 1)[-1]}: {e.get('message', '')}{where}"

    def mock_complaint(self) -> Exchange | None:
        """The last request the mock refused (4xx/5xx)."""
        return next((x for x in reversed(self.exchanges) if x.status >= 400), None)

    def most_repeated(self) -> int:
        counts = Counter((x.method, x.path.split("?")[0]) for x in self.exchanges)
        return max(counts.values(), default=0)


@dataclass(frozen=True)
class Row:
    """One snippet, both sides."""

    snippet: Snippet
    outcomes: dict[str, Outcome]  # by side
    spec: dict[str, str]  # by side: why the spec causes that side's failure, or ""

    @property
    def kind(self) -> str:
        """pass / both / only sdkforge / only official."""
        official, sdkforge = (self.outcomes[s].ok for s in SIDES)
        if official and sdkforge:
            return "pass"
        if not official and not sdkforge:
            return "both"
        return "only sdkforge" if official else "only official"

    def as_json(self) -> dict[str, Any]:
        sn = self.snippet
        sides = {
            s: {
                "ok": o.ok,
                "reason": o.reason(),
                "error": o.error,
                "spec_cause": self.spec[s],
                "requests": [vars(x) for x in o.exchanges[:50]],
            }
            for s, o in self.outcomes.items()
        }
        return {
            "number": sn.number,
            "operation": sn.operation,
            "title": sn.title,
            "class": self.kind,
            **sides,
        }


def make_row(snippet: Snippet, official: Outcome, sdkforge: Outcome) -> Row:
    spec_official = official_cause(official)
    return Row(
        snippet,
        {"official": official, "sdkforge": sdkforge},
        {"official": spec_official, "sdkforge": sdkforge_cause(sdkforge, official, spec_official)},
    )


def run_one(snippet: Snippet, side: str, ctx: Context) -> Outcome:
    """Run `snippet` in a fresh directory with dummy files, for one side."""
    run_id = f"{side[0]}{snippet.number}"
    cwd: Path = ctx.work / "runs" / run_id
    rmtree(cwd)
    cwd.mkdir(parents=True)
    (cwd / "snippet.py").write_text(snippet.code, encoding="utf-8")
    write_files(snippet.code, cwd)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(ctx.work / "home"),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    url = ctx.proxy.base_url(run_id)
    if side == "official":
        env.update(OPENAI_API_KEY="sk-bench", OPENAI_BASE_URL=url)
    else:
        env.update(
            PYTHONPATH=f"{ctx.shim}{os.pathsep}{ctx.generated}",
            SDKFORGE_BENCH_PACKAGE=ctx.package,
            SDKFORGE_BENCH_CLIENT=ctx.client_name,
            SDKFORGE_BENCH_API_KEY="sk-bench",
            SDKFORGE_BENCH_BASE_URL=url,
        )
    result_file = cwd / "result.json"
    r = run(
        [ctx.python, str(ctx.runner), "snippet.py", str(result_file)],
        timeout=ctx.timeout,
        cwd=cwd,
        env=env,
    )
    exchanges = list(ctx.proxy.records.get(run_id, []))
    if r.timed_out:
        return Outcome(False, timed_out=True, exchanges=exchanges)
    try:
        data = json.loads(result_file.read_text())
    except (OSError, ValueError):
        tail = (r.stderr.strip().splitlines() or [f"exit {r.returncode}"])[-1]
        return Outcome(False, {"type": "Crash", "message": tail[:300]}, exchanges=exchanges)
    return Outcome(
        bool(data.get("ok")), {k: v for k, v in data.items() if k != "ok"}, exchanges=exchanges
    )


def _mock_cause(o: Outcome) -> str:
    """Spec causes any side can meet: a mock that cannot answer, an example that pages forever."""
    for x in o.exchanges:
        if x.status >= 500 and not x.reason.startswith("proxy:"):  # not Prism gone
            return f"the mock cannot answer {x.method} {x.path} from the spec ({x.reason})"
    if o.timed_out and o.most_repeated() >= ENDLESS:
        return "endless pages: the spec's list example always has more"
    return ""


def official_cause(o: Outcome) -> str:
    """Why the official package's failure is the spec's doing, or "". The official package
    is the reference: when it fails outside its own code (in the example's lines, or in the
    standard library on the mock's placeholder data) the example is wrong; when the mock
    refuses what it sends, the spec has no such path, no such response media type, or a
    schema the example's own arguments break (Prism's 4xx)."""
    if o.ok:
        return ""
    if str(o.error.get("type", "")).endswith("AttributeError"):
        owner = str(o.error.get("obj_module", ""))
        if owner.startswith("openai.resources") or owner == "openai._client":
            return "the example calls an accessor the official package lacks"
        if owner.startswith("openai.types"):
            return f"the mock's answer lacks what the example reads ({o.error.get('message', '')})"
    found = _mock_cause(o)
    if found:
        return found
    x = o.mock_complaint()
    origin = str(o.error.get("origin", ""))
    if x is None and origin and not origin.startswith("openai"):
        kind = str(o.error.get("type", "")).rsplit(".", 1)[-1]
        if origin == "snippet":
            return f"the example's own code fails with the official package ({kind})"
        return f"the example's code fails on the mock's data ({kind} in {origin})"
    if x is None:
        return ""
    if x.status == 404 and "NO_PATH_MATCHED" in x.reason:
        return f"the spec has no path for {x.method} {x.path}"
    if x.status == 406:
        return f"the spec has no response to {x.method} {x.path} as {x.accept or 'any type'}"
    return f"Prism refuses the example's request ({x.status}: {x.reason[:120]})"


_NAMES = re.compile(r"'[^']*'|\b[\w.]+\(\)")  # quoted names and callees: `'Beta'`, `Items.list()`


def same_failure(a: Outcome, b: Outcome) -> bool:
    """The same exception type on the same snippet line with the same message once names are
    blanked: `'SyncCursorPage[X]' object is not subscriptable` = `'XList' object is not
    subscriptable`, but `takes 2 positional arguments` != `takes 1 positional argument`."""

    def shape(o: Outcome) -> tuple[object, str, str]:
        kind = str(o.error.get("type", "")).rsplit(".", 1)[-1]
        return o.error.get("line"), kind, _NAMES.sub("_", str(o.error.get("message", "")))

    return bool(a.error.get("line")) and shape(a) == shape(b)


def sdkforge_cause(o: Outcome, official: Outcome, official_spec: str) -> str:
    """Why sdkforge's failure is the spec's doing, or "": the mock's own limits, or the same
    failure the official package has for a spec cause (`same_failure`, or the same
    complaint from Prism)."""
    if o.ok:
        return ""
    found = _mock_cause(o)
    if found:
        return found
    if not official_spec:
        return ""
    mine, theirs = o.mock_complaint(), official.mock_complaint()
    same_complaint = (
        mine and theirs and (mine.status, mine.reason) == (theirs.status, theirs.reason)
    )
    return f"as official: {official_spec}" if same_failure(o, official) or same_complaint else ""


def signature(o: Outcome) -> str:
    """A failure's kind for the summary: type and the first words of its message."""
    if o.timed_out:
        return "Timeout" + (" (endless pages)" if o.most_repeated() >= ENDLESS else "")
    complaint = o.mock_complaint()
    kind = str(o.error.get("type", "?")).rsplit(".", 1)[-1]
    if complaint is not None and "Error" in kind and complaint.status >= 400:
        return f"{kind}: mock {complaint.status} {complaint.reason[:70]}"
    return f"{kind}: {str(o.error.get('message', ''))[:70]}"


def report(rows: list[Row], header: list[str]) -> str:
    n = len(rows)
    passed = {s: sum(1 for r in rows if r.outcomes[s].ok) for s in SIDES}
    classes = Counter(r.kind for r in rows)
    lines = [*header, ""]
    lines.append(f"{'side':<10} {'pass':>5} {'fail':>5}   of {n}")
    for s in SIDES:
        lines.append(f"{s:<10} {passed[s]:>5} {n - passed[s]:>5}")
    lines.append(
        f"snippets failing: on both sides {classes['both']}, only sdkforge {classes['only sdkforge']}, "
        f"only official {classes['only official']}"
    )
    for s in SIDES:
        caused = sum(1 for r in rows if r.spec[s])
        lines.append(f"{s} failures the spec causes: {caused} of {n - passed[s]}")
    left = sum(1 for r in rows if r.kind == "only sdkforge" and not r.spec["sdkforge"])
    met = passed["sdkforge"] >= passed["official"]
    lines.append(f"issue 16 target 1, sdkforge passes >= official: {'met' if met else 'not met'}")
    lines.append(
        f"issue 16 target 2, sdkforge failures neither shared with official nor caused "
        f"by the spec: {left} ({'met' if left == 0 else 'not met'})"
    )
    for s in SIDES:
        kinds = Counter(signature(r.outcomes[s]) for r in rows if not r.outcomes[s].ok)
        if kinds:
            lines += ["", f"{s} failures by kind:"]
            lines += [f"  {c:>4}  {k}" for k, c in kinds.most_common()]
    lines += ["", "Every snippet with a failure:"]
    for r in rows:
        if r.kind == "pass":
            continue
        sn = r.snippet
        lines.append(f"#{sn.number} {sn.operation} [{sn.title}]  fails on: {r.kind}")
        for s in SIDES:
            o = r.outcomes[s]
            lines.append(f"    {s:<9} {o.reason()[:220]}")
            if o.ok:
                continue
            x = o.mock_complaint()
            if x is not None:
                lines.append(f"    {'':<9} mock: {x.status} {x.method} {x.path}: {x.reason[:160]}")
            lines.append(f"    {'':<9} spec causes it: {r.spec[s] or 'no'}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_arguments(ap, openai_spec=OPENAI_SPEC)
    ap.add_argument("--prism", type=Path, help="Prism binary (default: node_modules/.bin/prism)")
    ap.add_argument(
        "--strict",
        action="store_true",
        help="run Prism with --errors: a response example that breaks its schema becomes a 500",
    )
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=20, help="seconds per snippet run")
    ap.add_argument("--only", help="comma-separated snippet numbers")
    ap.add_argument("--json", type=Path, help="write every outcome to this file")
    ap.add_argument("--keep", action="store_true", help="keep the work directory and say where")
    args = ap.parse_args()

    checkout = Checkout.at(args.checkout, args.python)
    config = config_argument(ap, args, checkout)
    python = peers_python(args.peers_python)
    if python is None:
        ap.error("no interpreter with the official openai package (see --peers-python)")
    binary = args.prism or next(
        (
            p
            for p in (checkout.root / "node_modules/.bin/prism", REPO / "node_modules/.bin/prism")
            if p.exists()
        ),
        None,
    )
    if binary is None:
        ap.error("Prism is not installed: run `npm ci` (or `make test`) in the checkout")
    snippets = [s for op in load_operations(args.spec) for s in op.snippets]
    if args.only:
        wanted = {int(x) for x in args.only.split(",")}
        snippets = [s for s in snippets if s.number in wanted]

    work = Path(tempfile.mkdtemp(prefix="bench-examples-"))
    try:
        generated, package = generate_client(checkout, args.spec, config, work)
        dump = checkout.dump_ir(args.spec, config)
        (work / "home").mkdir()
        runner = work / "runner.py"
        runner.write_text(RUNNER, encoding="utf-8")
        version = run([python, "-c", "import openai; print(openai.__version__)"], timeout=60)
        log(f"starting Prism on {args.spec.name} (takes a while on a big spec) ...")
        with (
            prism(binary, args.spec, work / "prism.log", errors=args.strict) as upstream,
            RecordingProxy(upstream) as proxy,
        ):
            ctx = Context(
                work,
                proxy,
                python,
                runner,
                write_shim(work / "shim"),
                generated,
                package,
                dump.get("client_name", "Client"),
                args.timeout,
            )
            tasks = [(s, side) for s in snippets for side in SIDES]
            log(f"running {len(snippets)} snippets x 2 sides, {args.jobs} at a time ...")
            with ThreadPoolExecutor(max(1, args.jobs)) as pool:
                outcomes = list(pool.map(lambda t: run_one(t[0], t[1], ctx), tasks))
        rows = [make_row(sn, outcomes[2 * i], outcomes[2 * i + 1]) for i, sn in enumerate(snippets)]
        header = [
            f"checkout: {checkout.describe()}",
            f"sdkforge client: package {package}, config {config or 'none'}; official: openai "
            f"{version.stdout.strip()}; {len({s.operation for s in snippets})} operations, "
            f"{len(snippets)} snippets, timeout {args.timeout:.0f} s"
            + (", Prism --errors" if args.strict else ""),
        ]
        print(report(rows, header))
        if args.json:
            args.json.write_text(json.dumps([r.as_json() for r in rows], indent=2))
    finally:
        if args.keep:
            log(f"work directory kept: {work}")
        else:
            rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
