"""Is this text already exactly what black would make of it? Then it skips black.

Black is most of a cold run's time. Two kinds of generated module can be vouched for
without running it. A model module is rebuilt from its syntax tree in black's layout
(`layout`; the statement rules are here, the module's in `modelparts`) and compared line
for line. A resource module comes from sdkforge's own
template, whose structure is black's (tests hold every golden and corpus resource to it)
and whose long lines `layout.fit` split; what the spec can still put in it is checked:
string and number literals, docstrings, long or non-ASCII lines, comments. Any doubt sends
the module to the formatter; tests run black and ruff over every module passed here, on
the golden, edge-case and a spread of real-world specs.
"""

from __future__ import annotations

import ast
import re

from sdkforge.codegen.layout import INDENT, fits, from_ast, import_from, statement


def _parsed(source: str) -> tuple[ast.Module, list[str]] | None:
    """The module's tree and lines; None when it does not parse or breaks a line with
    anything but \n (\x85, \u2028 ...: line numbers would not match, leave it to black)."""
    src = source.splitlines()
    if source.count("\n") != len(src):
        return None
    try:
        return ast.parse(source), src
    except SyntaxError:
        return None


def _blank_lines(previous: ast.stmt, node: ast.stmt, written: int) -> int:
    """Black's blank lines between two top-level statements of a model module; `written`
    is what the source has, which black keeps between two imports (a blank line between
    import sections, as params modules write them) up to its module-level limit of two."""
    imports = ast.ImportFrom | ast.Import
    if isinstance(previous, imports) and isinstance(node, imports):
        if isinstance(previous, ast.ImportFrom) and previous.module == "__future__":
            return 1
        return written if 0 <= written <= 2 else 0
    if isinstance(previous, imports):
        return 2 if isinstance(node, ast.ClassDef) else 1
    if isinstance(previous, ast.ClassDef) or isinstance(node, ast.ClassDef):
        return 2
    # Elsewhere black keeps what is written, up to two: after the `if TYPE_CHECKING:`
    # imports (a params module's `__all__` follows them after one blank line), between
    # an alias and its docstring (none).
    return written if 0 <= written <= 2 else 2


def _code(rendered: list[str] | None) -> list[str] | None:
    """Statement lines that black would leave: all fitting, all ASCII (black measures
    wide characters twice)."""
    if rendered is None or not all(fits("", line) and line.isascii() for line in rendered):
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
    if isinstance(node, ast.If):
        return _type_checking_imports(node)
    if _is_string(node):
        return _string(node, src, "")
    rendered = statement(node, "")
    return rendered if _wrapped_string(node, rendered) else _code(rendered)


