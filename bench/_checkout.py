"""The sdkforge checkout a bench script measures: its interpreter, its IR, its generator.

accessors.py, names.py and examples.py measure any checkout (`--checkout PATH`, default
the one they live in), so the same script gives the numbers before a change (today's
main) and after it. The checkout's code always runs in a subprocess of the checkout's own
interpreter (`PATH/.venv/bin/python` when it exists), exactly as `python -m sdkforge` runs
there; the bench never imports the generator itself. A checkout from before the import
package was named `sdkforge` runs as `python -m generator` with `PYTHONPATH=PATH`; a newer
one without its own venv is installed (no dependencies) into `PATH/build/bench-install`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import REPO, Run, ensure_peers, find_package, log, peer_bin, run, sdkforge_env

IRDUMP = Path(__file__).resolve().parent / "_irdump.py"
OPENAI_CONFIG = Path("examples") / "openai" / "sdkforge.yaml"


@dataclass(frozen=True)
class Checkout:
    """A source tree holding `generator/`, and the Python that runs it."""

    root: Path
    python: str

    @classmethod
    def at(cls, root: Path | None, python: str | None = None) -> Checkout:
        root = (root or REPO).resolve()
        if not (root / "generator" / "__init__.py").is_file():
            raise SystemExit(f"{root} is not an sdkforge checkout (no generator/ package)")
        if python is None:
            venv = root / ".venv" / "bin" / "python"
            python = str(venv) if venv.exists() else sys.executable
        return cls(root, python)

    @property
    def legacy(self) -> bool:
        """True for a checkout whose import package was still `generator`."""
        return not (self.root / "templates" / "__init__.py").is_file()

    @property
    def module(self) -> str:
        return "generator" if self.legacy else "sdkforge"

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = sdkforge_env(extra)
        if self.legacy:
            env["PYTHONPATH"] = str(self.root)  # this checkout's generator, nothing else
        elif not self.python.startswith(str(self.root / ".venv")):
            env["PYTHONPATH"] = str(self._installed())
        return env

    def _installed(self) -> Path:
        """The checkout installed (its own code only) where its interpreter can import it."""
        target = self.root / "build" / "bench-install"
        if not (target / "sdkforge" / "__init__.py").is_file():
            r = run(
                [
                    self.python,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--no-deps",
                    "--target",
                    str(target),
                    str(self.root),
                ],
                timeout=600,
            )
            if not r.ok:
                raise SystemExit(f"could not install {self.root}: {r.stderr.strip()[-300:]}")
        return target

    def default_openai_config(self) -> Path | None:
        """`examples/openai/sdkforge.yaml` of this checkout when it has one."""
        path = self.root / OPENAI_CONFIG
        return path if path.is_file() else None

    def dump_ir(self, spec: Path, config: Path | None, *, timeout: float = 600) -> dict[str, Any]:
        """The operations and their accessors as the checkout's IR names them (see _irdump)."""
        config_arg = str(config.resolve()) if config else ""
        r = run(
            [self.python, str(IRDUMP), str(spec.resolve()), config_arg],
            timeout=timeout,
            cwd=self.root,
            env=self.env(),
        )
        if r.timed_out:
            return {"ok": False, "error": f"timed out after {timeout:.0f} s"}
        try:
            result: dict[str, Any] = json.loads(r.stdout)
        except ValueError:
            tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
            return {"ok": False, "error": f"exit {r.returncode}: {tail[:300]}"}
        where = result.get("generator")
        if where and self.legacy and Path(where) != (self.root / "generator").resolve():
            raise SystemExit(f"{self.python} imported the generator from {where}, not {self.root}")
        return result

    def generate(self, spec: Path, config: Path | None, out: Path, *, timeout: float = 900) -> Run:
        """`python -m sdkforge generate` as a user runs it (cwd `out`'s parent, so no
        `pyproject.toml` of the bench's own directory is picked up as a config)."""
        cmd = [self.python, "-m", self.module, "generate", "--spec", str(spec.resolve())]
        cmd += ["--output", str(out.resolve()), "--quiet"]
        if config is not None:
            cmd += ["--config", str(config.resolve())]
        out.parent.mkdir(parents=True, exist_ok=True)
        return run(cmd, timeout=timeout, cwd=out.parent, env=self.env())

    def describe(self) -> str:
        """`PATH (commit abc1234[, modified])` for the report's first line."""
        head = run(["git", "-C", str(self.root), "rev-parse", "--short", "HEAD"], timeout=30)
        dirty = run(["git", "-C", str(self.root), "status", "--porcelain"], timeout=30)
        commit = head.stdout.strip() if head.ok else "no git"
        return f"{self.root} ({commit}{', modified' if dirty.ok and dirty.stdout.strip() else ''})"


def peers_python(given: str | None) -> str | None:
    """An interpreter with the official `openai` package: `given`, else bench/.venv-peers
    (created and filled the way corpus.py and perf.py do it); None when it cannot be had."""
    if given:
        return given
    problem = ensure_peers(["openai"])
    py = peer_bin("python")
    if problem or not py.exists():
        log(f"no peers venv with openai: {problem}")
        return None
    return str(py)


def add_arguments(ap: argparse.ArgumentParser, *, openai_spec: Path | None = None) -> None:
    """The options every checkout-measuring script shares; with `openai_spec`, also the
    OpenAI spec, its config and the interpreter holding the official package."""
    ap.add_argument(
        "--checkout", type=Path, help="sdkforge checkout to measure (default: this one)"
    )
    ap.add_argument(
        "--python", help="interpreter for the checkout's generator (default: its .venv)"
    )
    if openai_spec is None:
        return
    ap.add_argument("--spec", type=Path, default=openai_spec)
    ap.add_argument("--config", type=Path, help=f"default: CHECKOUT/{OPENAI_CONFIG} when it exists")
    ap.add_argument("--no-config", action="store_true", help="measure only without a config")
    ap.add_argument("--peers-python", help="interpreter with the official openai package")


def config_argument(
    ap: argparse.ArgumentParser, args: argparse.Namespace, checkout: Checkout
) -> Path | None:
    """The config to measure with: --config, else the checkout's OpenAI config, else none."""
    config: Path | None = (
        None if args.no_config else (args.config or checkout.default_openai_config())
    )
    if config is not None and not config.is_file():
        ap.error(f"--config {config}: no such file")
    return config.resolve() if config is not None else None


def generate_client(
    checkout: Checkout, spec: Path, config: Path | None, work: Path
) -> tuple[Path, str]:
    """Generate the client into `work/generated`; (that folder, the package name), or exit."""
    log(f"generating the client ({'config ' + str(config) if config else 'no config'}) ...")
    generated = work / "generated"
    r = checkout.generate(spec, config, generated)
    package = find_package(generated, "_client.py")
    if not r.ok or package is None:
        raise SystemExit(f"generation failed (exit {r.returncode}): {r.stderr.strip()[-500:]}")
    return generated, package
