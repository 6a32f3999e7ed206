"""Issue 15: where methods live and what they are called (sdkforge.apimodel.surface/moves)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from sdkforge.apimodel.moves import apply
from sdkforge.apimodel.surface import Endpoint, place
from sdkforge.config import Config, parse_config
from sdkforge.diagnostics import SpecError
from sdkforge.pipeline import load_api

# (method, path, operationId, lists) → expected accessor, as the official OpenAI SDK names it.
OPENAI_LIKE = [
    ("get", "/chat/completions", "listChatCompletions", True, "chat.completions.list"),
    ("post", "/chat/completions", "createChatCompletion", False, "chat.completions.create"),
    ("get", "/chat/completions/{completion_id}", "getChatCompletion", False, "chat.completions.retrieve"),
    ("post", "/chat/completions/{completion_id}", "updateChatCompletion", False, "chat.completions.update"),
    ("delete", "/chat/completions/{completion_id}", "deleteChatCompletion", False, "chat.completions.delete"),
    ("get", "/chat/completions/{completion_id}/messages", "getChatCompletionMessages", True, "chat.completions.messages.list"),
    ("post", "/threads", "createThread", False, "threads.create"),
    ("get", "/threads/{thread_id}", "getThread", False, "threads.retrieve"),
    ("post", "/threads/runs", "createThreadAndRun", False, "threads.create_and_run"),
    ("post", "/threads/{thread_id}/runs", "createRun", False, "threads.runs.create"),
    ("get", "/threads/{thread_id}/runs", "listRuns", True, "threads.runs.list"),
    ("post", "/threads/{thread_id}/runs/{run_id}/cancel", "cancelRun", False, "threads.runs.cancel"),
    ("post", "/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", "submitToolOuputsToRun", False, "threads.runs.submit_tool_outputs"),
    ("get", "/threads/{thread_id}/runs/{run_id}/steps/{step_id}", "getRunStep", False, "threads.runs.steps.retrieve"),
    ("get", "/threads/{thread_id}/runs/{run_id}/steps", "listRunSteps", True, "threads.runs.steps.list"),
    ("post", "/batches/{batch_id}/cancel", "cancelBatch", False, "batches.cancel"),
    ("get", "/batches", "listBatches", True, "batches.list"),
    ("get", "/files/{file_id}/content", "downloadFile", False, "files.content"),
    ("post", "/fine_tuning/alpha/graders/run", "runGrader", False, "fine_tuning.alpha.graders.run"),
    ("post", "/evals/{eval_id}/runs/{run_id}", "cancelEvalRun", False, "evals.runs.cancel"),
    ("post", "/responses/compact", "Compactconversation", False, "responses.compact"),
    ("get", "/responses/{response_id}", "getResponse", False, "responses.retrieve"),
    ("post", "/responses?beta=true", "beta_createResponse", False, "beta.responses.create"),
    ("post", "/responses", "createResponse", False, "responses.create"),
    ("post", "/audio/transcriptions", "createTranscription", False, "audio.transcriptions.create"),
    ("post", "/embeddings", "createEmbedding", False, "embeddings.create"),
    ("get", "/models/{model}", "retrieveModel", False, "models.retrieve"),
    ("post", "/videos/{video_id}/remix", "CreateVideoRemix", False, "videos.remix"),
]


def _endpoints(rows: list[tuple[str, str, str, bool]]) -> list[Endpoint]:
    return [
        Endpoint(method=m, path=p, pointer=f"#/paths/{p}/{m}", operation_id=o, lists=lists)
        for m, p, o, lists in rows
    ]


DEFAULTS = Config()


def _accessors(endpoints: list[Endpoint], config: Config = DEFAULTS) -> dict[tuple[str, str], str]:
    placed, _ = place(endpoints)
    placed, problems = apply(placed, endpoints, config)
    if problems:
        raise SpecError(problems)
    return {(e.method, e.path): ".".join((*t, n)) for e, (t, n) in zip(endpoints, placed, strict=True)}


def test_paths_give_the_names_the_best_sdks_use() -> None:
    rows = [r[:4] for r in OPENAI_LIKE]
    got = _accessors(_endpoints(rows))
    assert {k: v for k, v in got.items()} == {(m, p): want for m, p, _, _, want in OPENAI_LIKE}


def test_names_do_not_depend_on_the_order_of_operations() -> None:
    rows = [r[:4] for r in OPENAI_LIKE]
    expected = _accessors(_endpoints(rows))
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert _accessors(_endpoints(shuffled)) == expected


def test_adding_an_operation_never_renames_the_others() -> None:
    rows = [r[:4] for r in OPENAI_LIKE]
    full = _accessors(_endpoints(rows))
    for i in range(len(rows)):
        fewer = _accessors(_endpoints(rows[:i] + rows[i + 1 :]))
        assert all(full[k] == v for k, v in fewer.items()), rows[i]


def test_a_shared_prefix_is_dropped_only_when_it_versions_or_mounts_the_api() -> None:
    api_v1 = _endpoints([("get", "/api/v1/pets", "", True), ("get", "/api/v1/pets/{id}", "", False)])
    assert set(_accessors(api_v1).values()) == {"pets.list", "pets.retrieve"}
    # One path: `/videos/edits` is shared by every path, but it names things.
    assert list(_accessors(_endpoints([("post", "/videos/edits", "", False)])).values()) == [
        "videos.edits.create"
    ]
    store = _endpoints([("get", "/store/a", "", False), ("get", "/store/b", "", False)])
    assert set(_accessors(store).values()) == {"store.a.retrieve", "store.b.retrieve"}


def test_put_and_patch_on_one_item_both_keep_readable_names() -> None:
    rows = [("patch", "/pets/{id}", "updatePet", False), ("put", "/pets/{id}", "replacePet", False)]
    assert set(_accessors(_endpoints(rows)).values()) == {"pets.update", "pets.replace"}
    no_ids = [("patch", "/pets/{id}", "", False), ("put", "/pets/{id}", "", False)]
    assert set(_accessors(_endpoints(no_ids)).values()) == {"pets.update", "pets.replace"}


def test_extensions_and_the_config_decide_before_the_path() -> None:
    endpoints = [
        Endpoint("post", "/admin/bans", "#/a", group=("admin", "users"), name="ban"),
        Endpoint("post", "/invoices/{id}/payment", "#/b", name="pay"),
        Endpoint("get", "/pets", "#/c", lists=True, fixed=(("animals",), "all")),
    ]
    got = _accessors(endpoints)
    assert list(got.values()) == ["admin.users.ban", "invoices.pay", "animals.all"]


def test_config_moves_and_renames_with_did_you_mean() -> None:
    rows = [("get", "/assistants", "", True), ("get", "/assistants/{id}", "", False)]
    rows += [("post", "/images/edits", "createImageEdit", False)]
    config = parse_config(
        {"resources": {"assistants": "beta.assistants"}, "methods": {"images.edits.create": "images.edit"}},
        "sdkforge.yaml",
    )
    got = _accessors(_endpoints(rows), config)
    assert sorted(got.values()) == ["beta.assistants.list", "beta.assistants.retrieve", "images.edit"]
    bad = parse_config({"resources": {"asistants": "beta.assistants"}}, "sdkforge.yaml", "resources:\n  asistants: beta.assistants\n")
    with pytest.raises(SpecError) as exc:
        _accessors(_endpoints(rows), bad)
    message = exc.value.diagnostics[0].format()
    assert "did you mean 'assistants'" in message and "sdkforge.yaml:2" in message
    clash = parse_config({"methods": {"images.edits.create": "assistants.list"}}, "sdkforge.yaml")
    with pytest.raises(SpecError, match=r"assistants\.list"):
        _accessors(_endpoints(rows), clash)


def test_operations_entries_that_match_nothing_are_errors_with_did_you_mean() -> None:
    """`operations:` pins names (what `sdkforge init` writes): a key naming no operation,
    by request line or operationId, must not be dropped without a word."""
    rows = [("post", "/videos/edits", "createVideoEdit", False), ("get", "/videos", "", True)]
    text = "operations:\n  POST /videos/edit: videos.edit\n  createVideoEdits: videos.edit2\n"
    bad = parse_config(
        {"operations": {"POST /videos/edit": "videos.edit", "createVideoEdits": "videos.edit2"}},
        "sdkforge.yaml",
        text,
    )
    with pytest.raises(SpecError) as exc:
        _accessors(_endpoints(rows), bad)
    messages = [d.format() for d in exc.value.diagnostics]
    assert len(messages) == 2
    assert "'POST /videos/edit' matches no operation" in messages[0]
    assert "did you mean 'POST /videos/edits'?" in messages[0] and "sdkforge.yaml:2" in messages[0]
    assert "did you mean 'createVideoEdit'?" in messages[1] and "sdkforge.yaml:3" in messages[1]
    good = parse_config({"operations": {"createVideoEdit": "videos.edit", "GET /videos": "videos.list"}}, "s.yaml")
    assert _accessors(_endpoints(rows), good)  # both keys name an operation: no error


def test_the_golden_surface_spec(tmp_path: Path) -> None:
    """Positional ids in path order, credentials that yield to resources, call-named types."""
    root = Path(__file__).parent / "golden" / "surface"
    from sdkforge.config import load_config

    api, diagnostics, _ = load_api(root / "spec.yaml", load_config(root / "sdkforge.yaml"))
    accessors = {".".join([*(r.name for r in trail), op.name]) for trail, op in api.all_operations()}
    assert {
        "threads.create_and_run",
        "threads.runs.cancel",
        "beta.responses.create",
        "responses.create",
        "pets.update",
        "pets.replace",
        "admin.users.ban",
        "billing.invoices.pay",
        "widgets.discard",
        "pages.retrieve",
        "beta.assistants.list",
        "images.edit",
        "locale.retrieve",
        "graders.run",
        "files.content",
    } <= accessors
    steps = next(op for _, op in api.all_operations() if op.path.endswith("/steps"))
    assert [p.name for p in steps.parameters[: steps.positional]] == ["thread_id", "run_id"]
    locale = next(s for s in api.security_schemes if s.name == "Locale")
    assert locale.args == ("locale_key",)  # named for its scheme, never hiding client.locale
    assert not any("client.locale" in d.message for d in diagnostics)
    names = {m.name for m in api.models}
    assert {"RecordListResponse", "RecordListResponseDataItem", "RecordUpdateParamsData"} <= names
    assert "AuditEntry" in names and not any(n.startswith("RecordUpdateResponse") for n in names)
    audits = [op.response.type.name for _, op in api.all_operations() if op.path.startswith("/api/v1/records/")]
    assert audits == ["AuditEntry", "AuditEntry"]  # one titled shape, one class, both calls


def test_the_openai_example_config_applies_cleanly_and_the_readme_shows_it() -> None:
    from conftest import ROOT, shared_specs

    from sdkforge.config import load_config

    example = ROOT / "examples" / "openai" / "sdkforge.yaml"
    body = [line for line in example.read_text().splitlines() if line and not line.startswith("#")]
    readme = (ROOT / "README.md").read_text()
    assert all(line in readme for line in body)
    api, _, _ = load_api(shared_specs() / "openai.yaml", load_config(example))
    accessors = {".".join([*(r.name for r in t), op.name]) for t, op in api.all_operations()}
    assert {
        "beta.threads.runs.steps.list",
        "images.edit",
        "fine_tuning.jobs.list_events",
        "responses.input_tokens.count",
        "chat.completions.create",
        "files.retrieve",
    } <= accessors


def test_an_item_path_that_answers_a_list_is_a_list_method() -> None:
    rows = [
        ("get", "/repositories/{username}", "", True),
        ("get", "/repositories/{username}/{slug}", "", False),
    ]
    assert set(_accessors(_endpoints(rows)).values()) == {"repositories.list", "repositories.retrieve"}


def test_client_name_and_env_names_are_checked_where_the_config_says_them() -> None:
    """A client_name that could not be a class, or an env name with quotes, is a config
    error (exit 2, file, line and pointer), not generated code that fails the gate."""
    text = 'client_name: "class"\napi_key_env: "KEY\\"X"\nlog_env: MY_LOG\n'
    raw = {"client_name": "class", "api_key_env": 'KEY"X', "log_env": "MY_LOG"}
    with pytest.raises(SpecError) as exc:
        parse_config(raw, "sdkforge.yaml", text)
    found = [(d.message, d.line, d.pointer) for d in exc.value.diagnostics]
    assert found == [
        ("client_name 'class' is not a usable class name", 1, "/client_name"),
        ("api_key_env 'KEY\"X' is not an environment variable name", 2, "/api_key_env"),
    ]
    for bad in ("APIError", "list", "NotGiven", "2Fast", "Héllo", "None"):
        with pytest.raises(SpecError):
            parse_config({"client_name": bad}, "sdkforge.yaml")
    assert parse_config({"client_name": "Stripe"}, "x").client_name == "Stripe"


@pytest.mark.parametrize("client_name", ["Videos", "AsyncVideos"])
def test_a_resource_never_shadows_the_client_class(client_name: str, tmp_path: Path) -> None:
    """`_client.py` imports the top-level resource classes beside the client's own: a
    resource whose class would take the client's name (or its Async twin's) gives way."""
    seed = Path(__file__).resolve().parents[1] / "spec" / "openapi.yaml"
    api, _, _ = load_api(seed, Config(client_name=client_name))
    names = {r.class_name for r in api.resources} | {"Async" + r.class_name for r in api.resources}
    assert not names & {client_name, "Async" + client_name}
    assert [r.class_name for r in api.resources] == ["VideosResource"]


def _answers(schema: dict[str, object]) -> dict[str, object]:
    return {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}


def test_what_counts_as_a_list_answer_does_not_move_when_a_page_gains_fields() -> None:
    """GitHub 22 -> 23: the budgets page gained three fields, and stargazers answered a union
    of two arrays; both are lists in either version, so their methods stay `list`."""
    from sdkforge.apimodel.responses import response_lists
    from sdkforge.apimodel.schemas import SchemaRegistry

    reg = SchemaRegistry({"openapi": "3.1.0", "paths": {}})
    arr = {"type": "array", "items": {"type": "string"}}
    page = {"budgets": arr, "has_next_page": {"type": "boolean"}}
    bigger = {**page, "user": {"type": "string"}, "total_count": {"type": "integer"}, "x": {"type": "object"}}
    assert response_lists(reg, _answers({"type": "object", "properties": page}), "/o/{org}/budgets")
    assert response_lists(reg, _answers({"type": "object", "properties": bigger}), "/o/{org}/budgets")
    assert response_lists(reg, _answers({"type": "object", "properties": bigger}), "/o/{org}/spend")
    union = {"anyOf": [arr, {"type": "array", "items": {"type": "integer"}}]}
    assert response_lists(reg, _answers(union), "/repos/{o}/{r}/stargazers")
    # A job's status: one array of errors and a count of records processed, not a page.
    status = {
        "job_id": {"type": "integer"},
        "status": {"type": "string"},
        "started_at": {"type": "string"},
        "total_count": {"type": "integer"},
        "errors": arr,
    }
    assert not response_lists(reg, _answers({"type": "object", "properties": status}), "/jobs/{job_id}")
    assert not response_lists(reg, _answers({"anyOf": [arr, {"type": "string"}]}), "/x")


# Issue 23: specs nobody tuned for sdkforge.
ARM = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}/features/serviceMap"
AZURE_LIKE = [
    ("get", f"{ARM}/machines", "Machines_ListByWorkspace", True, "machines.list_by_workspace"),
    ("get", f"{ARM}/machines/{{machineName}}", "Machines_Get", False, "machines.retrieve"),
    ("get", f"{ARM}/machines/{{machineName}}/ports/{{portName}}/acceptingProcesses", "Ports_ListAcceptingProcesses", True, "ports.list_accepting_processes"),
    ("post", f"{ARM}/generateMap", "Maps_Generate", False, "maps.generate"),
    ("get", "/providers/Microsoft.OperationalInsights/operations", "Operations_List", True, "operations.list"),
]
UNTUNED = [
    # Scoping chains are arguments, not resources, with or without Azure operationIds.
    ("get", "/subscriptions/{subscriptionId}/resourceGroups/{rg}/providers/Microsoft.Web/sites", "", True, "sites.list"),
    ("get", "/subscriptions/{subscriptionId}/resourceGroups", "", True, "resource_groups.list"),
    # A verb ending a path is the method: never `list.list`.
    ("get", "/ipfs/pin/list", "", True, "ipfs.pin.list"),
    ("get", "/ipfs/pin/list/{path}", "", False, "ipfs.pin.retrieve"),
    ("post", "/ipfs/pin/add/{path}", "", False, "ipfs.pin.add"),
    ("get", "/profile/recommendation/list", "", True, "profile.recommendation.list"),
    # A query string inside a path key, numbers, hashes and file extensions name nothing.
    ("get", "/fax/history?dateFrom={dateFrom}&dateTo={dateTo}&q={q}", "", True, "fax.history.list"),
    ("post", "/webhooks/notifications/failed/62640817eb594da78c7bee00", "", False, "webhooks.notifications.failed.update"),
    ("post", "/account/1/pushuri", "", False, "account.pushuri"),
    ("get", "/export/assets.json", "", True, "export.assets.list"),
    # No method deeper than five resources, and the cut never puts a part beside its double.
    ("get", "/a/{a}/b/{b}/c/{c}/d/{d}/e/{e}/f/{f}/g", "", True, "a.b.c.d.g.list"),
    ("get", "/t/{t}/u/{u}/sets/{s}/parent/{p}/v/{v}/sets", "", True, "t.u.sets.parent.sets.list"),
    # A method never repeats its resource; ids with extensions are ids; action keys name.
    ("post", "/{siteId}/batch", "", False, "root.batch"),
    ("post", "/{siteId}/search/search", "", False, "search.create"),
    ("get", "/accounts/{Sid}.json", "", False, "accounts.retrieve"),
    ("get", "/rest?method=flickr.favorites.getContext", "", False, "rest.get_context"),
    ("post", "/$/Upgrade", "", False, "root.upgrade"),
]


@pytest.mark.parametrize("rows", [AZURE_LIKE, UNTUNED], ids=["azure", "untuned"])
def test_untuned_specs_get_the_names_a_person_would_choose(rows: list[tuple[str, str, str, bool, str]]) -> None:
    got = _accessors(_endpoints([r[:4] for r in rows]))
    assert got == {(m, p): want for m, p, _, _, want in rows}


@pytest.mark.parametrize("rows", [AZURE_LIKE, UNTUNED], ids=["azure", "untuned"])
def test_adding_an_untuned_operation_never_renames_the_others(rows: list[tuple[str, str, str, bool, str]]) -> None:
    full = _accessors(_endpoints([r[:4] for r in rows]))
    for i in range(len(rows)):
        fewer = _accessors(_endpoints([r[:4] for r in rows[:i] + rows[i + 1 :]]))
        assert all(full[k] == v for k, v in fewer.items()), rows[i]


def test_a_name_taken_twice_falls_back_to_words_never_to_ids() -> None:
    rows = [
        ("get", "/proposals/{gov_action_id}/votes", "", True),
        ("get", "/proposals/{tx_hash}/{cert_index}/votes", "", True),
        ("get", "/zones", "zone-0-get", True),
        ("get", "/zones?page=2", "zone-0-get-2", True),
    ]
    got = _accessors(_endpoints(rows))
    assert got[("get", "/proposals/{tx_hash}/{cert_index}/votes")] == "proposals.votes.list_by_tx_hash_cert_index"
    assert not any(ch.isdigit() for name in got.values() for ch in name), got


def test_credentials_are_named_for_their_schemes_and_yield_to_resources() -> None:
    from sdkforge.apimodel.security import build_security

    doc = {
        "components": {
            "securitySchemes": {
                "api_email": {"type": "apiKey", "in": "header", "name": "X-Auth-Email"},
                "api_key": {"type": "apiKey", "in": "header", "name": "X-Auth-Key"},
                "api_token": {"type": "http", "scheme": "bearer"},
            }
        }
    }
    schemes, _, diags = build_security(doc, "cloudflare", DEFAULTS, "spec.yaml")
    got = {s.name: (s.args, s.envs, s.param_name) for s in schemes}
    assert got == {
        "api_email": (("api_email",), ("CLOUDFLARE_API_EMAIL",), "X-Auth-Email"),
        "api_key": (("api_key",), ("CLOUDFLARE_API_KEY",), "X-Auth-Key"),
        "api_token": (("api_token",), ("CLOUDFLARE_API_TOKEN",), "Authorization"),
    }
    assert not diags
    # One key whose scheme only says it is a key: `api_key`, as OpenAI's SDK has it.
    one = {"components": {"securitySchemes": {"ApiKeyAuth": {"type": "http", "scheme": "bearer"}}}}
    assert build_security(one, "openai", DEFAULTS, "spec.yaml")[0][0].args == ("api_key",)
    # A credential never hides a resource of its name.
    schemes, _, diags = build_security(doc, "cloudflare", DEFAULTS, "spec.yaml", {"api_email"})
    assert schemes[0].args != ("api_email",)
    assert any("client.api_email" in d.message for d in diags)
