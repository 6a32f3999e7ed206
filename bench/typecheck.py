#!/usr/bin/env python
"""Typing benchmark (issue 24): do type checkers catch mistakes in the OpenAI docs' examples?

    python bench/typecheck.py [--checkout PATH] [--config PATH | --no-config]
                              [--peers-python PY] [--per-kind 40] [--checkers mypy,pyright]
                              [--json FILE] [--keep]

(Named typecheck.py, not typing.py: a script's folder is first on `sys.path`, and a
`typing.py` there would shadow the standard library's for every bench script.)

Every `x-oaiMeta` Python snippet of the OpenAI spec is type-checked, unchanged and with
seeded mistakes of five kinds (bench/_mutants.py, derived deterministically), by
`mypy --strict` and by pyright (standard mode), once against the official `openai`
package and once against the client sdkforge generates from the spec (its `OpenAI` /
`AsyncOpenAI` re-exported by a two-line `openai` package). An example type-checks when the
checker reports no error in it; a mistake is caught when some line of the mutant has more
errors than the same line of the clean example.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _checkout import Checkout, add_arguments, config_argument, generate_client
from _common import PYTHON, ensure_peers, load_spec, log, peer_bin, rmtree, run, table
from _mutants import HEADINGS, KINDS, Mutant, enum_strings, mutants
from _oaiexamples import OPENAI_SPEC, Snippet, load_operations

SIDES = ("official", "sdkforge")
_MYPY_LINE = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+): error: ")
Errors = dict[str, Counter[int]]
"""Per file stem, the number of errors on each line."""


def write_side(work: Path, side: str, snippets: list[Snippet], muts: list[Mutant]) -> Path:
    root = work / side
    root.mkdir(parents=True)
    for sn in snippets:
        (root / f"ex_{sn.number:04d}.py").write_text(sn.code, encoding="utf-8")
    for m in muts:
        (root / f"{m.name}.py").write_text(m.code, encoding="utf-8")
    (root / "pyrightconfig.json").write_text(
        json.dumps({"typeCheckingMode": "standard", "reportMissingModuleSource": False}),
        encoding="utf-8",
    )
    return root


def bridge(root: Path, generated: Path, package: str, client: str) -> None:
    """The sdkforge side's `openai`: the generated client under the official names, and
    its resources as module attributes (`openai.audio`, the official module-level client)."""
    (root / package).symlink_to(generated / package, target_is_directory=True)
    (root / "openai").mkdir()
    names = resource_names(generated / package / "_client.py", client)
    (root / "openai" / "__init__.py").write_text(
        f'"""Bench bridge: the official names over the generated client."""\n'
        f"from {package} import {client} as OpenAI, Async{client} as AsyncOpenAI\n\n"
        '_client = OpenAI(api_key="")\n'
        + "".join(f"{n} = _client.{n}\n" for n in names)
        + f"__all__ = {sorted(['AsyncOpenAI', 'OpenAI', *names])!r}\n",
        encoding="utf-8",
    )


def resource_names(client_module: Path, client: str) -> list[str]:
    """The client's resources: the `cached_property` members of its class."""
    tree = ast.parse(client_module.read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == client)
    return [
        f.name
        for f in cls.body
        if isinstance(f, ast.FunctionDef)
        and not f.name.startswith("_")
        and any(ast.unparse(d).endswith("cached_property") for d in f.decorator_list)
    ]


def mypy_errors(root: Path, files: list[str], python: str, timeout: float) -> Errors:
    cmd = [PYTHON, "-m", "mypy", "--strict", "--python-executable", python]
    cmd += ["--follow-imports=silent", "--no-error-summary", "--cache-dir", str(root / ".mypy")]
    r = run([*cmd, *files], timeout=timeout, cwd=root)
    if r.timed_out:
        raise SystemExit(f"mypy timed out in {root}")
    out: Errors = {}
    for line in r.stdout.splitlines():
        m = _MYPY_LINE.match(line)
        if m and "/" not in m["file"]:
            out.setdefault(m["file"][:-3], Counter())[int(m["line"])] += 1
    return out


def pyright_errors(root: Path, files: list[str], python: str, timeout: float) -> Errors:
    binary = Path(PYTHON).parent / "pyright"
    r = run(
        [str(binary), "--outputjson", "--pythonpath", python, *files], timeout=timeout, cwd=root
    )
    if r.timed_out:
        raise SystemExit(f"pyright timed out in {root}")
    try:
        report = json.loads(r.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"pyright gave no report: {r.stderr.strip()[-400:]}") from None
    out: Errors = {}
    for d in report.get("generalDiagnostics", []):
        path = Path(d.get("file", ""))
        if d.get("severity") == "error" and path.parent == root:
            out.setdefault(path.stem, Counter())[d["range"]["start"]["line"] + 1] += 1
    return out


