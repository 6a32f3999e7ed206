"""Reference docs: example synthesis against the seed, snippets that compile, escaping.

The seed reference (`../shared/seed/videos-edit-reference.txt`) is the target shape: its
example response must come out of `example_value` exactly, and its (Ruby) example call,
translated to Python, must equal `example_call`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

from sdkforge.apimodel.ir import Api, TypeRef
from sdkforge.codegen.docviews import resource_docs
from sdkforge.codegen.examples import Examples, example_call, example_snippet, example_value
from sdkforge.codegen.pyexpr import fenced, md_block, md_code
from sdkforge.codegen.render import environment, template_context, template_dirs
from sdkforge.config import Config, load_config
from sdkforge.pipeline import load_api

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "videos-edit-reference.txt"
GOLDEN_SPECS = sorted((ROOT / "tests" / "golden").glob("*/spec.yaml"))
PYTHON_BLOCK = re.compile(r"^(`{3,})python\n(.*?)^\1$", re.MULTILINE | re.DOTALL)


def _load(spec: Path) -> Api:
    config_file = spec.parent / "sdkforge.yaml"
    config = load_config(config_file) if config_file.exists() else Config()
    return load_api(spec, config)[0]


def _render_docs(api: Api) -> dict[str, str]:
    env = environment(template_dirs(None))
    context = template_context(api)
    return {
        name: env.get_template(name + ".jinja").render(**context)
        for name in ("README.md", "api.md")
    }


@pytest.fixture(scope="module")
def seed_api() -> Api:
    return _load(ROOT / "spec" / "openapi.yaml")


def _seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("../shared/seed/videos-edit-reference.txt is not present")
    return SEED.read_text(encoding="utf-8")


# -- example synthesis on the seed -------------------------------------------------------


def test_example_response_equals_seed(seed_api: Api) -> None:
    expected = json.loads(_seed_text().split("\nResponse\n", 1)[1])
    _, op = seed_api.all_operations()[0]
    actual = example_value(op.response.type, seed_api)
    assert actual == expected
    assert isinstance(actual, dict)
    assert list(actual) == list(expected)  # key order is the model's field order


def test_example_call_equals_seed(seed_api: Api) -> None:
    ruby = re.search(r"^\w+ = openai\.(.+)$", _seed_text(), re.MULTILINE)
    assert ruby is not None
    python = re.sub(r"(\w+): ", r"\1=", ruby.group(1))
    python = python.replace('StringIO.new("Example data")', 'io.BytesIO(b"Example data")')
    _, op = seed_api.all_operations()[0]
    assert example_call(op, seed_api) == "client." + python
    assert (
        example_call(op, seed_api)
        == 'client.videos.edit(prompt="x", video=io.BytesIO(b"Example data"))'
    )


def test_example_snippet_takes_client_arguments(seed_api: Api) -> None:
    _, op = seed_api.all_operations()[0]
    snippet = example_snippet(
        op, seed_api, client_args='base_url="http://127.0.0.1:4010", api_key="k"'
    )
    assert 'client = Client(base_url="http://127.0.0.1:4010", api_key="k")' in snippet
    assert snippet.startswith("import io\n")
    assert "print(video)" in snippet
    compile(snippet, "<snippet>", "exec")
    compile(example_snippet(op, seed_api, asynchronous=True), "<async snippet>", "exec")


def test_seed_api_md_has_the_seed_sections(seed_api: Api) -> None:
    api_md = _render_docs(seed_api)["api.md"]
    for text in (
        "`client.videos.edit(**kwargs) -> Video`",
        "`post /videos/edits`",
        "`video: FileTypes | VideoReferenceInputParam{ id }` (required)",
        "`id: str` (required): The identifier of the completed video.",
        "**Returns**",
        "`status: VideoStatus` (required)",
        '`"queued"`, `"in_progress"`, `"completed"`, `"failed"`',
        "Known values (any other string is accepted too)",
        "**Example**",
        "**Response**",
    ):
        assert text in api_md


# -- recursion and unions ------------------------------------------------------------------


def test_recursive_models_terminate_with_every_field() -> None:
    api = _load(ROOT / "tests" / "golden" / "recursive" / "spec.yaml")
    value = example_value(TypeRef("model", name="Node"), api)
    assert value == {
        "value": "value",
        "children": [],
        "parent": None,
        "owner": {"name": "name", "favourite": {}},
    }


def test_request_values_are_the_shortest_valid_ones(seed_api: Api) -> None:
    ex = Examples(seed_api)
    assert ex.request(TypeRef("model", name="VideoReferenceInputParam")) == '{"id": "x"}'
    assert ex.request(TypeRef("alias", name="VideoModel")) == '"sora-2"'  # open enum: a known value
    assert ex.request(TypeRef("list", items=(TypeRef("int"),))) == "[0]"
    assert ex.response(TypeRef("str", fmt="date-time")) == "2019-12-27T18:11:19.117Z"


# -- every Python block compiles ---------------------------------------------------------


@pytest.mark.parametrize(
    "spec", [ROOT / "spec" / "openapi.yaml", *GOLDEN_SPECS], ids=lambda p: p.parent.name
)
def test_python_blocks_compile(spec: Path) -> None:
    docs = _render_docs(_load(spec))
    for name, text in docs.items():
        blocks = PYTHON_BLOCK.findall(text)
        assert blocks or name == "api.md", f"{name} has no Python example"
        for i, (_, code) in enumerate(blocks):
            compile(code, f"{spec.parent.name}/{name}#{i}", "exec")


# -- escaping ------------------------------------------------------------------------------

HOSTILE = """\
openapi: 3.1.0
info:
  title: "Evil | API ``` <!-- x"
  version: "1"
  description: "```\\nunclosed fence"
