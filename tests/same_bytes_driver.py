"""Run by `test_interpreters.py` under each Python: generate specs, write every file.

    python tests/same_bytes_driver.py OUT NAME=SPEC[::CONFIG[::tests]] ...

Each NAME becomes `OUT/NAME/` holding every file of the plan (runtime copies included),
written as `sdkforge generate` would write them. Only the standard library and
`generator` are imported, so it runs in a venv holding just the generator's dependencies.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(out: Path, jobs: list[str]) -> None:
    from sdkforge.config import Config, load_config
    from sdkforge.pipeline import Options, generate

    for job in jobs:
        name, _, rest = job.partition("=")
        spec, _, extra = rest.partition("::")
        config_path, _, flag = extra.partition("::")
        config = load_config(Path(config_path)) if config_path else Config()
        result = generate(Path(spec), config, Options(tests=flag == "tests"))
        for rel, data in result.plan.files.items():
            target = out / name / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
