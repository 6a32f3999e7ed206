"""IR models → pydantic model source, through datamodel-code-generator's library API.

We hand datamodel-code-generator a JSON Schema in which every type already has its final
name (`$defs/<Name>`), so the classes it writes carry our names and nothing needs guessing
afterwards. It contributes what it is good at: pydantic v2 class bodies, aliases for
field names that are not identifiers, forward references and ordering. Its templates are
overridden from `templates/datamodel/` where its output does not fit the SDK.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sdkforge.apimodel.ir import Field, Model, TypeRef

_FORMATS_KEPT = {"date-time", "date", "uuid", "binary", "int64", "int32", "float", "double"}
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)
# Control characters, everything `str.splitlines` breaks at besides `\n` (NEL, U+2028 ...:
# tools that re-indent docstrings split there), and lone surrogates (a JSON spec may
# spell one, `"\ud800"`; no file can hold it in UTF-8).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Spec text with line endings normalised and control/line-separator characters (and
    lone surrogates) shown as spaces."""
    return _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def doc_text(text: str) -> str:
    """`clean_text` without trailing spaces on its lines: in a docstring black would strip
    them, and text already as black leaves it is formatted faster."""
    if text.isprintable():  # one line, nothing to clean (most descriptions): fast path
        return text.rstrip(" ")
    return _TRAILING.sub("", clean_text(text))


def safe_doc(text: str) -> str:
    """Text that cannot end or corrupt the docstring it is placed in.

    Backslashes are doubled (so they read as written), runs of quotes and a quote at the
    very end are escaped so nothing can close the docstring, and control and Unicode
    line-separator characters are removed.
    """
    text = clean_text(text).replace("\\", "\\\\")
    text = re.sub(r'"{2,}', lambda m: '\\"' * len(m.group()), text)
    if text.endswith('"'):
        body = text[:-1]
        if (len(body) - len(body.rstrip("\\"))) % 2 == 0:
            text = body + '\\"'
    return text


def type_schema(t: TypeRef) -> dict[str, Any]:
    """The JSON Schema that datamodel-code-generator turns back into exactly `t`."""
    if t.kind in ("model", "alias"):
        return {"$ref": f"#/components/schemas/{t.name}"}
    if t.kind == "list":
        return {"type": "array", "items": type_schema(t.items[0])}
    if t.kind == "map":
        return {"type": "object", "additionalProperties": type_schema(t.items[0])}
    if t.kind == "union":
        return {"anyOf": [type_schema(m) for m in t.items]}
    if t.kind == "literal":
        return {"enum": list(t.values)}
    if t.kind == "none":
        return {"type": "null"}
    if t.kind == "file":
        return {"type": "string", "format": "binary"}
    if t.kind == "any":
        return {}
    schema: dict[str, Any] = {
        "type": {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}[t.kind]
    }
    if t.fmt in _FORMATS_KEPT and t.kind == "str":
        schema["format"] = t.fmt
    return schema


def _field_schema(f: Field) -> dict[str, Any]:
    # datamodel-code-generator escapes docstrings itself: pass clean, unescaped text.
    # A field that can only be null: `{"type": "null"}` would become
    # `Annotated[None, Field(None)] = None`, a default given twice, which pydantic 2.0
    # refuses at import; the one-value enum gives `x: None = None`.
    schema = {"enum": [None]} if f.type.kind == "none" else type_schema(f.type)
    if f.description:
        desc = doc_text(f.description)
        schema = (
            {**schema, "description": desc}
            if "$ref" not in schema
            else {"allOf": [schema], "description": desc}
        )
    return schema


def json_schema(models: Iterable[Model]) -> dict[str, Any]:
    """An OpenAPI document whose component schemas are the models, by final name.

    OpenAPI rather than plain JSON Schema input, because a JSON Schema root would itself
    become a (spurious) `Model` class.
    """
    defs: dict[str, Any] = {}
    for m in models:
        if m.kind == "object":
            fields = [f for f in m.fields if not f.write_only]
            schema: dict[str, Any] = {
                "type": "object",
                "properties": {f.wire_name: _field_schema(f) for f in fields},
            }
            required = [f.wire_name for f in fields if f.required]
            if required:
                schema["required"] = required
        else:
            # A stub (no target) stands for a model generated elsewhere: any type will do.
            schema = type_schema(m.alias_of) if m.alias_of is not None else {}
        if m.description:
            schema["description"] = doc_text(m.description)
        defs[m.name] = schema
    return {
        "openapi": "3.1.0",
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": defs},
    }