paths:
  /things/{id}:
    get:
      operationId: getThing
      tags: [things]
      summary: "Summary with `code` and | pipes"
      description: "<!-- comment never closed\\n```python\\nprint('swallowed')"
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, description: "a\\n```\\nb"}
        - {name: mode, in: query, schema: {type: string, enum: ["`a`", "x```y", "\\n```"]}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  note: {type: string, example: "\\n```\\nimport os\\n```"}
                  kind: {type: string, const: "```"}
"""


def test_spec_text_cannot_break_the_markdown(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(HOSTILE, encoding="utf-8")
    api = _load(spec)
    docs = _render_docs(api)
    api_md = docs["api.md"]
    # Every section survives: the anchors and headings after the hostile text are present.
    assert '<a id="things-retrieve"></a>' in api_md
    assert "**Parameters**" in api_md and "**Returns**" in api_md and "**Response**" in api_md
    assert "&lt;!--" in api_md and "<!--" not in api_md.replace("&lt;!--", "")
    for text in docs.values():
        for _, code in PYTHON_BLOCK.findall(text):
            compile(code, "<hostile>", "exec")
    # The response block still parses as the whole example: nothing inside closed its fence.
    block = re.search(r"^(`{3,})json\n(.*?)^\1$", api_md, re.MULTILINE | re.DOTALL)
    assert block is not None
    assert json.loads(block.group(2)) == {"note": "\n```\nimport os\n```", "kind": "```"}


def test_markdown_filters() -> None:
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x`") == "`` `x` ``"
    assert md_code("two\nlines") == "`two lines`"
    assert fenced("x = 1", "python") == "```python\nx = 1\n```"
    assert fenced('s = """\n```\n"""', "python").startswith("````python\n")
    assert md_block("text\n```\ncode").endswith("\n```")
    assert md_block("text\n```\ncode\n```") == "text\n```\ncode\n```"
    assert md_block("a <!-- b") == "a &lt;!-- b"


# -- a big spec ----------------------------------------------------------------------------


def test_big_spec_api_md_has_a_table_of_contents() -> None:
    spec = SHARED / "specs" / "openai.yaml"
    if not spec.is_file():
        pytest.skip("../shared/specs/openai.yaml is not present")
    api = _load(spec)
    api_md = _render_docs(api)["api.md"]
    toc = api_md.split("## Contents\n", 1)[1].split("\n<a id=", 1)[0]
    links = re.findall(r"\]\(#([^)]+)\)", toc)
    webhooks = 1 if api.webhooks else 0  # OpenAI's 16 events: one section, one link
    assert len(links) == len(api.all_operations()) + len(resource_docs(api)) + webhooks
    anchors = set(re.findall(r'^<a id="([^"]+)"></a>$', api_md, re.MULTILINE))
    assert links and set(links) <= anchors
    assert len(set(links)) == len(links)


ABOUT_SPEC = """
openapi: 3.0.3
info:
  title: Blockfrost.io ~ API Documentation
  version: 0.1.93
  description: |
    Blockfrost is an API as a service for the Cardano blockchain.

    ## Available networks

    <table>
      <tbody>
        <tr><td><b>Network</b></td><td><b>Endpoint</b></td></tr>
        <tr>
          <td>Cardano mainnet</td>
          <td><tt>https://cardano-mainnet.blockfrost.io/api/v0</tt></td>
        </tr>
      </tbody>
    </table>

    LONG
paths:
  /blocks/latest/txs:
    get:
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: array, items: {type: string}}}}
components:
  securitySchemes:
    project_id: {type: apiKey, in: header, name: project_id}
security: [{project_id: []}]
"""


def test_docs_lead_with_the_client_and_end_with_the_api_description(tmp_path: Path) -> None:
    """Issue 23: install, authentication, first call and pagination come first; the spec's
    description (HTML cleaned, tables as Markdown) is a one-paragraph lead and, whole, the
    last section."""
    spec = tmp_path / "spec.yaml"
    long = "\n\n".join(f"    Paragraph {i} of the API's own story." for i in range(200))
    spec.write_text(ABOUT_SPEC.replace("    LONG", long), encoding="utf-8")
    docs = _render_docs(_load(spec))
    readme = docs["README.md"]
    heads = [line for line in readme.splitlines() if line.startswith("## ")]
    assert heads[:5] == [
        "## Documentation",
        "## Installation",
        "## Configuring the client",
        "## Usage",
        "## Pagination",
    ]
    assert readme.splitlines().index("## Installation") < 20
    assert "from blockfrost import Client" in readme and "BLOCKFROST_PROJECT_ID" in readme
    assert "for item in client.blocks.latest.txs.list():" in readme
    about = readme.index("## About the API")
    assert readme.index("Paragraph 0 of") > about and readme.index("Paragraph 199 of") > about
    assert "| Cardano mainnet | https://cardano-mainnet.blockfrost.io/api/v0 |" in readme
    assert "### Available networks" in readme and "<t" not in readme
    assert docs["api.md"].index("Paragraph 0 of") > docs["api.md"].index("## Contents")
