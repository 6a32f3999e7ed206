"""Request types: a TypedDict for every object a request sends, kept apart from the models.

A request argument typed as the response model plus `Mapping[str, object]` accepts any
dict, so a misspelled key or an invalid enum value in `tools=[{...}]` goes unnoticed by
a type checker, and a dict literal that is right is still an error where only the model
is accepted. Here every object schema a request reaches (through its fields, arrays,
maps, unions and aliases) becomes `params.<Name>Param`, a `TypedDict` keyed by wire names
(`Required[...]` for required keys, the rest optional), and every alias that reaches an
object becomes a params alias spelled with them. A dict literal is then checked key by
key. Methods accept the TypedDict and, at their top level, the model as before, so no
existing call breaks. Free-form objects (no properties) stay `Mapping[str, object]`.

At run time a TypedDict is a plain dict and the body encoder treats it as one; resource
modules import `params` only under `TYPE_CHECKING`, so the client never loads it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sdkforge.apimodel import naming
from sdkforge.apimodel.frozen import KEYWORDS
from sdkforge.apimodel.ir import Api, Field, Model, TypeRef
from sdkforge.codegen.layout import fits, statement
from sdkforge.codegen.modelsplit import HEADER
from sdkforge.codegen.pyexpr import SCALAR_ANNOTATIONS, py_doc, py_str, py_value, split_union

_CLASS_KEY_BLOCKLIST = frozenset(
    {"str", "int", "float", "bool", "object", "bytes", "models", "params", "Required", "Literal"}
    | {"Union", "Optional", "Sequence", "Mapping", "FileTypes", "TypedDict", "TYPE_CHECKING"}
)
"""Keys a class body would shadow an annotation name with: written in the functional form."""


@dataclass(frozen=True)
class RequestTypes:
    """Which models requests reach and the name of each one's request type.

    `names` maps a model (object or alias) to its params name; an object model without
    writable fields (free-form) maps to "" and is written `Mapping[str, object]`.
    """

    models: Mapping[str, Model]
    names: Mapping[str, str]

    def annotation(self, t: TypeRef, method: bool = False, expand: bool = True) -> str:
        """The request-side annotation of `t`. `method`: a method's own argument, which
        also accepts the model instance (`Union[params.XParam, models.X]`).

        A method's alias of an array (`ToolsArray`, or `str | list[Item]`) is spelled out
        once instead (`Sequence[Union[params.ToolParam, models.Tool]]`): a dict literal
        inside a union of two sequence types is not checked against either by mypy."""
        if method and t.kind == "alias" and self.names.get(t.name) and _arrays(self.models, t):
            alias_of = self.models[t.name].alias_of
            if expand and alias_of is not None:
                return self.annotation(alias_of, method, expand=False)
            return f"params.{self.names[t.name]}"
        if t.kind in SCALAR_ANNOTATIONS:
            return SCALAR_ANNOTATIONS[t.kind]
        if t.kind == "file":
            return "FileTypes"
        if t.kind in ("model", "alias"):
            name = self.names.get(t.name)
            if name is None:
                return f"models.{t.name}"
            own = f"params.{name}" if name else "Mapping[str, object]"
            return f"Union[{own}, models.{t.name}]" if method else own
        if t.kind == "literal":
            return "Literal[" + ", ".join(py_value(v) for v in t.values) + "]"
        if t.kind == "list":
            return f"Sequence[{self.annotation(t.items[0], method, expand)}]"
        if t.kind == "map":
            return f"Mapping[str, {self.annotation(t.items[0], method, expand)}]"
        members = [m for m in t.items if m.kind != "none"]
        flat: list[str] = []
        for m in members:
            text = self.annotation(m, method, expand)
            for part in split_union(text) if text.startswith("Union[") else [text]:
                if part not in flat:
                    flat.append(part)
        flat.sort(key=lambda part: (part.startswith("models."), part == "Mapping[str, object]"))
        text = flat[0] if len(flat) == 1 else "Union[" + ", ".join(flat) + "]"
        return f"Optional[{text}]" if len(members) < len(t.items) else text


def request_types(api: Api) -> RequestTypes:
    """The request types of `api`: every model reachable from an operation's arguments."""
    models = {m.name: m for m in api.models}
    reached: list[str] = []
    seen: set[str] = set()
    stack = [p.type for _, op in api.all_operations() for p in op.parameters]
    while stack:
        t = stack.pop()
        if t.kind in ("model", "alias"):
            model = models.get(t.name)
            if model is None or t.name in seen:
                continue
            seen.add(t.name)
            reached.append(t.name)
            if model.alias_of is not None:
                stack.append(model.alias_of)
            stack.extend(f.type for f in _sent(model))
        else:
            stack.extend(t.items)
    objects = {n for n in reached if models[n].kind == "object"}
    aliases = {n for n in reached if models[n].kind == "alias" and _reaches(n, objects, models)}
    taken = naming.Namespace({"models", "params"})
    names: dict[str, str] = {}
    for name in sorted(objects | aliases):
        if name in objects and not _sent(models[name]):
            names[name] = ""
            continue
        base = name if "Param" in name else name + "Param"  # `AccountUpdateParamsData`
        names[name] = taken.claim(base, base + "_")
    return RequestTypes(models, names)


