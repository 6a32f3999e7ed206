"""IR → file contents, through the Jinja templates in `templates/python/`.

The template tree mirrors the generated project (`{{package}}/_client.py.jinja` makes
`openai_videos/_client.py`), so a user overriding one finds it where the output file is.
Files without a `.jinja` suffix are runtime modules copied verbatim; `resource.py.jinja`
is rendered once per resource. The environment is strict: an undefined name is an error,
never an empty string.
"""

from __future__ import annotations

import contextlib
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path, PurePosixPath

import jinja2

from sdkforge.apimodel.ir import Api, Resource
from sdkforge.caches.rendermemo import RenderMemo
from sdkforge.caches.store import cache_root
from sdkforge.codegen import aboutdoc, builtin, docviews, layout, pyexpr, readmedoc, smoke
from sdkforge.codegen.blackparts import vouch_rendered
from sdkforge.codegen.format import LINE_LENGTH, Voucher
from sdkforge.codegen.modelgen import Pool, start_model_modules
from sdkforge.codegen.modelparts import vouch_model
from sdkforge.codegen.modelsplit import HEADER, init_in_black_layout, init_module
from sdkforge.codegen.params import param_modules, request_types
from sdkforge.codegen.project import project_view
from sdkforge.codegen.signatures import py_tuple
from sdkforge.codegen.views import auth_views, resource_views, webhooks_view

TEMPLATES = builtin.root()
"""The built-in templates (package data, see `builtin`); checked by `builtin.check`."""
PACKAGE_DIR = "{{package}}"
RESOURCE_TEMPLATE = "resources/resource.py.jinja"
_OWN_RESOURCE_TEMPLATE = TEMPLATES / "python" / PACKAGE_DIR / RESOURCE_TEMPLATE
WEBHOOKS_TEMPLATE = f"{PACKAGE_DIR}/webhooks.py.jinja"
"""Rendered only for an API with webhook events."""
PARAMS_DOC = "Request types: what methods accept, as TypedDicts, each loaded on first use."
TESTS_DIR = "tests/"
"""Templates of the optional smoke-test suite, rendered only with `--tests`."""


def template_dirs(custom: Path | None) -> list[Path]:
    """Search path: a user's override directory first, then the built-in templates."""
    dirs = [TEMPLATES / "python"]
    return [custom, *dirs] if custom is not None else dirs


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, except that an entry it cannot read (torn,
    foreign) or write is a miss, never a failed generation."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def environment(dirs: list[Path], *, use_cache: bool = False) -> jinja2.Environment:
    """The Jinja environment with the escaping filters every spec string must pass through.

    `use_cache`: keep compiled templates in the cache (Jinja checks each against its
    source), sparing every run the compilation (0.06 s, a tenth of a warm GitHub run).
    """
    cache_dir = cache_root() / "jinja"
    bytecode = None
    if use_cache:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            bytecode = _BytecodeCache(str(cache_dir))
        except OSError:
            bytecode = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        bytecode_cache=bytecode,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(
        py_str=pyexpr.py_str,
        py_doc=pyexpr.py_doc,
        py_comment=pyexpr.py_comment,
        py_value=pyexpr.py_value,
        md=pyexpr.md,
        md_code=pyexpr.md_code,
        md_block=pyexpr.md_block,
        fenced=pyexpr.fenced,
        annotation=pyexpr.annotation,
        fit=lambda source, indent, prefix="", suffix="": layout.fit(
            str(source), " " * indent, prefix, suffix
        ),
        self_def=lambda name, returns, indent=0: layout.self_def(name, returns, " " * indent),
        import_from=lambda module, names, indent=0: layout.import_from(
            module, list(names), " " * indent
        )[indent:-1],
        toml_str=pyexpr.toml_str,
        json=lambda v: json.dumps(v, indent=2, ensure_ascii=False, sort_keys=False),
    )
    return env


_BATCH = 1 << 14
"""Pieces per batch in `encoded` (a few hundred KB of text)."""


def encoded(pieces: Iterable[str]) -> bytes:
    """A template's pieces as UTF-8, encoded a batch at a time.

    For a document nothing formats, whose text is never needed as a `str`: Microsoft
    Graph's `api.md` (79 M characters) as one `str` took 158 MB, since one character
    past U+00FF makes every character two bytes, and the plan's UTF-8 copy 79 MB more;
    encoded batch by batch, the batches and the joined bytes are 79 MB each, and the
    batches go at once.
    """
    done: list[bytes] = []
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) >= _BATCH:
            done.append("".join(batch).encode("utf-8"))
            batch.clear()
    done.append("".join(batch).encode("utf-8"))
    return done[0] if len(done) == 1 else b"".join(done)