def _wrapped_string(node: ast.stmt, rendered: list[str] | None) -> bool:
    """`X: TypeAlias = (`, a string too long for any line, `)`: black wraps a value it
    cannot split in parentheses when the left side fits with them, and leaves the string
    line long (a params alias of a long union, quoted for type checkers)."""
    return (
        isinstance(node, ast.AnnAssign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and rendered is not None
        and len(rendered) == 3
        and rendered[0].endswith(" = (")
        and rendered[2] == ")"
        and _code([rendered[0]]) is not None
        and rendered[1].isascii()
    )


def _type_checking_imports(node: ast.If) -> list[str] | None:
    """`if TYPE_CHECKING:` holding only one-line `from ... import ...` statements (a params
    module's imports for type checkers): black leaves each line that fits as it is."""
    test = node.test
    if node.orelse or not (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"):
        return None
    out = ["if TYPE_CHECKING:"]
    for stmt in node.body:
        if not isinstance(stmt, ast.ImportFrom) or any(a.asname for a in stmt.names):
            return None
        module = "." * stmt.level + (stmt.module or "")
        out.append(f"    from {module} import {', '.join(a.name for a in stmt.names)}")
    return _code(out)


def _keyword(name: str, value: object) -> str | None:
    """A class keyword as black writes it (`total=False`), when its value is plain text."""
    return f"{name}={value}" if isinstance(value, str) else None


def _class(node: ast.ClassDef, src: list[str]) -> list[str] | None:
    header = _class_header(node)
    body = _class_body(node, src)
    return None if header is None or body is None else [header, *body]


def _class_header(node: ast.ClassDef) -> str | None:
    """`class Name(Base, keyword=value):` as black writes it, when it fits its line."""
    # Bases and class keywords (a TypedDict's `total=False`) as black writes a call's
    # arguments: `name=value`, no spaces around `=`.
    bases = [from_ast(b) for b in node.bases]
    bases += [None if k.arg is None else _keyword(k.arg, from_ast(k.value)) for k in node.keywords]
    if node.decorator_list or any(not isinstance(b, str) for b in bases):
        return None
    header = f"class {node.name}({', '.join(b for b in bases if isinstance(b, str))}):"
    return header if _code([header]) is not None else None


def _class_body(
    node: ast.ClassDef, src: list[str], doubts: list[ast.stmt] | None = None
) -> list[str] | None:
    """A class's body as black lays it out, when the check knows every statement of it;
    given `doubts`, a field it does not know is collected there, as written (`modelparts`)."""
    out: list[str] = []
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
        if rendered is None and doubts is not None and isinstance(child, ast.AnnAssign):
            doubts.append(child)
            rendered = src[child.lineno - 1 : child.end_lineno]
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
    """A model's class docstring as written, when black leaves it (`_docstring_kept`) and
    it has datamodel-code-generator's shape: quotes alone on the first and last lines, no
    tab anywhere, no quote or backslash ending the text, no backslash-newline."""
    lines = src[node.lineno - 1 : node.end_lineno]
    if len(lines) < 3 or lines[0] != INDENT + '"""' or not _docstring_kept(node, src):
        return None
    body = "\n".join(lines[1:-1])
    if "\t" in body or body.endswith(('"', "\\")) or "\\\n" in body:
        return None
    return lines


_NUMBER = re.compile(r"\d+(\.\d+)?")
#: A line black cannot split (string literals removed): `name=""`, `"": value`, `a.b`, each
#: optionally with the trailing comma of an exploded call or display; no bracket, operator
#: or inner comma to split at.
_UNSPLITTABLE = re.compile(r" *[\w.]* *[=:]? *[\w.]*,?")


def rendered_in_black_layout(source: str) -> bool:
    """Whether a module from sdkforge's own resource template is what black makes of it.
    (`rendered_check` says more: which long lines are the only doubt.)

    The template's lines are black's; what the spec put in them passes when black would
    leave it: ASCII code lines without trailing space or comment, that fit or hold no
    bracket black could split at (a long path string stays on its line);
    strings quoted as black quotes them; numbers as black writes them; docstrings that
    black's docstring rules leave unchanged. Literals spanning lines, f-strings and
    anything else unexpected fail the check.
    """
    checked = rendered_check(source)
    return checked is not None and not checked[2]


def rendered_check(source: str) -> tuple[ast.Module, list[str], list[int]] | None:
    """`rendered_in_black_layout`'s check, with its one doubt set apart: None when any
    rule fails but the length of a line, else the module's tree, its lines, and the
    (1-based) numbers of the lines too long that black might split (`blackparts` asks
    black about the statements holding them)."""
    parsed = _parsed(source)
    if parsed is None:
        return None
    tree, src = parsed
    in_docstring: set[int] = set()
    docstrings: set[int] = set()
    inside_fstrings: set[int] = set()
    spans: dict[int, list[tuple[int, int]]] = {}
    doubtful: list[int] = []  # 1-based lines
    for node in _nodes(tree):
        if id(node) in inside_fstrings:
            continue
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if first is not None and _is_string(first):
                if not _docstring_kept(first, src):
                    if isinstance(node, ast.Module):
                        return None
                    # Black lays it out otherwise (a tab in its indentation, lines all
                    # indented deeper ...): `blackparts` asks black about it alone.
                    doubtful.append(first.lineno)
                assert isinstance(first, ast.Expr)
                docstrings.add(id(first.value))
                in_docstring.update(range(first.lineno - 1, first.end_lineno or first.lineno))
        elif isinstance(node, ast.JoinedStr):
            if not _fstring_kept(node, src):
                return None
            inside_fstrings.update(id(n) for n in ast.walk(node) if n is not node)
            assert node.end_col_offset is not None  # one line: checked by _fstring_kept
            spans.setdefault(node.lineno - 1, []).append((node.col_offset, node.end_col_offset))
        elif isinstance(node, ast.Constant) and id(node) not in docstrings:
            if node.end_lineno != node.lineno or node.end_col_offset is None:
                return None
            line = src[node.lineno - 1]
            if not line.isascii():
                return None
            text = line[node.col_offset : node.end_col_offset]
            if not _literal(node.value, text):
                return None
            spans.setdefault(node.lineno - 1, []).append((node.col_offset, node.end_col_offset))
    for i, line in enumerate(src):
        if i in in_docstring:
            continue
        if not (line.isascii() and line == line.rstrip()):
            return None
        code = line
        for start, end in sorted(spans.get(i, []), reverse=True):
            code = code[:start] + code[end:]
        if i == 0 and code.startswith("# "):
            continue  # the "generated by" header
        if "#" in code or "\\" in code or "\t" in code:
            return None
        if not fits("", line) and not _UNSPLITTABLE.fullmatch(code):
            doubtful.append(i + 1)  # too long, and black might split it at a bracket
        elif code.endswith("= ("):
            # A value in parentheses of its own (`layout.fit`'s long call): black may take
            # them away and split the call instead, depending on more than its lines.
            doubtful.append(i + 1)
    return tree, src, sorted(doubtful)


_CHILDREN: dict[type[ast.AST], tuple[str, ...]] = {}


def _nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of `tree`, parents before their children (as `ast.walk`, at a third of
    its cost on GitHub's 600 resource modules: a resource module is mostly names, calls
    and attributes, whose `ctx` markers and field iteration `ast.walk` spends its time
    on). The children's field names are looked up once per node class."""
    out: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        out.append(node)
        kind = type(node)
        fields = _CHILDREN.get(kind)
        if fields is None:
            fields = _CHILDREN[kind] = tuple(f for f in node._fields if f != "ctx")
        for name in fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))
    return out


