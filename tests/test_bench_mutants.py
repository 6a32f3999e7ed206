"""The seeded mistakes of bench/typecheck.py, pinned: each kind edits one token where the
snippet talks to the client, and the same snippets always give the same mutants."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from _mutants import KINDS, misspell, mutants
from _oaiexamples import Snippet

CODE = """\
from openai import OpenAI

client = OpenAI()
completion = client.chat.completions.create(
    model="gpt-5",
    messages=[{"role": "user", "content": "Hello"}],
)
print(completion.choices[0].message)
other = {"role": "user"}
"""


def _snippet(number: int) -> Snippet:
    return Snippet(number, "POST", "/chat/completions", "createChatCompletion", "t", CODE)


def test_every_kind_edits_one_token_of_a_client_call() -> None:
    found = mutants([_snippet(1)], {"user"}, per_kind=40)
    assert {m.kind for m in found} == set(KINDS)
    by_kind = {k: sorted((m.before, m.after) for m in found if m.kind == k) for k in KINDS}
    assert ("model", "modle") in by_kind["keyword"]
    assert by_kind["literal"] == [("'user'", '"usre"')]  # the dict outside the call is left
    assert ("'role'", '"roel"') in by_kind["nested_key"]
    assert ("choices", "choicse") in by_kind["attribute"]
    assert ("'gpt-5'", "123") in by_kind["int_for_str"]
    for m in found:
        changed = [
            (a, b) for a, b in zip(CODE.splitlines(), m.code.splitlines(), strict=True) if a != b
        ]
        assert (
            len(changed) == 1 and changed[0][0].replace(m.before.strip("'"), "", 1) != changed[0][0]
        )


def test_mutants_are_deterministic_and_spread_over_snippets() -> None:
    snippets = [_snippet(n) for n in range(1, 6)]
    first = mutants(snippets, {"user"}, per_kind=3)
    assert first == mutants(list(reversed(snippets)), {"user"}, per_kind=3)
    for kind in KINDS:
        numbers = [m.snippet.number for m in first if m.kind == kind]
        assert len(numbers) == 3 and len(set(numbers)) == 3


def test_misspelling_never_gives_the_word_back() -> None:
    for word in ("model", "aa", "x", "input_text"):
        assert misspell(word) != word