def _walk(dirs: list[Path]) -> list[str]:
    """Every template path (relative, POSIX) across the search path, without duplicates."""
    seen: set[str] = set()
    for root in dirs:
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                seen.add(path.relative_to(root).as_posix())
    return sorted(seen)


def template_context(api: Api, spec_name: str = "") -> dict[str, object]:
    """What every template sees: the IR, auth views and the doc views (api.md, README).

    With `spec_name` (the spec copy the smoke tests mock) the smoke-test views are added.
    """
    context: dict[str, object] = {
        "api": api,
        "auths": auth_views(api),
        "auth_classes": sorted({a.auth_class for a in auth_views(api)}),
        "resource_docs": docviews.resource_docs(api),
        "readme": readmedoc.readme_doc(api),
        "project": project_view(api),
        "about": aboutdoc.about(api),
        "paged_example": aboutdoc.paged_example(api),
        "webhooks_view": webhooks_view(api),
        "error_fields": py_tuple([pyexpr.py_str(f) for f in api.error_fields]),
        # The resource modules share this one for the run (a custom resource template may
        # call it; within its bound); every other template gets its own in `_templated`.
        "once": _Once(),
        # Replaced in `render_project` by one that reuses text across runs.
        "memo": RenderMemo(TEMPLATES, enabled=False).macro(""),
    }
    if spec_name:
        context.update(
            smoke_spec=spec_name,
            smoke_cases=smoke.smoke_cases(api),
            smoke_credentials=smoke.credentials(api),
            smoke_oauth2=smoke.uses_oauth2(api),
        )
    return context


ONCE_CHARS = 1 << 24
"""How much laid-out text `_Once` keeps (characters), the least recently used going first.

GitHub's `api.md` lays out 5.9 M characters of items, all kept. Microsoft Graph's lays
out 70 M characters in 110,000 items and kept them all to the end of the document (with
their keys, 117 MB); with this bound it lays out 3 % more text again and keeps 16 M."""


class _Once:
    """`once(macro, value, *args)` in a template: the macro's text for that very value,
    laid out the first time and reused after (within `ONCE_CHARS`).

    The doc views share their items (GitHub's `repository` fields appear under hundreds of
    methods), and laying the same item out again through a Jinja macro was most of the
    time `api.md` took. Keyed by identity, and each value is kept alive with its text, so
    an id is never reused while its entry is kept; a value whose entry goes is only laid
    out again if it comes back.
    """

    def __init__(self, budget: int = ONCE_CHARS) -> None:
        self._done: OrderedDict[tuple[int, int, tuple[object, ...]], tuple[object, object, str]]
        self._done = OrderedDict()
        self._budget = budget
        self._chars = 0

    def __call__(self, macro: Callable[..., str], value: object, *args: object) -> str:
        key = (id(macro), id(value), args)
        done = self._done.get(key)
        if done is not None:
            self._done.move_to_end(key)
            return done[2]
        text = macro(value, *args)
        self._done[key] = (macro, value, text)
        self._chars += len(text)
        while self._chars > self._budget and len(self._done) > 1:
            self._chars -= len(self._done.popitem(last=False)[1][2])
        return text


Formatting = bool | Voucher
"""What a rendered file needs: no formatter (False), the formatter (True), or the formatter
unless the callable vouches that the text is already exactly what black makes of it, or
gives a cheaper way to that text (asked only when the formatting cache has no answer, so unchanged
files cost no check)."""


def planned_files(api: Api, custom_templates: Path | None = None, tests_spec: str = "") -> int:
    """About how many files `render_project` yields, from the IR alone, erring low: every
    template's file, a module per resource and one per model (fewer when models share a
    module); the request-type modules are not counted. It sizes `control.reserve`."""
    templates = _rendered(_walk(template_dirs(custom_templates)), api, tests_spec)

    def nodes(resources: Iterable[Resource]) -> int:
        return sum(1 + nodes(r.children) for r in resources)

    return len(templates) - 1 + nodes(api.resources) + len(api.models)  # - 1: the resource


