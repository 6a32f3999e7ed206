"""Python source fragments from IR values: annotations, literals, docstrings, comments.

This is the only place spec text becomes code, each with the escaping its context needs,
so that no title, description, name, enum value or default can break out of where it is
put (see `safe_doc`, `py_str`). The Markdown docs get the same care (`md`, `md_code`,
`fenced`, `md_block`). Templates reach these through filters.
"""

from __future__ import annotations

import json
import math
import re

from sdkforge.apimodel.frozen import py_repr
from sdkforge.apimodel.ir import TypeRef
from sdkforge.codegen.blocks import inline_html, safe_blocks
from sdkforge.codegen.models import clean_text, safe_doc

SCALAR_ANNOTATIONS = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "none": "None",
    "any": "object",
}


def annotation(t: TypeRef, side: str = "response") -> str:
    """The annotation for `t`, as a valid runtime expression (used as `cast_to` too).

    On the request side objects also accept plain mappings (`{"id": ...}`), files accept
    every `FileTypes` form and collections accept any sequence or mapping; the response
    side names exactly what the lenient parser builds.
    """
    request = side == "request"
    if t.kind in SCALAR_ANNOTATIONS:
        return SCALAR_ANNOTATIONS[t.kind]
    if t.kind == "file":
        return "FileTypes" if request else "bytes"
    if t.kind == "model":
        return f"Union[models.{t.name}, Mapping[str, object]]" if request else f"models.{t.name}"
    if t.kind == "alias":
        return f"models.{t.name}"
    if t.kind == "literal":
        return "Literal[" + ", ".join(py_value(v) for v in t.values) + "]"
    if t.kind == "list":
        return ("Sequence[{}]" if request else "list[{}]").format(annotation(t.items[0], side))
    if t.kind == "map":
        return ("Mapping[str, {}]" if request else "dict[str, {}]").format(
            annotation(t.items[0], side)
        )
    assert t.kind == "union"
    members = [m for m in t.items if m.kind != "none"]
    inner = [annotation(m, side) for m in members]
    flat: list[str] = []
    for a in inner:
        parts = split_union(a) if a.startswith("Union[") else [a]
        flat.extend(p for p in parts if p not in flat)
    # Plain mappings (the dict form of request models) read best after the models.
    flat.sort(key=lambda part: part == "Mapping[str, object]")
    text = flat[0] if len(flat) == 1 else "Union[" + ", ".join(flat) + "]"
    return f"Optional[{text}]" if len(members) < len(t.items) else text


def split_union(text: str) -> list[str]:
    body = text[len("Union[") : -1]
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    parts.append(body[start:].strip())
    return parts


# The builtins `annotation` writes: a method body that names one (`cast(object, ...)`,
# `cast_to=list[str]`) must reach the builtin even where an argument (a path parameter
# `object`) or a method of the class (`list`) shadows it.
ANNOTATION_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "object", "list", "dict"})
_STRING_OR_NAME = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')|(?<![\w.])([A-Za-z_]\w*)")


def names_in(code: str) -> set[str]:
    """The names an expression reads: dotted names by their first part (`models` for
    `models.Video`), never words inside string literals (`Literal["models.x"]`)."""
    return {m.group(2) for m in _STRING_OR_NAME.finditer(code) if m.group(2)}


