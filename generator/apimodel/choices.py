"""Which form of a union response comes back, when a request argument says so.

OpenAI's `audio.transcriptions.create` answers one of `CreateTranscriptionResponseJson`,
`...VerboseJson` and `...DiarizedJson`, and the request's `response_format` (`json`,
`verbose_json`, `diarized_json`, ...) decides which. The data alone cannot tell: a sparse
verbose answer looks like the plain one, and parsed as the plain form it loses `words` and
`segments`. An enum argument whose values spell the arms' names past their shared prefix
(`verbose_json` → `VerboseJson`) is read as that choice; at least two values must name
arms, so a lone coincidence does not count. The runtime then parses the answer as the
arm the call asked for (the official SDK does the same from its hand-written overloads).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from sdkforge.apimodel.ir import Model, Parameter, ResponseChoice, TypeRef
from sdkforge.apimodel.naming import pascal

_WORDS = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")
"""The words of a class name (`CreateTranscriptionResponseVerboseJson` → ... `Verbose`, `Json`)."""


def response_choice(
    response: TypeRef, params: Sequence[Parameter], models: Mapping[str, Model]
) -> ResponseChoice | None:
    """The argument of `params` whose values name the arms of `response`, if one does."""
    if response.kind != "union" or any(t.kind != "model" for t in response.items):
        return None
    arms = list(response.items)
    if len(arms) < 2:
        return None
    words = [_WORDS.findall(a.name) for a in arms]
    shared = 0
    while all(len(w) > shared for w in words) and len({w[shared] for w in words}) == 1:
        shared += 1
    by_rest = {"".join(w[shared:]): a for w, a in zip(words, arms, strict=True)}
    if "" in by_rest or len(by_rest) != len(arms):
        return None
    for param in params:
        if param.location == "path":
            continue
        values = _string_values(param.type, models)
        pairs = tuple((v, by_rest[pascal(v)]) for v in values if pascal(v) in by_rest)
        if len(pairs) >= 2:
            return ResponseChoice(param.name, pairs)
    return None


def _string_values(t: TypeRef, models: Mapping[str, Model], depth: int = 0) -> list[str]:
    """The string values an argument of type `t` may take (through aliases and unions)."""
    if depth > 8:
        return []
    if t.kind == "literal":
        return [v for v in t.values if isinstance(v, str)]
    if t.kind == "union":
        return [v for item in t.items for v in _string_values(item, models, depth + 1)]
    if t.kind == "alias":
        model = models.get(t.name)
        if model is not None and model.alias_of is not None:
            return _string_values(model.alias_of, models, depth + 1)
    return []
