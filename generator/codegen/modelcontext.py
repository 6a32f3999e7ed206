"""The context models of a generation job, cut down to what the kept modules depend on.

A job (`modelgen._job`) gives datamodel-code-generator the groups it must write plus, as
context, the models they refer to; the context's own output is dropped. A lone context
model that does not refer to itself only has to be a class of that name for the
references to it to be written as they are, so it goes without its fields, and the models
those fields refer to need no stubs: 29% less generator CPU on GitHub's spec (13 jobs run
inline, 15.4 -> 10.9 s). Two things do reach the kept modules and are kept: recursion (a
recursive model decides the `model_rebuild()` of the models using it, so it stays whole)
and field names that could be those of an imported type, since datamodel-code-generator
aliases an import module-wide (`from datetime import date as date_aliased`) when any
field of the call has its name. A test generates every group alone with whole and with
cut-down context and compares.
"""

from __future__ import annotations

import functools

from sdkforge.apimodel.ir import Model
from sdkforge.codegen.modelsplit import model_refs


def as_context(model: Model) -> Model:
    """`model` as context: without the fields whose names no import can have, when it is
    an object model that does not refer to itself; else unchanged."""
    if model.kind != "object" or model.name in model_refs(model):
        return model
    importable = _importable()
    fields = tuple(
        f for f in model.fields if not f.wire_name.isascii() or _plain(f.wire_name) in importable
    )
    return Model(name=model.name, pointer="", kind="object", fields=fields)


@functools.cache
def _importable() -> frozenset[str]:
    """Lower-cased names a generated module can import or use unqualified (builtins and
    the modules datamodel-code-generator imports types from): a superset, to be safe."""
    import builtins
    import datetime
    import decimal
    import enum
    import typing
    import uuid

    import pydantic
    import typing_extensions

    modules = (builtins, datetime, decimal, enum, typing, typing_extensions, uuid, pydantic)
    return frozenset(n.lower() for module in modules for n in dir(module))


def _plain(name: str) -> str:
    """`Date-Time` → `datetime`: an ASCII wire name as any identifier spelling of it would
    be, lower-cased (snake_case_field and identifier cleaning only add or drop `_`)."""
    return "".join(c for c in name.lower() if c.isalnum())
