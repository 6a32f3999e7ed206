"""Black's line splitting for the expressions sdkforge writes, so black finds them done.

Black stays the formatter of record: it still runs over every file. This only spares it
work. On text already in its layout black is about twice as fast, and most of its time on
raw output goes to the long lines this module splits: signatures, runtime calls, model
fields and type aliases. The rules are black's own for what these are made of (calls,
subscripts, collection displays, `|` unions, atoms): a line that fits stays; otherwise the
last bracket pair splits, its content on one indented line when that fits and it is not a
collection display, else one item per line with a trailing comma, recursively. A line
these rules are unsure of (non-ASCII text: black counts wide characters twice) is left on
one line for black to split.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from generator.format import LINE_LENGTH

INDENT = "    "


@dataclass(frozen=True)
class Group:
    """`head(items)`, `head[items]` or a display `(items)` / `[items]` / `{items}`."""

    head: str
    brackets: str
    items: tuple[Expr, ...]
    display: bool = False

    def __str__(self) -> str:
        return flat(self)


@dataclass(frozen=True)
class Pipe:
    """`a | b | c` (a union type)."""

    parts: tuple[Expr, ...]

    def __str__(self) -> str:
        return flat(self)


Expr = str | Group | Pipe


def flat(e: Expr) -> str:
    """The one-line source of `e`."""
    if isinstance(e, str):
        return e
    if isinstance(e, Pipe):
        return " | ".join(flat(p) for p in e.parts)
    inner = ", ".join(flat(i) for i in e.items)
    if e.display and e.brackets == "()" and len(e.items) == 1:
        inner += ","  # a one-tuple
    return e.head + e.brackets[0] + inner + e.brackets[1]


def call(head: str, *items: Expr) -> Group:
    return Group(head, "()", items)


def display(brackets: str, items: tuple[Expr, ...]) -> Group:
    return Group("", brackets, items, display=True)


def _fits(indent: str, text: str) -> bool:
    return len(indent) + len(text) <= LINE_LENGTH


def lines(e: Expr, indent: str, prefix: str = "", suffix: str = "") -> list[str]:
    """`indent + prefix + e + suffix` split the way black splits it (the last bracket
    pair of `e` first; `prefix` and `suffix` must hold no brackets)."""
    one = prefix + flat(e) + suffix
    if _fits(indent, one) or not one.isascii():
        return [indent + one]
    if isinstance(e, Group) and e.items:
        head = indent + prefix + e.head + e.brackets[0]
        tail = indent + e.brackets[1] + suffix
        if not _fits("", head):
            return [indent + one]
        inner = indent + INDENT
        explode = e.display and (len(e.items) > 1 or e.brackets == "()")
        if not explode:
            body = ", ".join(flat(i) for i in e.items)
            if _fits(inner, body):
                return [head, inner + body, tail]
            if len(e.items) == 1:
                return [head, *lines(e.items[0], inner), tail]
        out = [head]
        for item in e.items:
            out.extend(lines(item, inner, "", ","))
        out.append(tail)
        return out
    if isinstance(e, Pipe) and e.parts:
        # Black keeps the parentheses around a union it has to split (the `|` is a
        # delimiter), and puts each member on its own line when they do not fit on one.
        inner = indent + INDENT
        body = flat(e)
        if _fits(inner, body):
            return [indent + prefix + "(", inner + body, indent + ")" + suffix]
        parts = [*lines(e.parts[0], inner)]
        for p in e.parts[1:]:
            parts.extend(lines(p, inner, "| "))
        return [indent + prefix + "(", *parts, indent + ")" + suffix]
    return [indent + one]


def text(e: Expr, indent: str, prefix: str = "", suffix: str = "") -> str:
    """`lines` joined, without the first line's indent (the template writes that)."""
    return "\n".join(lines(e, indent, prefix, suffix))[len(indent) :]


def fit(source: str, indent: str, prefix: str = "", suffix: str = "") -> str:
    """`prefix + source + suffix` at `indent`, split as black would when it does not fit
    (`source` is one Python expression; left on one line when outside these rules)."""
    if _fits(indent, prefix + source + suffix):
        return prefix + source + suffix
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        tree = None
    e = from_ast(tree) if tree is not None else None
    if e is None or flat(e) != source:
        return prefix + source + suffix
    return text(e, indent, prefix, suffix)


# --- from Python source (datamodel-code-generator's model modules) ---------------------


