"""The measuring rules of bench/names.py and bench/accessors.py, pinned.

Issue 15's numbers are only as good as these rules: the verb+path test must catch the names
a generator makes up from the request line however they are dressed, and let off the names
a spec's own operationId or summary gives; the accessor an OpenAI docs example calls must be
read the same way whatever the snippet does around it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from _namerules import credential_named, fragment, measure_ops, repeats
from _oaiexamples import client_calls, without_beta
from _verbpath import verb_path, words


@pytest.mark.parametrize(
    ("name", "path", "pattern"),
    [
        # the names issue 15 quotes from Jupyter Server's spec (no operationIds)
        ("get_api_contents_path", "/api/contents/{path}", "V"),
        ("post_api_kernels_kernel_id_interrupt", "/api/kernels/{kernel_id}/interrupt", "V"),
        ("patch_api_sessions_session", "/api/sessions/{session}", "V"),
        ("post_sessions_id", "/sessions/{id}", "V"),
        ("delete_pet", "/pets/{petId}", "V"),  # singular of a path word
        ("get_pets_2", "/pets", "V"),  # a de-duplication suffix changes nothing
        # another verb, or none, still spells two path segments
        ("fetch_api_contents", "/api/contents/{path}", "P"),
        ("kernels_interrupt", "/api/kernels/{kernel_id}/interrupt", "P"),
        ("chat_completions", "/chat/completions", "P"),
        # designed names
        ("retrieve", "/files/{file_id}", ""),
        ("interrupt", "/api/kernels/{kernel_id}/interrupt", ""),
        ("list", "/pets", ""),
        ("get", "/pets/{id}", ""),
        ("get_stuff", "/api/get_stuff", ""),  # the verb is the path's own word
    ],
)
def test_verb_path_patterns(name: str, path: str, pattern: str) -> None:
    assert verb_path(name, path, "", "") == pattern


def test_names_from_the_specs_own_text_are_exempt() -> None:
    assert verb_path("get_pets", "/pets", "getPets", "") == ""
    assert verb_path("get_accounts", "/accounts", "", "Get Accounts") == ""
    # the generator dropped the tag word from the operationId: still the author's words
    assert (
        verb_path(
            "get_completion_messages",
            "/chat/completions/{id}/messages",
            "getChatCompletionMessages",
            "",
        )
        == ""
    )


def test_exemption_needs_every_word_in_order() -> None:
    # the verb came from the HTTP method, not from the summary
    assert verb_path("get_pets", "/pets", "", "List pets") == "V"
    # "api" is in neither text
    assert (
        verb_path(
            "get_api_contents_path", "/api/contents/{path}", "getContents", "Get contents of a path"
        )
        == "V"
    )
    # an operationId that says less than the name does not cover it
    assert (
        verb_path(
            "get_v2_language_deletion_id",
            "/v2/language/deletion/{id}",
            "get",
            "Get Deletion Status",
        )
        == "V"
    )


def test_words_split_humps_and_separators() -> None:
    assert words("getAPIKeys") == ["get", "api", "keys"]
    assert words("list-audit_logs v2") == ["list", "audit", "logs", "v2"]


def test_client_calls_in_source_order_without_wrappers() -> None:
    code = (
        "from openai import OpenAI\n"
        "client = OpenAI()\n"
        "completions = client.chat.completions.list()\n"
        "first = client.chat.completions.retrieve(completions.data[0].id)\n"
        "with client.audio.speech.with_streaming_response.create(input='x') as r:\n"
        "    r.stream_to_file('a.mp3')\n"
    )
    assert client_calls(code) == (
        "chat.completions.list",
        "chat.completions.retrieve",
        "audio.speech.create",
    )


def test_module_level_client_and_beta() -> None:
    assert client_calls("import openai\nopenai.audio.speech.create(input='x')\n") == (
        "audio.speech.create",
    )
    assert without_beta("beta.threads.runs.list") == "threads.runs.list"
    assert without_beta("batches.list") == "batches.list"
    assert client_calls("this is not python(") == ()


@pytest.mark.parametrize(
    ("part", "path", "why"),
    [
        ("field_0_get", "/zones", "number"),
        ("v1_0", "/V1.0/things", "number"),
        ("field_62640817eb_594da_78c_7bee_00", "/x/62640817eb594da78c7bee00", "number"),
        ("a62640817eb", "/x", "hash"),
        ("assets_json", "/export/assets.json", "extension"),
        ("date_from_date_from", "/fax?dateFrom={dateFrom}", "query"),
        ("beta", "/responses?beta=true", ""),
        ("v2", "/v2/things", ""),
        ("list_by_workspace", "/machines", ""),
        ("field", "/rest/api/3/field", ""),
        ("field", "/$/Upgrade", "number"),
        ("open_office_xml", "/Charts/OpenOfficeXml/{id}", ""),
    ],
)
def test_fragment_names(part: str, path: str, why: str) -> None:
    assert fragment(part, path) == why


def test_repeats_and_collection_gets() -> None:
    assert repeats(["ipfs", "pin", "list", "list"]) and repeats(["date_from_date_from", "list"])
    assert not repeats(["threads", "runs", "list"])
    ops = [
        {"method": "GET", "path": "/a", "resources": ["a"], "name": "list", "paging": "page"},
        {"method": "GET", "path": "/b", "resources": ["b"], "name": "retrieve", "returns_list": True},
        {"method": "GET", "path": "/c", "resources": ["c"], "name": "retrieve", "paging": ""},
    ]
    m = measure_ops(ops)
    assert (m["collection_gets"], m["named_list"], m["paged"]) == (2, 1, 1)


def test_credentials_named_by_their_scheme() -> None:
    assert credential_named("api_email", "api_email", False)
    assert credential_named("AdminApiKeyAuth", "admin_api_key", False)
    assert credential_named("bearerAuth", "api_key", False)
    assert credential_named("project_id", "api_key", True)  # one credential: a usual name
    assert not credential_named("api_email", "api_key", False)
    assert not credential_named("api_key", "api_key_key", False)
