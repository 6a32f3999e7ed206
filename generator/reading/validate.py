"""Structural checks on a loaded document: every problem at once, each located and hinted.

Why not a JSON-Schema validator against the official OpenAPI schemas: their errors point at
schema internals ("is not valid under any of the given schemas") rather than saying what to
fix, and they stop at the first `oneOf` branch. The checks here are the ones later stages
rely on (versions, info, paths, operations, parameters, `$ref`s, schema keywords), expressed
as small tables, with a hint for each. Odd but usable things are warnings, not errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sdkforge.diagnostics import Diagnostic, Severity, Trail, join_pointer, spell
from sdkforge.reading.lenient import DATA_KEYS as _DATA_KEYS
from sdkforge.reading.lenient import NAME_MAPS as _NAME_MAPS
from sdkforge.reading.load import LoadedDocument, SourceMap
from sdkforge.reading.resolve import get_pointer, is_missing
from sdkforge.reading.validate_schemas import check_schemas
from sdkforge.reading.yaml12 import kind_name

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE_RE = re.compile(r"\{([^{}/]+)\}")
_STATUS_RE = re.compile(r"(default|[1-5](?:[0-9]{2}|XX))\Z")
_NUMBER = (int, float)
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": _NUMBER,
    "list": (list,),
    "object": (dict,),
}
#: Expected JSON types of common fields, per kind of object.
_FIELDS: dict[str, dict[str, str]] = {
    "info": {"title": "string", "version": "string", "description": "string"},
    "operation": {
        "operationId": "string", "summary": "string", "description": "string",
        "tags": "list", "deprecated": "boolean", "parameters": "list", "responses": "object",
    },
    "parameter": {"description": "string", "required": "boolean", "deprecated": "boolean"},
    "response": {"description": "string", "content": "object", "headers": "object"},
    "schema": {
        "description": "string", "format": "string", "title": "string", "pattern": "string",
        "nullable": "boolean", "readOnly": "boolean", "writeOnly": "boolean",
        "deprecated": "boolean", "uniqueItems": "boolean", "enum": "list", "required": "list",
        "properties": "object", "minimum": "number", "maximum": "number",
        "multipleOf": "number", "minLength": "integer", "maxLength": "integer",
        "minItems": "integer", "maxItems": "integer", "allOf": "list", "anyOf": "list",
        "oneOf": "list",
    },
}  # fmt: skip
_PARAM_IN = {
    "3": ("query", "header", "path", "cookie"),
    "2": ("query", "header", "path", "formData", "body"),
}
_SHAPE_HINTS = {
    "object": "write a mapping (key: value lines, or {...})",
    "list": "write a list ('- item' lines, or [...])",
}


def _is(value: object, want: str) -> bool:
    """`value` is of JSON type `want` (a bool is no number here)."""
    return isinstance(value, _TYPES[want]) and not (
        want in ("integer", "number") and isinstance(value, bool)
    )


@dataclass
class _Checker:
    data: dict[str, Any]
    source_map: SourceMap
    file: str
    major: str = "3"  # "2" for Swagger 2.0
    minor: str = "0"
    found: list[Diagnostic] = field(default_factory=list)

    def report(self, severity: Severity, pointer: str, message: str, hint: str = "") -> None:
        line, col = self.source_map.locate(pointer)
        self.found.append(Diagnostic(severity, message, self.file, line, col, pointer or "/", hint))

    def error(self, pointer: str, message: str, hint: str = "") -> None:
        self.report(Severity.ERROR, pointer, message, hint)

    def warn(self, pointer: str, message: str, hint: str = "") -> None:
        self.report(Severity.WARNING, pointer, message, hint)

    def expect(self, value: object, want: str, pointer: str, what: str) -> bool:
        """Report when `value` is not of JSON type `want`; True when it is."""
        ok = _is(value, want)
        if not ok:
            if want == "string" and isinstance(value, (*_NUMBER, bool)):
                hint = "quote it"
            else:
                hint = _SHAPE_HINTS.get(want, "")
            article = "an" if want[0] in "aeiou" else "a"
            self.error(pointer, f"{what} must be {article} {want}, not a {kind_name(value)}", hint)
        return ok

    def fields(self, obj: dict[str, Any], kind: str, pointer: str) -> None:
        for name, want in _FIELDS[kind].items():
            if name in obj and not _is(obj[name], want):  # the pointer only when reported
                self.expect(obj[name], want, join_pointer(pointer, name), f"{kind} '{name}'")

    def deref(self, value: object) -> object:
        """Follow local refs (bounded) for checks that need the target; None if unknown."""
        for _ in range(32):
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return value
            ref: str = value["$ref"]
            target = get_pointer(self.data, ref) if ref.startswith("#") else None
            value = None if is_missing(target) else target
        return None

    # -- the checks ---------------------------------------------------------------------

    def run(self) -> list[Diagnostic]:
        if not self.version():
            return self.found
        info = self.data.get("info")
        if info is None:
            self.error("", "missing 'info'", "add info: {title: ..., version: ...}")
        elif self.expect(info, "object", "/info", "'info'"):
            for name in ("title", "version"):
                if name not in info:
                    self.error("/info", f"info has no '{name}'", f"add info.{name} (a string)")
            self.fields(info, "info", "/info")
        self.paths()
        self.refs()
        check_schemas(self)
        return self.found

    def version(self) -> bool:
        data = self.data
        unsupported = "sdkforge reads 3.0, 3.1 and Swagger 2.0"
        if "openapi" in data:
            version = data["openapi"]
            if not isinstance(version, str):
                self.error(
                    "/openapi",
                    f"'openapi' must be a string like \"3.0.3\", not {version!r}",
                    'quote the version: openapi: "3.0.3"',
                )
                return False
            match = re.match(r"3\.([01])\.\d+(-[0-9A-Za-z.-]+)?\Z", version)
            if not match:
                self.error(
                    "/openapi",
                    f"unsupported OpenAPI version {version}; {unsupported}",
                    'use a version like openapi: "3.1.0" (convert the document first if needed)',
                )
                return False
            self.minor = match.group(1)
            return True
        if "swagger" in data:
            if data["swagger"] != "2.0":
                self.error(
                    "/swagger",
                    f"unsupported OpenAPI version {data['swagger']}; {unsupported}",
                    'Swagger documents say swagger: "2.0"',
                )
                return False
            self.major = "2"
            self.warn(
                "/swagger",
                "Swagger 2.0 document; it is converted to OpenAPI 3.0 first",
                "convert it yourself to control the result",
            )
            return True
        self.error(
            "",
            "no 'openapi' (or 'swagger') version field; is this an OpenAPI document?",
            'start the file with openapi: "3.1.0"',
        )
        return False

    def paths(self) -> None:
        paths = self.data.get("paths")
        if paths is None:
            if not (self.major == "3" and self.minor == "1"):
                self.error("", "missing 'paths'", "add paths: {} if there are no operations")
            return
        if not self.expect(paths, "object", "/paths", "'paths'"):
            return
        operation_ids: dict[str, str] = {}
        for template, item in paths.items():
            pointer = join_pointer("/paths", template)
            if template.startswith("x-"):
                continue
            if not template.startswith("/"):
                self.error(
                    pointer, f"path {template!r} does not start with '/'", f"write '/{template}'"
                )
            if not self.expect(item, "object", pointer, "path item"):
                continue
            shared = self.parameters(item.get("parameters"), join_pointer(pointer, "parameters"))
            for method in METHODS:
                if method not in item:
                    continue
                op_pointer = join_pointer(pointer, method)
                op = item[method]
                if not self.expect(op, "object", op_pointer, f"operation '{method}'"):
                    continue
                self.fields(op, "operation", op_pointer)
                own = self.parameters(op.get("parameters"), join_pointer(op_pointer, "parameters"))
                self.path_parameters(template, {**shared, **own}, op_pointer)
                self.responses(op, op_pointer)
                op_id = op.get("operationId")
                if isinstance(op_id, str):
                    if op_id in operation_ids:
                        self.warn(
                            join_pointer(op_pointer, "operationId"),
                            f"operationId {op_id!r} is also used at {operation_ids[op_id]}; "
                            "this method is named from its path instead",
                            "operationIds must be unique",
                        )
                    operation_ids.setdefault(op_id, op_pointer)

    def parameters(self, params: object, pointer: str) -> dict[tuple[str, str], tuple[Any, str]]:
        """Check a parameter list; return {(name, in): (parameter, pointer)}."""
        found: dict[tuple[str, str], tuple[Any, str]] = {}
        if not isinstance(params, list):
            if params is not None:
                self.expect(params, "list", pointer, "'parameters'")
            return found
        for i, raw in enumerate(params):
            p_pointer = join_pointer(pointer, i)
            param = self.deref(raw)
            if param is None:
                continue  # external or broken ref: reported elsewhere
            if not self.expect(param, "object", p_pointer, "parameter"):
                continue
            assert isinstance(param, dict)
            name, where = param.get("name"), param.get("in")
            if not isinstance(name, str):
                self.error(p_pointer, "parameter has no 'name' string", "add name: <name>")
            allowed = _PARAM_IN[self.major]
            if where not in allowed:
                self.error(
                    p_pointer,
                    f"parameter 'in' is {where!r}; expected one of {', '.join(allowed)}",
                    "a request body is described by the operation's requestBody, not a parameter"
                    if where == "body"
                    else "",
                )
            self.fields(param, "parameter", p_pointer)
            if isinstance(name, str) and isinstance(where, str):
                found[(name, where)] = (param, p_pointer)
        return found

    def path_parameters(
        self, template: str, params: dict[tuple[str, str], tuple[Any, str]], pointer: str
    ) -> None:
        names = _TEMPLATE_RE.findall(template)
        for name in names:
            if (name, "path") not in params:
                self.warn(
                    pointer,
                    f"path parameter {{{name}}} in {template!r} is not declared; "
                    "it becomes a required string argument",
                    f"add a parameter with name: {name}, in: path, required: true",
                )
        for (name, where), (param, p_pointer) in params.items():
            if where != "path":
                continue
            if name not in names:
                self.warn(p_pointer, f"path parameter {name!r} does not appear in {template!r}")
            elif param.get("required") is not True:
                self.warn(
                    p_pointer, f"path parameter {name!r} lacks required: true; treated as required"
                )

    def responses(self, op: dict[str, Any], pointer: str) -> None:
        r_pointer = join_pointer(pointer, "responses")
        responses = op.get("responses")
        if responses is None:
            if not (self.major == "3" and self.minor == "1"):
                self.error(
                    pointer,
                    "operation has no 'responses'",
                    "add at least responses: {'200': {description: OK}}",
                )
            return
        if not self.expect(responses, "object", r_pointer, "'responses'"):
            return
        for code, raw in responses.items():
            code_pointer = join_pointer(r_pointer, code)
            if not code.startswith("x-") and not _STATUS_RE.match(code):
                self.error(
                    code_pointer,
                    f"response key {code!r} is not a status code",
                    "use 'default', a code like '200' or a range like '4XX'",
                )
            response = self.deref(raw)
            if response is None or not self.expect(response, "object", code_pointer, "response"):
                continue
            assert isinstance(response, dict)
            if "description" not in response:
                self.warn(code_pointer, f"response {code} has no 'description'")
            self.fields(response, "response", code_pointer)

    def refs(self) -> None:
        """Every `$ref` is a string and every local one points at something.

        Example values and extensions are data, and a map of names (`properties`) may have
        a member called `$ref`, so those are not treated as references.
        """
        stack: list[tuple[object, Trail, bool, bool]] = [(self.data, None, True, False)]
        found: dict[str, bool] = {}  # local ref -> target exists (most refs repeat)
        while stack:
            node, trail, structural, names = stack.pop()
            if isinstance(node, list):
                stack.extend(
                    (v, (trail, str(i)), structural, False)
                    for i, v in enumerate(node)
                    if isinstance(v, (dict, list))
                )
                continue
            if not isinstance(node, dict):
                continue
            if "$ref" in node and structural and not names:
                ref = node["$ref"]
                if not isinstance(ref, str):
                    self.error(
                        spell(trail, "$ref"), f"$ref must be a string, not a {kind_name(ref)}"
                    )
                elif ref.startswith("#"):
                    exists = found.get(ref)
                    if exists is None:
                        exists = found[ref] = not is_missing(get_pointer(self.data, ref))
                    if not exists:
                        self.error(
                            spell(trail, "$ref"),
                            f"$ref target {ref} does not exist",
                            "check the spelling and the ~1 escaping of '/'",
                        )
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    data = key in _DATA_KEYS or key.startswith("x-")
                    child = structural and (names or not data)
                    child_names = not names and key in _NAME_MAPS
                    stack.append((value, (trail, key), child, child_names))


def validate(
    doc: LoadedDocument | object, source_map: SourceMap | None = None, *, file: str = ""
) -> list[Diagnostic]:
    """All structural problems of `doc` (a `LoadedDocument`, or data plus its source map)."""
    if isinstance(doc, LoadedDocument):
        data, source_map, file = doc.data, doc.source_map, file or str(doc.path)
    else:
        data = doc
    source_map = source_map or SourceMap.empty()
    if not isinstance(data, dict):
        checker = _Checker({}, source_map, file)
        checker.error("", f"document is a {kind_name(data)}, not a mapping")
        return checker.found
    return _Checker(data, source_map, file).run()