def from_ast(node: ast.expr) -> Expr | None:
    """The layout tree of an expression made of what model modules hold; None for
    anything else (left as written, for black)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = from_ast(node.value)
        return f"{base}.{node.attr}" if isinstance(base, str) else None
    if isinstance(node, ast.Constant):
        return _constant(node.value)
    if isinstance(node, ast.Subscript):
        base = from_ast(node.value)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        parts = [from_ast(i) for i in items]
        if not isinstance(base, str) or not parts or any(p is None for p in parts):
            return None
        return Group(base, "[]", tuple(p for p in parts if p is not None))
    if isinstance(node, ast.Call):
        func = from_ast(node.func)
        args: list[Expr | None] = [from_ast(a) for a in node.args]
        for kw in node.keywords:
            value = from_ast(kw.value)
            if kw.arg is None or not isinstance(value, str):
                return None
            args.append(f"{kw.arg}={value}")
        if not isinstance(func, str) or any(a is None for a in args):
            return None
        return Group(func, "()", tuple(a for a in args if a is not None))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = from_ast(node.left), from_ast(node.right)
        if left is None or right is None:
            return None
        members = [*(left.parts if isinstance(left, Pipe) else (left,)), right]
        return Pipe(tuple(members))
    if isinstance(node, ast.Dict):
        pairs: list[Expr] = []
        for k, v in zip(node.keys, node.values, strict=True):
            key, value = (from_ast(k) if k is not None else None), from_ast(v)
            if not isinstance(key, str) or not isinstance(value, str):
                return None
            pairs.append(f"{key}: {value}")
        return display("{}", tuple(pairs)) if pairs else None
    if isinstance(node, ast.List | ast.Tuple):
        elts = [from_ast(e) for e in node.elts]
        if not elts or any(e is None for e in elts):
            return None
        return display("[]" if isinstance(node, ast.List) else "()", tuple(e for e in elts if e))
    return None


def _constant(value: object) -> str | None:
    """A constant as black writes it: strings in double quotes when that needs no more
    escapes than single ones (here: when they hold neither quote nor backslash)."""
    if isinstance(value, str):
        if "'" in value or '"' in value or "\\" in value or not value.isprintable():
            return None
        return f'"{value}"'
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float) and repr(value) == str(value) and "e" not in repr(value):
        return repr(value)
    return None


def statement(node: ast.stmt, indent: str) -> list[str] | None:
    """A model module's field, alias or call statement in black's layout (lines without
    newlines); None when it holds anything these rules do not cover."""
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        annotation = from_ast(node.annotation)
        value = from_ast(node.value) if node.value is not None else ""
        if annotation is None or isinstance(annotation, Pipe) or value is None:
            return None
        prefix = f"{node.target.id}: "
        if not value:
            return lines(annotation, indent, prefix)
        left = f"{prefix}{flat(annotation)} = "
        if _fits(indent, left + flat(value)):
            return [indent + left + flat(value)]
        if isinstance(value, str):
            # Black keeps the value's own (invisible) parentheses while the left side fits
            # with them, and splits the annotation otherwise.
            if _fits(indent, left + "("):
                return [indent + left + "(", indent + INDENT + value, indent + ")"]
            return lines(annotation, indent, prefix, f" = {value}")
        # A bracketed value splits at its brackets, when the annotation has no `=` of its
        # own (black weighs keyword arguments on the left against that split).
        if isinstance(value, Group) and "=" not in left[:-2] and _fits(indent, left + value.head):
            return lines(value, indent, left)
        return None
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    ):
        value = from_ast(node.value)
        return None if value is None else lines(value, indent, f"{node.targets[0].id} = ")
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        value = from_ast(node.value)
        return None if value is None else lines(value, indent)
    return None


def import_from(module: str, names: list[str], indent: str = "") -> str:
    """`from module import names` as black writes it (newline-terminated)."""
    one = f"from {module} import {', '.join(names)}"
    if _fits(indent, one):
        return indent + one + "\n"
    inner = indent + INDENT
    return (
        f"{indent}from {module} import (\n"
        + "".join(f"{inner}{n},\n" for n in names)
        + f"{indent})\n"
    )


# --- black-stability check for model modules -----------------------------------------


def is_black_layout(source: str, header: str) -> bool:
    """Whether a model module is, line for line, what black makes of it: rebuilt here
    from its syntax tree in black's layout (docstrings as written, when black would leave
    them), it must come out identical, every line fitting. Such a module skips the
    formatter (a test runs black over every one it passes, on many specs); anything this
    check does not know, including any comment, sends the module to black."""
    if source.count("\n") != len(source.splitlines()):
        return False  # a line break other than \n (\x85, \u2028 ...): leave it to black
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    src = source.splitlines()
    if not src or src[0] != header.rstrip("\n"):
        return False
    out = [src[0], ""]
    previous: ast.stmt | None = None
    for node in tree.body:
        if previous is not None:
            out.extend([""] * _blank_lines(previous, node))
        rendered = _top_level(node, src)
        if rendered is None:
            return False
        out.extend(rendered)
        previous = node
    return out == src


def _blank_lines(previous: ast.stmt, node: ast.stmt) -> int:
    """Black's blank lines between two top-level statements of a model module."""
    imports = ast.ImportFrom | ast.Import
    if isinstance(previous, imports) and isinstance(node, imports):
        return 1 if isinstance(previous, ast.ImportFrom) and previous.module == "__future__" else 0
    if isinstance(previous, imports):
        return 2 if isinstance(node, ast.ClassDef) else 1
    return 2


