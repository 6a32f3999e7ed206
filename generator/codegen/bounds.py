"""How much of the schema graph one example or one doc tree may show.

A schema graph is small, but its expansion is not: every Microsoft Graph entity links to a
hundred others, so an example response eight models deep would hold 23 million values (and
api.md 11,422 of them). Everything that walks the graph for the docs is bounded here, so
what sdkforge holds grows with the spec, not with its expansion:

- a shared budget: each operation may show `per_operation(api)` values (example JSON,
  example arguments) and as many doc items (fields listed under a method); it is
  `TOTAL // operations`, kept between `LOW` and `HIGH`, so api.md stays near `TOTAL` per
  kind however many operations there are, and small specs keep every detail;
- `Sizes`: an upper bound on an example's size at each depth, memoized per (model, depth),
  so the depth chosen (the deepest whose bound fits) costs one pass over the spec's models,
  never a trial expansion;
- a doc tree (the fields listed under a parameter or a return value, two levels deep)
  lists at most `DOC_ITEMS` items: one level when two would list more;
- what still does not fit at the shallowest depth (a model wider than the budget) is cut,
  and the cut is marked (`ELLIPSIS`), in the same place on every run.
"""

from __future__ import annotations

from sdkforge.apimodel.ir import Api, Field, Model, TypeRef

MAX_DEPTH = 8
"""Models deep an example goes; deeper (or recursive) references become empty values."""
TOTAL = 2_000_000
"""Values (or doc items) all operations' docs may show together, before `LOW` applies."""
LOW = 100
"""Every operation may show this many, however many operations share `TOTAL`."""
HIGH = 5_000
"""No operation shows more than this many, however few operations there are."""
DOC_ITEMS = 5_000
"""Items (fields, members) one method's parameter or return tree lists in api.md: the tree
is shown one level shallower when it would list more, and cut when even that would."""
ELLIPSIS = "..."
"""Marks where an example or a field list was cut: the key and value of the last entry."""


def per_operation(api: Api) -> int:
    """Values (and doc items) one operation's docs may show: `TOTAL` shared, within bounds."""
    ops = max(1, sum(1 for _ in api.all_operations()))
    return max(LOW, min(HIGH, TOTAL // ops))


class Sizes:
    """Upper bounds on the number of values an example of a type holds, per depth.

    `depth` counts the models that may still be expanded (a model at depth 0 is an empty
    value). The bound follows the example makers' rules without their trail: recursion and
    union choices only ever make a real example smaller, never larger, so an example whose
    bound fits the budget fits it. Responses count every readable field, requests the
    required writable ones; a field with its own example or default is one value.
    """

    def __init__(self, models: dict[str, Model]) -> None:
        self.models = models
        self._memo: dict[tuple[str, int, bool], int] = {}

    def depth(self, t: TypeRef, budget: int, *, request: bool) -> int:
        """The deepest depth (at most `MAX_DEPTH`, at least 1) whose bound fits `budget`."""
        for depth in range(MAX_DEPTH, 0, -1):
            if self.size(t, depth, request) <= budget:
                return depth
        return 1

    def size(self, t: TypeRef, depth: int, request: bool) -> int:
        if t.kind in ("model", "alias"):
            return self._model(t.name, depth, request)
        if t.kind in ("list", "map"):
            return 1 + self.size(t.items[0], depth, request)
        if t.kind == "union":
            members = [m for m in t.items if m.kind != "none"]
            return max((self.size(m, depth, request) for m in members), default=1)
        return 1

    def _model(self, name: str, depth: int, request: bool) -> int:
        model = self.models.get(name)
        if model is None or depth <= 0:
            return 1
        key = (name, depth, request)
        done = self._memo.get(key)
        if done is None:
            if model.kind == "alias":
                done = 1 if model.example is not None and not request else 0
                if not done:
                    done = self.size(model.alias_of or TypeRef("any"), depth - 1, request)
            else:
                done = 1 + sum(self._field(f, depth - 1, request) for f in model.fields)
            self._memo[key] = done
        return done

    def _field(self, f: Field, depth: int, request: bool) -> int:
        if request:
            return self.size(f.type, depth, True) if f.required and not f.read_only else 0
        if f.write_only:
            return 0
        if f.example is not None or (f.has_default and f.default is not None):
            return 1
        return self.size(f.type, depth, False)
