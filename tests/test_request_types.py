"""What the generated types catch: request TypedDicts, the chosen form's return type, pages.

A small API (tests/typing_cases/spec.yaml: a discriminated union of messages, nested
objects, enums, a free-form map, a `stream` flag, a `response_format` that picks the
answer's form, a cursor-paged list) is generated and used by two scripts that mypy --strict
checks: every line of `GOOD` must pass, and every line of `BAD` marked `# E` must be an
error while the others are not.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from sdkforge.config import Config
from sdkforge.pipeline import generate
from sdkforge.write import write

SPEC = ROOT / "tests" / "typing_cases" / "spec.yaml"

GOOD = """\
from mini import Client
from mini.params import MessageParam, ToolParam
from mini import models

client = Client()
msgs: list[MessageParam] = [{"role": "user", "content": "hi"}]
tool: ToolParam = {"type": "function", "function": {"name": "f", "strict": None}}
r = client.chat.create(
    messages=[
        {"role": "user", "content": "hi", "name": "n"},
        {"role": "system", "content": [{"text": "x", "odd-key": 1}]},
    ],
    model="m",
    tools=[tool],
    metadata={"a": "b"},
    response_format="verbose_json",
)
words: list[str] | None = r.words
stream = client.chat.create(messages=msgs, model="m", stream=True)
for chunk in stream:
    delta: str | None = chunk.delta
either = client.chat.create(messages=msgs, model="m")
old_style = client.chat.create(messages=[models.UserMessage(role="user", content="x")], model="m")
page = client.items.list()
more: bool = page.has_more
first: str | None = page.first_id
items: list[models.ChatJson] = page.data
"""

BAD = """\
from mini import Client

client = Client()
msgs = [{"role": "usr", "content": "hi"}]
client.chat.create(messages=[{"role": "usr", "content": "hi"}], model="m")  # E
client.chat.create(messages=[{"role": "user", "contnt": "hi"}], model="m")  # E
client.chat.create(messages=[{"role": "system", "content": [{"txt": "x"}]}], model="m")  # E
client.chat.create(messages=[], model="m", tools=[{"typo": 1}])  # E
client.chat.create(messages=[], model="m", tools=[{"type": "function", "function": {"nme": "f"}}])  # E
client.chat.create(messages=[], model="m", metadata={"a": 1})  # E
client.chat.create(messages=[], model="m", response_format="verbose")  # E
client.chat.create(messages=[], model=1)  # E
client.chat.create(messages=[], model="m").words  # E
client.chat.create(messages=[], model="m", response_format="json").words  # E
client.items.list().dataa  # E
client.items.list().has_more
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[int]]:
    root = tmp_path_factory.mktemp("types")
    result = generate(SPEC, Config())
    write(result.plan, root / "project")
    (root / "project" / "good.py").write_text(GOOD)
    (root / "project" / "bad.py").write_text(BAD)
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "good.py", "bad.py", "mini"],
        cwd=root / "project",
        capture_output=True,
        text=True,
    )
    errors: dict[str, set[int]] = {}
    for line in run.stdout.splitlines():
        m = re.match(r"^(.+?):(\d+): error: ", line)
        if m:
            errors.setdefault(m[1], set()).add(int(m[2]))
    assert run.returncode in (0, 1), run.stderr[-2000:]
    print(run.stdout)
    return errors


def test_correct_use_type_checks(checked: dict[str, set[int]]) -> None:
    assert not checked.get("good.py"), "errors in good.py"
    assert not any(k.startswith("mini") for k in checked), "errors in the generated package"


def test_every_seeded_mistake_is_an_error(checked: dict[str, set[int]]) -> None:
    marked = {i for i, line in enumerate(BAD.splitlines(), 1) if line.endswith("# E")}
    assert checked.get("bad.py", set()) == marked


def test_requests_import_params_for_type_checkers_only(tmp_path: Path) -> None:
    result = generate(SPEC, Config())
    write(result.plan, tmp_path)
    probe = "import sys, mini; mini.Client().chat; print('mini.params' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