def caught(m: Mutant, errors: Errors) -> bool:
    clean = errors.get(f"ex_{m.snippet.number:04d}", Counter())
    mutated = errors.get(m.name, Counter())
    return any(n > clean[line] for line, n in mutated.items())


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_arguments(ap, openai_spec=OPENAI_SPEC)
    ap.add_argument("--per-kind", type=int, default=40)
    ap.add_argument("--checkers", default="mypy,pyright")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per checker run")
    ap.add_argument("--json", type=Path, help="write every result to this file")
    ap.add_argument("--keep", action="store_true", help="keep the work directory and say where")
    args = ap.parse_args()
    checkout = Checkout.at(args.checkout, args.python)
    config = config_argument(ap, args, checkout)
    python = args.peers_python
    if python is None:
        problem = ensure_peers(["openai", "httpx"])
        python = str(peer_bin("python"))
        if problem:
            ap.error(f"no interpreter with the official openai package: {problem}")
    snippets = [s for op in load_operations(args.spec) for s in op.snippets]
    muts = mutants(snippets, enum_strings(load_spec(args.spec)), args.per_kind)
    checkers = [c for c in args.checkers.split(",") if c]
    work = Path(tempfile.mkdtemp(prefix="bench-typecheck-"))
    results: dict[tuple[str, str], Errors] = {}
    try:
        generated, package = generate_client(checkout, args.spec, config, work)
        client = checkout.dump_ir(args.spec, config).get("client_name", "Client")
        files = [f"ex_{s.number:04d}.py" for s in snippets] + [f"{m.name}.py" for m in muts]
        for side in SIDES:
            root = write_side(work, side, snippets, muts)
            if side == "sdkforge":
                bridge(root, generated, package, client)
            for checker in checkers:
                log(f"{checker} on {len(files)} files, {side} side ...")
                check = mypy_errors if checker == "mypy" else pyright_errors
                results[(checker, side)] = check(root, files, python, args.timeout)
    finally:
        if args.keep:
            log(f"work directory kept: {work}")
        else:
            rmtree(work)
    print(report(snippets, muts, checkers, results))
    if args.json:
        args.json.write_text(json.dumps(as_json(snippets, muts, checkers, results), indent=2))
    return 0


def report(
    snippets: list[Snippet],
    muts: list[Mutant],
    checkers: list[str],
    results: dict[tuple[str, str], Errors],
) -> str:
    per_kind = Counter(m.kind for m in muts)
    headers = ["checker", "side", "examples that type-check"] + [HEADINGS[k] for k in KINDS]
    rows = []
    for checker in checkers:
        for side in SIDES:
            errors = results[(checker, side)]
            clean = sum(1 for s in snippets if not errors.get(f"ex_{s.number:04d}"))
            row = [checker, side, f"{clean}/{len(snippets)}"]
            for kind in KINDS:
                hits = sum(caught(m, errors) for m in muts if m.kind == kind)
                row.append(f"{hits}/{per_kind[kind]}")
            rows.append(row)
    lines = [table(headers, rows), ""]
    for checker in checkers:
        ours, theirs = results[(checker, "sdkforge")], results[(checker, "official")]
        only = [s for s in snippets if ours.get(_stem(s)) and not theirs.get(_stem(s))]
        lines.append(f"{checker}: clean examples failing only on the sdkforge side: {len(only)}")
        lines += [f"  #{s.number} {s.operation} [{s.title}]" for s in only]
        missed = [m for m in muts if caught(m, theirs) and not caught(m, ours)]
        lines.append(
            f"{checker}: mistakes the official side catches and sdkforge misses: {len(missed)}"
        )
        lines += [f"  {m.name}: {m.before} -> {m.after}" for m in missed]
    return "\n".join(lines)


def _stem(s: Snippet) -> str:
    return f"ex_{s.number:04d}"


def as_json(
    snippets: list[Snippet],
    muts: list[Mutant],
    checkers: list[str],
    results: dict[tuple[str, str], Errors],
) -> dict[str, object]:
    out: dict[str, object] = {}
    for checker in checkers:
        for side in SIDES:
            errors = results[(checker, side)]
            out[f"{checker}/{side}"] = {
                "clean": {
                    _stem(s): sum(errors.get(_stem(s), Counter()).values()) for s in snippets
                },
                "caught": {m.name: caught(m, errors) for m in muts},
            }
    return out


if __name__ == "__main__":
    sys.exit(main())