def render_models(models: Iterable[Model], template_dir: Path | None) -> str:
    """Source of the `models` module for `models` (may be empty)."""
    from datamodel_code_generator import InputFileType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType

    schema = json_schema(models)
    if not schema["components"]["schemas"]:
        return ""
    options: dict[str, Any] = {
        "input_file_type": InputFileType.OpenAPI,
        "output_model_type": DataModelType.PydanticV2BaseModel,
        "target_python_version": PythonVersion.PY_310,
        "base_class": "PACKAGE._models.BaseModel",
        "use_type_alias": True,
        "enum_field_as_literal": "all",
        "use_schema_description": True,
        "use_field_description": True,
        "use_union_operator": False,
        "use_standard_collections": True,
        "use_annotated": True,
        "snake_case_field": True,
        "disable_timestamp": True,
        "field_constraints": False,
        "strict_nullable": True,
        "collapse_root_models": False,
        "capitalise_enum_members": False,
        "formatters": [],
        "use_title_as_name": False,
    }
    if template_dir is not None and template_dir.is_dir():
        options["custom_template_dir"] = template_dir
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = generate(schema, **options)
    assert isinstance(result, str)
    return _plain_aliases(_relative_imports(result))


def _plain_aliases(source: str) -> str:
    """`X = TypeAliasType("X", Y)` → `X: TypeAlias = Y` when Y is a bare name.

    pydantic before 2.10 builds a `TypeAliasType` by taking its value's core schema and
    overwriting that schema's `ref` with the alias's own: when the value is a model (or
    another `TypeAliasType`), whose schema carries a ref of its own, every other use of
    that model then points at a definition that is never filled (`SchemaError: ...
    was never filled` at import). A plain alias is the same object as its target (a
    model, another alias, `str`, `Any`), so pydantic never sees a second name; it is also
    what OpenAI's own SDK writes. Aliases of anything else (unions, literals, lists,
    recursive types) stay `TypeAliasType`. A bare name is evaluated at once either way,
    so datamodel-code-generator already writes the target first.
    """
    if "TypeAliasType(" not in source:
        return source
    lines = source.splitlines(keepends=True)
    changed = False
    for stmt in ast.parse(source).body:
        target = _bare_alias_target(stmt)
        if target is None or stmt.lineno != stmt.end_lineno:
            continue
        assert isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)
        line = lines[stmt.lineno - 1].encode()  # ast offsets count UTF-8 bytes
        name = line[: stmt.targets[0].end_col_offset].decode()
        rest = line[stmt.value.end_col_offset or 0 :].decode()
        lines[stmt.lineno - 1] = f"{name}: TypeAlias = {target}{rest}"
        changed = True
    if not changed:
        return source
    text = "".join(lines)
    head, future, body = text.partition("from __future__ import annotations\n")
    if not future:
        return "from typing import TypeAlias\n" + text
    return head + future + "from typing import TypeAlias\n" + body


def _bare_alias_target(stmt: ast.stmt) -> str | None:
    """Y in `X = TypeAliasType("X", Y)` when Y is a plain name, else None."""
    if not (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Name)
        and stmt.value.func.id == "TypeAliasType"
        and len(stmt.value.args) == 2
        and not stmt.value.keywords
    ):
        return None
    value = stmt.value.args[1]
    return value.id if isinstance(value, ast.Name) else None


def _relative_imports(source: str) -> str:
    """Point the base-class import at the package runtime and drop the codegen banner."""
    lines = [line for line in source.splitlines() if not line.startswith("#   filename:")]
    text = "\n".join(lines) + "\n"
    return text.replace("from PACKAGE._models import", "from .._models import").replace(
        "# generated by datamodel-codegen:\n", ""
    )
