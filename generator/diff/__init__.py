"""Compare two generated API surfaces: what changed for the people who use the client.

It runs on the IR, not the spec text, because users never see the spec: they call
`client.videos.edit(prompt=...)` and read `models.Video.status`. Reformatting a spec must
not show up here; a new operationId that silently renames a method must. Types are
compared as the Python annotations users see (`types.seen`): `int<int64>` is `int`.

One principle decides severity, the variance of inputs and outputs: what users send
(arguments, models they build) may only accept *more*, what they read (return types,
models they get back) may only promise *more*, and a model on both sides (or on neither,
like a webhook payload) may do neither:

* removing anything (method, argument, model, field, enum value users send) is breaking,
  and so is renaming or moving it (`method-renamed`, `resource-renamed`,
  `parameter-renamed`, `field-renamed`: the same operation, parameter or JSON key under a
  new Python name), and so is a positional argument moving or becoming keyword-only;
* a new required argument or request field, or one becoming required, is breaking; a
  field readers get becoming optional or nullable (so it may be None) is breaking;
* a type users send may widen (the new type accepts every old value: `Any`, a union
  containing the old type, more enum values, `int` → `float`); a type users read may
  narrow (`X | None` → `X`, `str` → an enum, fewer enum values); anything else breaks;
* new enum values are non-breaking, with a note where users read them (an exhaustive
  `match` may need a branch); a method that returned None may start returning data;
* a spec change the Python type does not show (`int` → `int<int64>`, a format on a
  method's `str`), a method that keeps its name but calls another HTTP method or path,
  and a new base URL are reported but change no call: a patch.

`surface` compares the client and its methods, `models` the models, `types` decides
what a type change means; `render` prints the result. Everything is a pure function of
two `Api`s built with the same config; the CLI does the printing.
"""

from __future__ import annotations

from sdkforge.apimodel.ir import Api
from sdkforge.diff.changes import ApiDiff, Change, N
from sdkforge.diff.models import compare_models
from sdkforge.diff.render import as_json, as_markdown, as_text
from sdkforge.diff.surface import compare_client, compare_methods
from sdkforge.diff.types import accepts, narrows, same, show

__all__ = [
    "ApiDiff",
    "Change",
    "accepts",
    "as_json",
    "as_markdown",
    "as_text",
    "diff_apis",
    "narrows",
    "same",
    "show",
]


def diff_apis(old: Api, new: Api) -> ApiDiff:
    """Compare the client surfaces of two IRs built with the same config."""
    found = {*compare_client(old, new), *compare_methods(old, new), *compare_models(old, new)}
    order = sorted(found, key=lambda c: (c.severity == N, c.location, c.kind, c.message))
    return ApiDiff(old.version, new.version, tuple(order))
