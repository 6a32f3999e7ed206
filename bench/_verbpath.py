"""The "verb+path" rule of names.py: is a method name spelled from its HTTP method and path?

A generator that finds no better name falls back to the request line: `GET /api/contents/{path}`
becomes `get_api_contents_path`, `POST /api/kernels/{kernel_id}/interrupt` becomes
`post_api_kernels_kernel_id_interrupt`. Issue 15 wants such names gone. The rule, in words
(bench/README.md has it too):

* Words. A name, an operationId or a summary is cut into lower-case words at `_`, at any
  character that is not a letter or digit, and at camelCase humps (`getAPIKeys` → get, api,
  keys). A path is cut into segments at `/` (a query string such as `?beta=true` is dropped);
  a segment with a `{parameter}` is a parameter segment, its words those of the text without
  braces; any other is a literal segment. Two words match when equal after a plain English
  singular (`pets` ~ `pet`, `policies` ~ `policy`, `statuses` ~ `status`).
  A trailing all-digit word of the name (a de-duplication suffix, `_2`) is ignored.
* Pattern V (verb first): the name's first word is an HTTP method (get put post delete
  patch head options trace) that is not itself a word of a literal segment of this path,
  and its second word matches a word of the path (literal or parameter).
* Pattern P (path run): the name contains, as consecutive words, the words of two or more
  consecutive segments of the path with at least two of them literal; "consecutive" in the
  path as written, or in the path with its parameter segments left out (`kernels_interrupt`
  for `/kernels/{id}/interrupt`).
* Exemption: the name is not counted when it is derivable from the operation's own text:
  its words are, in order, a subsequence of the operationId's words or of the summary's
  words (`getPets` → `get_pets`, "List all pets" → `list_pets`). A name the spec's author
  wrote is the author's choice; what is counted is what the generator made up from the
  request line.

A name is "verb+path" when it matches V or P and is not exempt. Hard to game: renaming
the verb (`fetch_api_contents`) still matches P, moving words around the verb still matches
V, and only names the spec's own operationId or summary justify are let off.
"""

from __future__ import annotations

import re

HTTP_VERBS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})
_HUMPS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words of an identifier or a sentence."""
    return [w.lower() for w in _SPLIT.split(_HUMPS.sub("_", text)) if w]


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _norm(ws: list[str]) -> list[str]:
    return [singular(w) for w in ws]


def segments(path: str) -> list[tuple[bool, list[str]]]:
    """(is_literal, normalised words) for each segment of the path."""
    out = []
    for seg in path.split("?", 1)[0].split("/"):
        if not seg:
            continue
        literal = "{" not in seg
        ws = _norm(words(seg.replace("{", " ").replace("}", " ")))
        if ws:
            out.append((literal, ws))
    return out


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(w == b for b in it) for w in small)


def _path_runs(segs: list[tuple[bool, list[str]]]) -> list[list[str]]:
    """Word runs of >= 2 consecutive segments holding >= 2 literal ones (pattern P), in the
    path as written and with parameter segments left out."""
    runs = []
    literal_only = [s for s in segs if s[0]]
    for seq in (segs, literal_only):
        for i in range(len(seq)):
            for j in range(i + 2, len(seq) + 1):
                part = seq[i:j]
                if sum(1 for lit, _ in part if lit) >= 2:
                    runs.append([w for _, ws in part for w in ws])
    return runs


def matches(name: str, path: str) -> str:
    """ "V" or "P" when the name matches a pattern (V first), "" otherwise."""
    ws = _norm(words(name))
    if len(ws) > 1 and ws[-1].isdigit():
        ws = ws[:-1]
    segs = segments(path)
    literal_words = {w for lit, seg in segs if lit for w in seg}
    path_words = {w for _, seg in segs for w in seg}
    if len(ws) >= 2 and ws[0] in HTTP_VERBS and ws[0] not in literal_words and ws[1] in path_words:
        return "V"
    if any(_contains(ws, run) for run in _path_runs(segs)):
        return "P"
    return ""


def exempt(name: str, operation_id: str, summary: str) -> bool:
    """The name's words are a subsequence of the operationId's or of the summary's."""
    ws = _norm(words(name))
    if len(ws) > 1 and ws[-1].isdigit():
        ws = ws[:-1]
    return any(text and _subsequence(ws, _norm(words(text))) for text in (operation_id, summary))


def verb_path(name: str, path: str, operation_id: str, summary: str) -> str:
    """The pattern that makes `name` a verb+path name ("V"/"P"), or "" (not one, or exempt)."""
    found = matches(name, path)
    return "" if not found or exempt(name, operation_id, summary) else found