def _arrays(models: Mapping[str, Model], t: TypeRef) -> bool:
    """Whether the alias `t` is an array or a map, or a union with one (through aliases)."""
    seen: set[str] = set()
    while t.kind == "alias" and t.name in models and t.name not in seen:
        seen.add(t.name)
        target = models[t.name].alias_of
        if target is None:
            return False
        t = target
    members = t.items if t.kind == "union" else (t,)
    return any(m.kind in ("list", "map") for m in members)


def _sent(model: Model) -> tuple[Field, ...]:
    """The fields a request carries: all but the read-only ones."""
    return tuple(f for f in model.fields if not f.read_only)


def _reaches(name: str, objects: set[str], models: Mapping[str, Model]) -> bool:
    """Whether the alias `name` holds an object model somewhere (through other aliases)."""
    seen: set[str] = set()
    stack = [models[name].alias_of] if models[name].alias_of is not None else []
    while stack:
        t = stack.pop()
        if t is None:
            continue
        if t.kind == "model" and t.name in objects:
            return True
        if t.kind == "alias" and t.name not in seen and t.name in models:
            seen.add(t.name)
            stack.append(models[t.name].alias_of)
        stack.extend(t.items)
    return False


def param_modules(types: RequestTypes) -> tuple[dict[str, str], dict[str, str]]:
    """`(module stem → source, params name → module stem)` of the `params` package."""
    taken = naming.Namespace({"__init__", "models", "params", "typing", *naming.DEVICE_NAMES})
    sources: dict[str, str] = {}
    locations: dict[str, str] = {}
    for model_name, name in sorted(types.names.items(), key=lambda kv: kv[1]):
        if not name:
            continue
        stem = taken.claim(naming.field_name(name), naming.field_name(name) + "_param")
        locations[name] = stem
        sources[stem] = _module(types, types.models[model_name], name)
    return sources, locations


def _module(types: RequestTypes, model: Model, name: str) -> str:
    """One params module: a TypedDict (class or functional form) or a params alias."""
    if model.alias_of is not None:
        body = _alias(types, model, name)
    else:
        body = _typed_dict(types, model, name)
    text = "\n".join(body)
    return "".join(_imports(text)) + f'\n__all__ = ["{name}"]\n\n\n' + text + "\n"


def _alias(types: RequestTypes, model: Model, name: str) -> list[str]:
    assert model.alias_of is not None
    target = types.annotation(model.alias_of)
    return _laid_out(f"{name}: TypeAlias = {py_str(target)}", "") + _doc(model.description, "")


def _typed_dict(types: RequestTypes, model: Model, name: str) -> list[str]:
    fields = _sent(model)
    entries = []
    for f in fields:
        ann = types.annotation(f.type)
        entries.append((f, f"Required[{ann}]" if f.required else ann))
    functional = any(
        not f.wire_name.isidentifier()
        or f.wire_name in KEYWORDS
        or f.wire_name in _CLASS_KEY_BLOCKLIST
        or f.wire_name.startswith("_")  # `__init__`, a private name: mangled or special
        or not f.wire_name.isascii()
        for f in fields
    )
    if functional:
        lines = [f"{name} = TypedDict(", f"    {py_str(name)},", "    {"]
        lines += [f"        {py_str(f.wire_name)}: {py_str(ann)}," for f, ann in entries]
        lines += ["    },", "    total=False,", ")"]
        return lines + _doc(model.description, "")
    lines = [f"class {name}(TypedDict, total=False):"]
    doc = _doc(model.description, "    ")
    lines += doc
    for f, ann in entries:
        if len(lines) > 1:
            lines.append("")
        lines += _laid_out(f"{f.wire_name}: {ann}", "    ")
        lines += _doc(f.description, "    ")
    if len(lines) == 1:
        lines.append("    pass")
    return lines


def _laid_out(line: str, indent: str) -> list[str]:
    """A field or alias line split as black splits it when it is too long (a long `Literal`
    or union), so the module passes the layout check instead of going through black
    (OpenAI's spec has about a hundred such modules); as written when `layout` does not
    know the statement, for black to split."""
    if fits(indent, line):
        return [indent + line]
    return statement(ast.parse(line).body[0], indent) or [indent + line]


def _doc(text: str, indent: str) -> list[str]:
    body = py_doc(text, indent) if text.strip() else ""
    return [f'{indent}"""', f"{indent}{body}", f'{indent}"""'] if body else []


def _imports(text: str) -> Iterator[str]:
    """The header and imports a params module's text uses (pyright strict: no unused)."""
    yield HEADER + "\nfrom __future__ import annotations\n\n"
    abc = [n for n in ("Mapping", "Sequence") if n + "[" in text]
    if abc:
        yield f"from collections.abc import {', '.join(abc)}\n"
    typing = [n for n in ("Literal", "Optional", "Union") if n + "[" in text]
    needs_models, needs_params = "models." in text, "params." in text
    checking = needs_models or needs_params or "FileTypes" in text
    typing += ["TYPE_CHECKING"] * checking
    if typing:
        yield f"from typing import {', '.join(sorted(typing))}\n"
    extensions = ["TypeAlias"] if ": TypeAlias = " in text else ["TypedDict"]
    extensions += ["Required"] * ("Required[" in text)
    yield (
        "\n" * bool(abc or typing)
        + f"from typing_extensions import {', '.join(sorted(extensions))}\n"
    )
    if checking:
        yield "\nif TYPE_CHECKING:\n"
        packages = [n for n, used in (("models", needs_models), ("params", needs_params)) if used]
        if packages:
            yield f"    from .. import {', '.join(packages)}\n"
        if "FileTypes" in text:
            yield "    from .._types import FileTypes\n"