def _fstring_kept(node: ast.JoinedStr, src: list[str]) -> bool:
    """An f-string as the template writes it (`f"... {file_id!r}"`): one line, ASCII,
    double quotes with none inside, no backslash, only plain names formatted. Black
    leaves such an f-string as it is; anything else fails the check."""
    if node.end_lineno != node.lineno or node.end_col_offset is None:
        return False
    text = src[node.lineno - 1][node.col_offset : node.end_col_offset]
    if not (text.isascii() and text.startswith('f"') and text.endswith('"') and len(text) > 2):
        return False
    if '"' in text[2:-1] or "\\" in text:
        return False
    return all(
        (isinstance(v, ast.Constant) and isinstance(v.value, str))
        or (
            isinstance(v, ast.FormattedValue)
            and isinstance(v.value, ast.Name)
            and v.conversion in (-1, ord("r"))
            and v.format_spec is None
        )
        for v in node.values
    )


def _literal(value: object, text: str) -> bool:
    """A literal's source as black writes it: strings without prefix, in double quotes
    unless they hold one (and no needless escape), numbers in plain decimal."""
    if isinstance(value, str):
        if len(text) < 2 or text[0] not in "\"'" or text[:3] in ('"""', "'''"):
            return False
        body = text[1:-1]
        if "\\'" in body or '\\"' in body:
            return False
        return text[0] == '"' or '"' in body
    if isinstance(value, bool) or value is None or value is Ellipsis:
        return True
    if isinstance(value, int | float):
        return _NUMBER.fullmatch(text) is not None
    return False


def _docstring_kept(node: ast.stmt, src: list[str]) -> bool:
    """A docstring black leaves as it is: `\"\"\"` then text with no padding to strip or
    quote to pad; later lines at least as indented as the quotes (some exactly), without
    tab in that indentation or trailing space; closing quotes alone on the last line (or
    on the first, for one line)."""
    lines = src[node.lineno - 1 : node.end_lineno]
    first = lines[0].lstrip(" ")
    indent = " " * (len(lines[0]) - len(first))
    if not first.startswith('"""') or node.col_offset != len(indent):
        return False
    summary = first[3:]
    if len(lines) == 1:
        summary = summary[:-3] if summary.endswith('"""') else ""
        return bool(summary) and _clean_edge(summary)
    if summary and (summary != summary.strip() or summary[0] == '"'):
        return False
    if lines[-1] != indent + '"""':
        return False
    body = lines[1:-1]
    for line in body:
        if line and (not line.startswith(indent) or line != line.rstrip()):
            return False
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return False  # black expands tabs in a docstring line's indentation
    # Black re-indents the lines after the first to their common indentation (measured
    # with str.lstrip: any Unicode space counts).
    return not body or any(line and not line[len(indent)].isspace() for line in body)


def _clean_edge(text: str) -> bool:
    """No space to strip at either end, no quote black would pad, no trailing backslash."""
    return text == text.strip() and text[0] != '"' and text[-1] not in '"\\'
