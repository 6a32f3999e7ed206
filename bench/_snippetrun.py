"""Running one OpenAI docs snippet, unchanged, in its own process: for examples.py.

Three pieces:

* RUNNER, a script that runs the snippet with `runpy` (as `__main__`, `__file__` set) and
  writes what happened as JSON: passed, or the exception's type, first line, the snippet
  line it came from, the module it was raised in (`snippet` for the example's own code)
  and, for an AttributeError, the type of the object that lacked it;
* the bridge for the sdkforge run: a package named `openai` put first on `sys.path` whose
  `OpenAI` / `AsyncOpenAI` are the generated `Client` / `AsyncClient` with the test key and
  the mock's URL filled in, and whose module attributes (`openai.audio...`) go to a default
  client, as the official package's module-level client does. Nothing else is bridged: a
  snippet importing `openai.types...` finds no such module;
* small valid files for every file name the snippet mentions (`open("speech.mp3", "rb")`,
  `to_data_url("agent.wav")`): a 1x1 PNG, silent MP3 frames and WAV, a fine-tuning JSONL line.
"""

from __future__ import annotations

import ast
import io
import re
import struct
import wave
import zlib
from collections.abc import Callable
from pathlib import Path

RUNNER = r"""
import json, os, runpy, sys, traceback
snippet, out = os.path.abspath(sys.argv[1]), sys.argv[2]
sys.argv = [snippet]
result = {"ok": True}
try:
    runpy.run_path(snippet, run_name="__main__")
except SystemExit as exc:
    if exc.code not in (None, 0):
        result = {"ok": False, "type": "SystemExit", "message": str(exc.code)}
except BaseException as exc:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == snippet]
    text = str(exc).strip().splitlines()
    obj = getattr(exc, "obj", None) if isinstance(exc, AttributeError) else None
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    origin = tb.tb_frame.f_globals.get("__name__", "") if tb is not None else ""
    result = {
        "ok": False,
        "type": type(exc).__module__ + "." + type(exc).__qualname__,
        "message": text[0][:400] if text else "",
        "line": frames[-1].lineno if frames else None,
        "source": (frames[-1].line or "") if frames else "",
        "obj_module": type(obj).__module__ if obj is not None else "",
        "origin": "snippet" if origin == "__main__" else origin,
    }
with open(out, "w") as fh:
    json.dump(result, fh)
"""

SHIM = r'''"""Bench bridge: the official `openai` names over the sdkforge-generated client."""
import importlib as _importlib
import os as _os

_package = _importlib.import_module(_os.environ["SDKFORGE_BENCH_PACKAGE"])
_Client = getattr(_package, _os.environ["SDKFORGE_BENCH_CLIENT"])
_AsyncClient = getattr(_package, "Async" + _os.environ["SDKFORGE_BENCH_CLIENT"])


def _defaults(kwargs):
    kwargs.setdefault("api_key", _os.environ["SDKFORGE_BENCH_API_KEY"])
    kwargs.setdefault("base_url", _os.environ["SDKFORGE_BENCH_BASE_URL"])
    return kwargs


class OpenAI(_Client):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_defaults(kwargs))


class AsyncOpenAI(_AsyncClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_defaults(kwargs))


_default = None


def __getattr__(name):
    """`import openai; openai.audio.speech...`: the module-level client."""
    global _default
    if name.startswith("__"):
        raise AttributeError(name)
    if _default is None:
        _default = OpenAI()
    return getattr(_default, name)
'''


def write_shim(directory: Path) -> Path:
    """A directory holding the bridge package `openai`, to put first on PYTHONPATH."""
    (directory / "openai").mkdir(parents=True, exist_ok=True)
    (directory / "openai" / "__init__.py").write_text(SHIM, encoding="utf-8")
    return directory


# ---------------------------------------------------------------------------------------------
# Dummy files

_FILE_NAME = re.compile(
    r"^[\w\-. ]{1,80}\.(png|jpe?g|webp|gif|mp3|wav|m4a|mp4|mpeg|mpga|webm|ogg|flac|jsonl|json|"
    r"txt|pdf|csv|md|zip)$",
    re.IGNORECASE,
)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1x1, 8-bit RGBA
    pixels = zlib.compress(b"\x00\xff\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _wav() -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x00\x00" * 1600)  # 0.1 s of silence
    return buf.getvalue()


def _mp3() -> bytes:
    # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo, no CRC: 417-byte frames of silence
    frame = b"\xff\xfb\x90\x00" + b"\x00" * 413
    return frame * 4


_CONTENT: dict[str, Callable[[], bytes]] = {
    "png": _png,
    "wav": _wav,
    "mp3": _mp3,
    "mpga": _mp3,
    "mpeg": _mp3,
    "jsonl": lambda: (
        b'{"messages": [{"role": "user", "content": "Hi"}, '
        b'{"role": "assistant", "content": "Hello!"}]}\n'
    ),
    "json": lambda: b"{}\n",
    "pdf": lambda: b"%PDF-1.1\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
}


def _text() -> bytes:
    return b"bench dummy file\n"


def file_names(code: str) -> list[str]:
    """String literals of the snippet that name a local file (`"speech.mp3"`)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return sorted(
        {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant)
            and isinstance(n.value, str)
            and _FILE_NAME.match(n.value)
        }
    )


def write_files(code: str, directory: Path) -> list[str]:
    """Write a small valid file for each file name in the snippet; returns the names."""
    names = file_names(code)
    for name in names:
        make = _CONTENT.get(name.rsplit(".", 1)[1].lower(), _text)
        (directory / name).write_bytes(make())
    return names
