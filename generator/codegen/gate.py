"""The last gate before writing: every Python file of the plan must compile.

Behind the escaping filters and the identifier guards, this is what makes sure nothing
that does not compile is ever written, whatever a spec or a custom template put in it.
A failure is sdkforge's bug (or a template's), never the spec's: the CLI reports it as an
internal error (exit 3) with the output untouched.

Compiling all 3,000 modules of GitHub's client takes 1-1.5 s on one core, so a big batch
is shared with worker processes; and a text that compiled before (same bytes, same
Python) is known good from a marker in the cache, so a regeneration compiles only what
changed (hashing 2,000 modules and checking their markers: 20-70 ms). A cold run's
markers go into one pack with its other entries (`caches.packs`).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

from sdkforge.caches import store
from sdkforge.control import lifeline

PARALLEL_BYTES = 2_000_000
"""Below this many bytes to compile, forking workers costs more than it saves."""
BATCH_BYTES = 256_000
"""About this many bytes of Python per job sent to a worker."""
SPLIT_BYTES = 1_000_000
"""A module this big is compiled a top-level `class`/`def` at a time (`_pieces`)."""
_BOUNDARY = re.compile(rb"^(?:class |def |async def |@)", re.MULTILINE)
_SCOPE_WORD = re.compile(rb"(?:global|nonlocal)\b")
_CODING = re.compile(rb"coding[:=]")
_FUTURE = re.compile(rb"^from __future__ import [\w, ]+$", re.MULTILINE)


class GeneratedCodeError(Exception):
    """A generated Python file does not compile: a bug in sdkforge or in a custom template,
    never the spec's fault (spec text only reaches code through escaping filters)."""


def compile_gate(files: dict[str, bytes], *, use_cache: bool, jobs: int | None = None) -> None:
    """Compile every Python file of `files`; raise `GeneratedCodeError` for the first (by
    path) that does not compile, before anything is written."""
    folder = os.path.join(store.cache_root(), f"compiled-{sys.implementation.cache_tag}")
    todo: list[tuple[str, str]] = []  # (path, marker)
    for rel in sorted(files):
        if not rel.endswith(".py"):
            continue
        digest = hashlib.sha256(files[rel]).hexdigest()
        marker = os.path.join(folder, digest[:2], digest)  # (plain strings: 3,000 of them)
        if use_cache and store.has(Path(marker)):
            continue
        todo.append((rel, marker))
    problems = _compile_all([(rel, files[rel]) for rel, _ in todo], jobs)
    for (rel, _), problem in zip(todo, problems, strict=True):
        if problem is not None:
            # Again here, for the compiler's own error (its source line) in the traceback.
            try:
                compile(files[rel], rel, "exec", dont_inherit=True)
            except (SyntaxError, ValueError) as exc:
                raise GeneratedCodeError(problem) from exc
            raise GeneratedCodeError(problem)
    if use_cache:
        for _, marker in todo:
            store.store_later(Path(marker), "")


def problem_of(rel: str, source: bytes) -> str | None:
    """Why `source` does not compile ("path:line: ..."), or None when it does."""
    pieces = _pieces(source)
    if pieces is not None and _pieces_compile(rel, pieces):
        return None
    try:
        compile(source, rel, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:  # ValueError: a NUL byte, before 3.12
        line = exc.lineno if isinstance(exc, SyntaxError) else None
        where = f"{rel}:{line}" if line else rel
        detail = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        return f"{where}: generated Python does not compile: {detail}"
    return None


def _pieces(source: bytes) -> list[bytes] | None:
    """A big module cut before each top-level `class`, `def` or decorator, so that compiling
    it needs the memory of its biggest piece, not of the whole (Amazon EC2's resource
    module, 10.6 MB, took 350 MB to compile whole: its two 5 MB classes, 180 MB each).

    When every piece compiles, so does the module. A cut inside a string, brackets or a
    continuation line leaves the piece before it unfinished, which does not compile; so
    pieces that all compile were cut between top-level statements, and a module is its
    statements one after another. The rules that span statements are kept: each piece
    after the first starts with the module's own `__future__` imports (as written: a flag
    is not always the same as the statement), and a module with a `__future__` import past
    its first piece or written over lines, or a `global` or `nonlocal` statement is not
    cut, nor one where `coding:` is on a piece's first two lines (an encoding declaration
    of the module, or a comment a cut would make one). None: compile it whole."""
    if len(source) < SPLIT_BYTES or _scope_wide(source):
        return None
    starts = [0]
    for match in _BOUNDARY.finditer(source):
        at = match.start()
        previous = source.rfind(b"\n", 0, at - 1) + 1
        if at and not source.startswith(b"@", previous):  # not between a decorator and its def
            starts.append(at)
    pieces = [source[a:b] for a, b in zip(starts, [*starts[1:], len(source)], strict=True)]
    futures = [m.group() + b"\n" for m in _FUTURE.finditer(pieces[0])]
    if len(pieces) < 2 or source.count(b"__future__") != len(futures):
        return None
    head = b"".join(futures)
    pieces = [pieces[0], *(head + piece for piece in pieces[1:])]
    if any(_CODING.search(_first_lines(piece)) for piece in pieces):
        return None  # an encoding declaration (lines 1-2) in the module or made by a cut
    return pieces


def _first_lines(text: bytes) -> bytes:
    """The first two lines, where an encoding declaration counts (PEP 263)."""
    end = text.find(b"\n", text.find(b"\n") + 1)
    return text if end < 0 else text[:end]


def _scope_wide(source: bytes) -> bool:
    """Whether a `global` or `nonlocal` statement may be in `source`: the word first on a
    line or after `;` or `:` (in a string too: a cut is only refused then). Two steps, as
    one pattern anchored at line starts takes 0.1 s on a 10 MB module."""
    for match in _SCOPE_WORD.finditer(source):
        before = source[max(0, match.start() - 256) : match.start()].rstrip(b" \t\f")
        if not before or before[-1:] in (b"\n", b"\r", b";", b":", b"\\"):
            return True
    return False


def _pieces_compile(rel: str, pieces: list[bytes]) -> bool:
    """Whether every piece compiles."""
    try:
        for piece in pieces:
            compile(piece, rel, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _compile_all(items: list[tuple[str, bytes]], jobs: int | None) -> list[str | None]:
    """Every item's problem (None: compiles), in order; on workers when the batch is big.

    The workers get batches of about `BATCH_BYTES`, biggest first, so that the last to
    finish are small. A big module is not shared out as its pieces: compiling takes about
    35 times a text's size in memory, and Amazon EC2's two 5 MB classes compiled side by
    side took the run from 426 to 542 MB for 0.3 s."""
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 4)
    if workers < 2 or sum(len(source) for _, source in items) < PARALLEL_BYTES:
        return [problem_of(rel, source) for rel, source in items]
    order = sorted(range(len(items)), key=lambda k: -len(items[k][1]))
    batches: list[list[int]] = []
    size = BATCH_BYTES
    for k in order:
        if size >= BATCH_BYTES:
            batches.append([])
            size = 0
        batches[-1].append(k)
        size += len(items[k][1])
    problems: list[str | None] = [None] * len(items)
    payload = [[items[k] for k in batch] for batch in batches]
    with lifeline.forked_map(_batch_problems, payload, workers=workers) as answers:
        for batch, found in zip(batches, answers, strict=True):
            for k, problem in zip(batch, found, strict=True):
                problems[k] = problem
    return problems


def _batch_problems(batch: list[tuple[str, bytes]]) -> list[str | None]:
    """Worker job: each module's problem (`problem_of`)."""
    return [problem_of(rel, source) for rel, source in batch]
