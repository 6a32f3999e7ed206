"""Black's line splitting for the expressions sdkforge writes, so black finds them done.

Black stays the authority: a module skips it only when `blackcheck` finds it exactly in
black's layout, and black is about twice as fast on text already laid out this way. Most
of its time on raw output went to the long lines this module splits: signatures, runtime
calls, model fields and type aliases. The rules are black's own for what these are made of (calls,
subscripts, collection displays, `|` unions, atoms): a line that fits stays; otherwise the
last bracket pair splits, its content on one indented line when that fits and it is not a
collection display, else one item per line with a trailing comma, recursively. A line
these rules are unsure of (non-ASCII text: black counts wide characters twice) is left on
one line for black to split.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

from sdkforge.apimodel.frozen import printable
from sdkforge.codegen.format import LINE_LENGTH

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


@dataclass(frozen=True)
class Cond:
    """`body if test else orelse`; a conditional in `orelse` is written in parentheses."""

    body: Expr
    test: str
    orelse: Expr

    def __str__(self) -> str:
        return flat(self)


Expr = str | Group | Pipe | Cond


def flat(e: Expr) -> str:
    """The one-line source of `e`."""
    if isinstance(e, str):
        return e
    if isinstance(e, Pipe):
        return " | ".join(flat(p) for p in e.parts)
    if isinstance(e, Cond):
        orelse = f"({flat(e.orelse)})" if isinstance(e.orelse, Cond) else flat(e.orelse)
        return f"{flat(e.body)} if {e.test} else {orelse}"
    inner = ", ".join(flat(i) for i in e.items)
    if e.display and e.brackets == "()" and len(e.items) == 1:
        inner += ","  # a one-tuple
    return e.head + e.brackets[0] + inner + e.brackets[1]


def display(brackets: str, items: tuple[Expr, ...]) -> Group:
    return Group("", brackets, items, display=True)


def fits(indent: str, text: str) -> bool:
    return len(indent) + len(text) <= LINE_LENGTH


def lines(
    e: Expr, indent: str, prefix: str = "", suffix: str = "", nested: bool = False
) -> list[str]:
    """`indent + prefix + e + suffix` split the way black splits it (the last bracket
    pair of `e` first; `prefix` and `suffix` must hold no brackets). `nested`: `e` is an
    item inside brackets, where a union is split without parentheses (left to black)."""
    one = prefix + flat(e) + suffix
    if fits(indent, one) or not one.isascii() or (nested and isinstance(e, Pipe)):
        return [indent + one]
    if isinstance(e, Group) and e.items:
        head = indent + prefix + e.head + e.brackets[0]
        tail = indent + e.brackets[1] + suffix
        if not fits("", head):
            return _long_head(e, indent, prefix, suffix)
        inner = indent + INDENT
        explode = e.display and (len(e.items) > 1 or e.brackets == "()")
        if not explode:
            body = ", ".join(flat(i) for i in e.items)
            if fits(inner, body):
                return [head, inner + body, tail]
            if len(e.items) == 1:
                return [head, *lines(e.items[0], inner, nested=True), tail]
        out = [head]
        for item in e.items:
            out.extend(lines(item, inner, "", ",", nested=True))
        out.append(tail)
        return out
    if isinstance(e, Pipe) and e.parts:
        # Black keeps the parentheses around a union it has to split (the `|` is a
        # delimiter), and puts each member on its own line when they do not fit on one.
        inner = indent + INDENT
        body = flat(e)
        if fits(inner, body):
            return [indent + prefix + "(", inner + body, indent + ")" + suffix]
        parts = [*lines(e.parts[0], inner)]
        for p in e.parts[1:]:
            parts.extend(lines(p, inner, "| "))
        return [indent + prefix + "(", *parts, indent + ")" + suffix]
    if isinstance(e, Cond):
        # Black puts a conditional it has to split in parentheses, on one line inside
        # them when it fits there, else split before `if` and `else`; a conditional in
        # `else` is itself parenthesized.
        inner = indent + INDENT
        if fits(inner, flat(e)):
            split = [inner + flat(e)]
        else:
            split = [
                *lines(e.body, inner),
                *lines(e.test, inner, "if "),
                *lines(e.orelse, inner, "else "),
            ]
        return [indent + prefix + "(", *split, indent + ")" + suffix]
    return [indent + one]


def _long_head(e: Group, indent: str, prefix: str, suffix: str) -> list[str]:
    """`target = f(name)` whose `target = f(` is already too long: black puts the call in
    the assignment's parentheses when `target = (` fits (the call then split inside them),
    else splits the call anyway, long first line and all. Anything else: one line."""
    one = indent + prefix + flat(e) + suffix
    if not (prefix.endswith(" = ") and not suffix and not e.display and len(e.items) == 1):
        return [one]
    if not isinstance(e.items[0], str):
        return [one]
    inner = indent + INDENT
    wrapped = indent + prefix + "("
    if fits("", wrapped):
        if fits(inner, flat(e)):
            return [one]  # black's choice here depends on more than this knows
        return [wrapped, *lines(e, inner), indent + ")"]
    return [indent + prefix + e.head + e.brackets[0], inner + e.items[0], indent + e.brackets[1]]


def text(e: Expr, indent: str, prefix: str = "", suffix: str = "") -> str:
    """`lines` joined, without the first line's indent (the template writes that)."""
    return "\n".join(lines(e, indent, prefix, suffix))[len(indent) :]


