"""The view `README.md` lays out: the first operation's example in every form a section shows.

Each statement is complete and already wrapped (`response = client.videos.with_raw_response
.edit(...)`), so the template only places it; the upload section passes a file in every
form `FileTypes` accepts. Example values and calls come from `codegen.examples`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdkforge.apimodel.ir import Api
from sdkforge.codegen.examples import (
    Examples,
    accessor,
    example_args,
    example_snippet,
    result_name,
    wrap_call,
)

_UPLOAD_FORMS = (
    (
        "a pathlib.Path: the file is read for you and its name sent as the filename",
        'Path("/path/to/file")',
    ),
    ("bytes", 'b"raw file contents"'),
    ("an open binary file object", "f"),
    (
        "a (filename, content, mime type) tuple",
        '("file.bin", b"raw file contents", "application/octet-stream")',
    ),
)


@dataclass(frozen=True)
class ReadmeDoc:
    """The first operation's example, as the README's sections show it.

    Statements are complete (`response = client.videos.with_raw_response.edit(...)`) and
    already wrapped, so the template only places them; `call` is meant for a block
    indented by four spaces. `imports` is what the call needs (`import io` for an
    in-memory file); `upload` is empty when no method takes a file.
    """

    imports: str
    result: str
    call: str
    retry_call: str
    timeout_call: str
    raw: str
    stream: str
    sync_example: str
    async_example: str
    upload: str


def readme_doc(api: Api) -> ReadmeDoc | None:
    """Examples for the README, from the first operation; None for an API without any."""
    ops = api.all_operations()
    if not ops:
        return None
    examples = Examples(api)
    trail, op = ops[0]
    args = example_args(op, api, examples)

    def statement(prefix: str, client: str = "client", via: str = "", indent: str = "") -> str:
        return wrap_call(prefix, accessor(trail, op, client, via), args, indent).lstrip()

    return ReadmeDoc(
        imports="import io\n\n" if any("io.BytesIO(" in v for _, v in args) else "",
        result=result_name(op),
        call=statement("", indent="    "),
        retry_call=statement("", "client.with_options(max_retries=5)"),
        timeout_call=statement("", "client.with_options(timeout=5.0)"),
        raw=statement("response = ", via="with_raw_response"),
        stream=statement("with ", via="with_streaming_response") + " as response:",
        sync_example=example_snippet(op, api),
        async_example=example_snippet(op, api, asynchronous=True),
        upload=upload_snippet(api, examples),
    )


def upload_snippet(api: Api, examples: Examples) -> str:
    """A snippet passing a file in every form `FileTypes` accepts, or "" without uploads."""
    found = next(
        ((trail, op, p) for trail, op in api.all_operations() for p in op.parameters if p.is_file),
        None,
    )
    if found is None:
        return ""
    trail, op, param = found
    call = accessor(trail, op)
    lines: list[str] = []
    for comment, value in _UPLOAD_FORMS:
        args = [(k, value if k == param.name else v) for k, v in example_args(op, api, examples)]
        if param.name not in dict(args):
            args.append((param.name, value))
        lines += ["", f"# {comment}"]
        if value == "f":
            lines += ['with open("/path/to/file", "rb") as f:', wrap_call("", call, args, "    ")]
        else:
            lines.append(wrap_call("", call, args, ""))
    text = "\n".join(lines)
    head = "import io\n" if "io.BytesIO(" in text else ""
    cls = api.client_name
    setup = f"from pathlib import Path\n\nfrom {api.package} import {cls}\n\nclient = {cls}()\n"
    return f"{head}{setup}{text}\n"