def qualify(code: str, shadowed: frozenset[str] | set[str]) -> str:
    """`code` with every name in `shadowed` read from `builtins` (`builtins.list[str]`);
    names inside string literals and attribute names are left alone."""
    if not shadowed:
        return code

    def one(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"builtins.{name}" if name in shadowed else match.group(0)

    return _STRING_OR_NAME.sub(one, code)


def py_value(value: object) -> str:
    """A Python literal that evaluates to the JSON value `value` (and nothing else)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f'float("{value}")'
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_str(str(k))}: {py_value(v)}" for k, v in value.items()) + "}"
    return py_str(str(value))


def py_str(value: str) -> str:
    """A double-quoted string literal for `value`; `repr` escapes every unsafe character
    (Python 3.11's `repr`, whichever Python runs: `frozen.py_repr`)."""
    text = py_repr(value)
    if text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def toml_str(value: object) -> str:
    """A TOML basic string that reads back as `value`.

    JSON's string escapes are TOML's, but TOML also forbids a raw DEL; a lone surrogate
    (a JSON spec can spell one, no UTF-8 file can hold it) becomes U+FFFD.
    """
    text = _SURROGATE.sub("\ufffd", str(value))
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def py_doc(text: str, indent: str = "") -> str:
    """Docstring body lines for `text`, escaped and indented (no surrounding quotes).

    Everything that can change where the text ends (cleaning control characters, which
    become spaces, and stripping) happens before `safe_doc` escapes it, and nothing after:
    stripping an escaped text could uncover a quote that closes the docstring.
    """
    body = "\n".join(line.rstrip() for line in clean_text(text).strip().split("\n"))
    lines = safe_doc(body).split("\n")
    return "\n".join(indent + line if line and i else line for i, line in enumerate(lines))


def py_comment(text: str) -> str:
    """One line of text safe to follow `#`: only a line break could end a comment, and
    every kind of one (control characters included) becomes a space. Quotes and
    backslashes mean nothing there; `coding:` does (on line 1 or 2 it would declare the
    file's encoding), so it is written `coding :`, last."""
    return _CODING.sub(r"\1 \2", _SPACE.sub(" ", clean_text(text)).strip())


_CODING = re.compile(r"(coding)([:=])")


def md(text: str) -> str:
    """Text for a Markdown table cell or line: single line, pipes escaped.

    `<!--` and the tags whose element a browser reads to the end of the page when it is
    left open (`<script`, `<textarea` ...) are neutralised; control characters (NUL,
    U+2028 ...) become spaces. Escaping comes last: a backslash at the very end would
    escape what the template writes next (a table's `|`), so it is written `&#92;`.
    """
    flat = _SPACE.sub(" ", clean_text(text)).strip()
    flat = inline_html(flat.replace("|", "\\|"))
    body = flat.rstrip("\\")
    return body + "&#92;" * (len(flat) - len(body))


_SPACE = re.compile(r"\s+")
_TICKS = re.compile(r"`+")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def md_code(text: object) -> str:
    """An inline code span that shows `text` verbatim, whatever backticks it contains.

    Whitespace runs (line breaks, control characters) show as one space; an empty text is
    a code span of one space (two backticks side by side would be literal text).
    """
    flat = _SPACE.sub(" ", clean_text(str(text))).strip()
    if not flat:
        return "` `"
    runs = [len(r) for r in _TICKS.findall(flat)]
    ticks = "`" * (max(runs, default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def fenced(text: str, lang: str = "") -> str:
    """A fenced code block holding exactly `text`, which no line of it can close (the
    fence outgrows its runs). Line endings are normalised and control characters shown as
    spaces; a `lang` with a backtick gets a tilde fence (a backtick fence's info string
    cannot hold one)."""
    text = clean_text(text).rstrip("\n")
    char = "~" if "`" in lang else "`"
    runs = [len(m.group(1)) for m in _FENCE.finditer(text) if m.group(1)[0] == char]
    fence = char * max(3, max(runs, default=0) + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def md_block(text: str) -> str:
    """Multi-line spec text as Markdown that cannot swallow what follows it.

    Descriptions may use Markdown, so it is kept, except what could run past the end of
    the text: a fenced code block or an HTML block of the kinds that end only at their
    own marker (`<script`, `<pre`, `<style`, `<textarea`, `<!--`, `<?`, `<!X`,
    `<![CDATA[`), which would hide the rest of the document (`blocks.safe_blocks`).
    """
    return safe_blocks(clean_text(text).strip())