def _code(rendered: list[str] | None) -> list[str] | None:
    """Statement lines that black would leave: all fitting, all ASCII (black measures
    wide characters twice)."""
    if rendered is None or not all(_fits("", line) and line.isascii() for line in rendered):
        return None
    return rendered


def _top_level(node: ast.stmt, src: list[str]) -> list[str] | None:
    if isinstance(node, ast.ImportFrom):
        if any(a.asname for a in node.names):
            return None
        module = "." * node.level + (node.module or "")
        return _code(import_from(module, [a.name for a in node.names]).splitlines())
    if isinstance(node, ast.Import):
        if len(node.names) != 1 or node.names[0].asname:
            return None
        return [f"import {node.names[0].name}"]
    if isinstance(node, ast.ClassDef):
        return _class(node, src)
    if _is_string(node):
        return _string(node, src, "")
    return _code(statement(node, ""))


def _class(node: ast.ClassDef, src: list[str]) -> list[str] | None:
    bases = [from_ast(b) for b in node.bases]
    if node.decorator_list or node.keywords or any(not isinstance(b, str) for b in bases):
        return None
    header = f"class {node.name}({', '.join(b for b in bases if isinstance(b, str))}):"
    if _code([header]) is None:
        return None
    out = [header]
    for i, child in enumerate(node.body):
        if i == 0 and _is_string(child):
            doc = _docstring(child, src)
            if doc is None:
                return None
            out.extend(doc)
            if len(node.body) > 1:
                out.append("")  # black: one blank line after a class docstring
            continue
        if i > 0 and not (i == 1 and _is_string(node.body[0])):
            # Between other statements: the blank line (at most one) as written.
            gap = src[node.body[i - 1].end_lineno or 0 : child.lineno - 1]
            if gap not in ([], [""]):
                return None
            out.extend(gap)
        rendered = (
            _string(child, src, INDENT) if _is_string(child) else _code(statement(child, INDENT))
        )
        if rendered is None:
            return None
        out.extend(rendered)
    return out


def _is_string(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _string(node: ast.stmt, src: list[str], indent: str) -> list[str] | None:
    """A string statement that is not a docstring, as written: black leaves a
    triple-double-quoted string alone."""
    lines = src[node.lineno - 1 : node.end_lineno]
    if not lines[0].startswith(indent + '"""') or not lines[-1].endswith('"""'):
        return None
    if node.col_offset != len(indent):
        return None
    return lines


def _docstring(node: ast.stmt, src: list[str]) -> list[str] | None:
    """A class docstring as written when black's docstring rules leave it unchanged:
    opening quotes alone on their line, every line indented exactly one level (deeper
    only relative to that), no tab or trailing space, closing quotes alone."""
    lines = src[node.lineno - 1 : node.end_lineno]
    if len(lines) < 3 or lines[0] != INDENT + '"""' or lines[-1] != INDENT + '"""':
        return None
    body = lines[1:-1]
    if any("\t" in line or line != line.rstrip() for line in body):
        return None
    if any(line and not line.startswith(INDENT) for line in body):
        return None
    if not any(not line[len(INDENT)].isspace() for line in body if line):
        return None  # black would remove the common extra indentation
    if body[-1].endswith(('"', "\\")) or "\\\n" in "\n".join(body):
        return None
    return lines