def _rendered(templates: list[str], api: Api, tests_spec: str) -> list[str]:
    """The templates a project is rendered from: the smoke tests' only for `--tests`, the
    webhooks module only for an API with webhook events."""
    return [
        rel
        for rel in templates
        if not (rel.startswith(TESTS_DIR) and not tests_spec)
        and not (rel == WEBHOOKS_TEMPLATE and api.webhooks is None)
    ]


def render_project(
    api: Api,
    custom_templates: Path | None = None,
    *,
    use_cache: bool = True,
    tests_spec: str = "",
    workers: Pool | None = None,
) -> Iterator[tuple[str, str | bytes, Formatting]]:
    """Yield `(relative path, text, formatting)` for every file of the project; a
    rendered document (not Python) comes as its bytes (`encoded`).

    Verbatim runtime modules are already formatted (a test keeps them black-clean), so
    only rendered Python goes through the formatter. `tests/` is rendered only when
    `tests_spec` names the spec copy the smoke tests run Prism on.
    """
    # Models first: what is not cached is queued on the workers, which run it while this
    # process renders the templates.
    models = start_model_modules(
        api.models, TEMPLATES / "datamodel", use_cache=use_cache, workers=workers
    )
    # A generator of its own: the views and the context die with it, before the model
    # modules come and the files are formatted.
    yield from _templated(api, custom_templates, use_cache, tests_spec)
    modules, locations = models()
    doubts = partial(vouch_model, header=HEADER)
    for stem, module in modules.items():
        # A module exactly in black's layout (decided where it was generated) skips it;
        # another goes to black for the statements the check does not know (`modelparts`).
        yield f"{api.package}/models/{stem}.py", module.source, False if module.clean else doubts
    init = init_module(locations, LINE_LENGTH)
    formatted = init_in_black_layout(locations)
    yield f"{api.package}/models/__init__.py", init, not formatted
    texts, places = param_modules(request_types(api))
    for stem, text in texts.items():
        # Laid out as model modules are: the same check vouches for black's layout.
        yield f"{api.package}/params/{stem}.py", text, doubts
    params_init = init_module(places, LINE_LENGTH, PARAMS_DOC)
    yield f"{api.package}/params/__init__.py", params_init, not init_in_black_layout(places)


def _templated(
    api: Api, custom_templates: Path | None, use_cache: bool, tests_spec: str
) -> Iterator[tuple[str, str | bytes, Formatting]]:
    """Every file rendered from a template or copied verbatim (`render_project`)."""
    dirs = template_dirs(custom_templates)
    env = environment(dirs, use_cache=use_cache)
    context = template_context(api, tests_spec)
    views = resource_views(api)
    memo = RenderMemo(TEMPLATES, enabled=use_cache)
    plain = RenderMemo(TEMPLATES, enabled=False)
    for rel in _rendered(_walk(dirs), api, tests_spec):
        out = rel.replace(PACKAGE_DIR, api.package)
        if rel.endswith(".jinja"):
            out = out[: -len(".jinja")]
            if rel == f"{PACKAGE_DIR}/{RESOURCE_TEMPLATE}":
                template = env.get_template(rel)
                # Only sdkforge's own template is known to be laid out as black lays out.
                own = (
                    Path(template.filename or "").parent.parent
                    == TEMPLATES / "python" / PACKAGE_DIR
                )
                for view in views:
                    path = PurePosixPath(out).with_name(view.resource.module + ".py")
                    text = (memo if own else plain).text(
                        rel, view, partial(template.render, **context, view=view)
                    )
                    yield str(path), text, vouch_rendered if own else True
                continue
            template = env.get_template(rel)
            # `memo(macro, value)` in a template: reused text, for sdkforge's own only.
            own = Path(template.filename or "").is_relative_to(TEMPLATES / "python")
            # `once` keeps what it laid out for as long as the template renders, no longer.
            local = {"memo": (memo if own else plain).macro(rel), "once": _Once()}
            pieces = template.generate(**{**context, **local})
            if out.endswith(".py"):
                yield out, "".join(pieces), True
            else:  # documents, not formatted: their bytes (`encoded`)
                yield out, encoded(pieces), False
        else:
            source = next(d / rel for d in dirs if (d / rel).is_file())
            yield out, source.read_text(encoding="utf-8"), False