def fit(source: str, indent: str, prefix: str = "", suffix: str = "") -> str:
    """`prefix + source + suffix` at `indent`, split as black would when it does not fit
    (`source` is one Python expression; left on one line when outside these rules)."""
    if fits(indent, prefix + source + suffix):
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
            if kw.arg is None or value is None:
                return None
            # A bracketed value (`total_pages=("result_info", "total_pages")`) stays whole on
            # its line, as in dicts below; blackcheck asks black when that is not its layout.
            args.append(f"{kw.arg}={value if isinstance(value, str) else flat(value)}")
        if not isinstance(func, str) or any(a is None for a in args):
            return None
        return Group(func, "()", tuple(a for a in args if a is not None))
    if isinstance(node, ast.IfExp):
        body, test, orelse = from_ast(node.body), _test(node.test), from_ast(node.orelse)
        if body is None or test is None or orelse is None or isinstance(body, Cond):
            return None
        return Cond(body, test, orelse)
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
            if not isinstance(key, str) or value is None:
                return None
            # A call as a value (`"note": PartEncoding(...)`) stays whole on its line; one
            # too long for that is not black's layout, and black is asked (blackcheck).
            pairs.append(f"{key}: {value if isinstance(value, str) else flat(value)}")
        return display("{}", tuple(pairs)) if pairs else None
    if isinstance(node, ast.List | ast.Tuple):
        elts = [from_ast(e) for e in node.elts]
        if not elts or any(e is None for e in elts):
            return None
        return display("[]" if isinstance(node, ast.List) else "()", tuple(e for e in elts if e))
    return None


def _test(node: ast.expr) -> str | None:
    """A conditional's test as sdkforge writes it: a name, or a name `==` a constant."""
    if isinstance(node, ast.Name):
        return node.id
    if (
        isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Name)
        and len(node.ops) == 1
        and isinstance(node.ops[0], ast.Eq)
        and isinstance(node.comparators[0], ast.Constant)
    ):
        value = _constant(node.comparators[0].value)
        return f"{node.left.id} == {value}" if value is not None else None
    return None


def _constant(value: object) -> str | None:
    """A constant as black writes it: strings in double quotes when that needs no more
    escapes than single ones (here: when they hold neither quote nor backslash)."""
    if isinstance(value, str):
        if "'" in value or '"' in value or "\\" in value or not printable(value):
            return None
        return f'"{value}"'
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float) and math.isfinite(value) and "e" not in repr(value):
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
        if fits(indent, left + flat(value)):
            return [indent + left + flat(value)]
        if isinstance(value, str):
            # Black keeps the value's own (invisible) parentheses while the left side fits
            # with them, and splits the annotation otherwise.
            if fits(indent, left + "("):
                return [indent + left + "(", indent + INDENT + value, indent + ")"]
            return lines(annotation, indent, prefix, f" = {value}")
        # A bracketed value splits at its brackets, when the annotation has no `=` of its
        # own (black weighs keyword arguments on the left against that split).
        if isinstance(value, Group) and "=" not in left[:-2] and fits(indent, left + value.head):
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


def self_def(name: str, returns: str, indent: str) -> str:
    """`def name(self) -> returns:` as black writes it: `self` on a line of its own when
    the line is too long (no trailing newline, no leading indent)."""
    one = f"def {name}(self) -> {returns}:"
    if fits(indent, one):
        return one
    return f"def {name}(\n{indent}{INDENT}self,\n{indent}) -> {returns}:"


def import_from(module: str, names: list[str], indent: str = "") -> str:
    """`from module import names` as black writes it (newline-terminated)."""
    one = f"from {module} import {', '.join(names)}"
    if fits(indent, one):
        return indent + one + "\n"
    inner = indent + INDENT
    return (
        f"{indent}from {module} import (\n"
        + "".join(f"{inner}{n},\n" for n in names)
        + f"{indent})\n"
    )
