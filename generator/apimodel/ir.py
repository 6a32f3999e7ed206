"""The intermediate representation: everything the renderers are allowed to see.

The IR is the contract between the spec-reading half of the pipeline and the code-writing
half. It holds decided names (valid, unique Python identifiers), typed references and
cleaned text, never raw spec dicts, so templates stay free of OpenAPI knowledge and a
template change can never depend on spec details. Everything is frozen and tuples are
sorted or in spec order, so equal specs give equal IRs (determinism by construction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TypeKind = Literal[
    "str",
    "int",
    "float",
    "bool",
    "none",
    "any",
    "file",
    "model",
    "alias",
    "list",
    "map",
    "union",
    "literal",
]


@dataclass(frozen=True)
class TypeRef:
    """A type as the generated code spells it: a small sum type keyed by `kind`.

    `model`/`alias` name a class or type alias in the models package; `literal` holds the
    allowed values (`values`); `list`/`map` wrap one item type; `union` holds members.
    `fmt` keeps the OpenAPI format (date-time, uuid, binary…) for docs and diffs.
    `constraints` keeps the validation keywords of scalars and arrays (minLength, maximum,
    pattern, minItems…) as sorted pairs, so generated smoke tests can send values a
    validating server accepts. They never change the Python type, so they take no part in
    equality: `str` with and without `maxLength` is one union member, one annotation.
    """

    kind: TypeKind
    name: str = ""
    items: tuple[TypeRef, ...] = ()
    values: tuple[str | int | float | bool | None, ...] = ()
    fmt: str = ""
    constraints: tuple[tuple[str, object], ...] = field(default=(), compare=False)

    @property
    def nullable(self) -> bool:
        """True when `None` is one of the accepted values."""
        return self.kind == "none" or (
            self.kind == "union" and any(item.kind == "none" for item in self.items)
        )


@dataclass(frozen=True)
class Field:
    """A property of a model (also used for flattened request-body fields).

    `example` is the property's own `example` (or first `examples` entry); only the docs
    read it, to show realistic values in example responses.
    """

    name: str
    wire_name: str
    type: TypeRef
    required: bool
    description: str = ""
    default: object = None
    has_default: bool = False
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    example: object = None


@dataclass(frozen=True)
class Model:
    """A named schema: an object class, or a type alias (enum, union, primitive)."""

    name: str
    pointer: str
    kind: Literal["object", "alias"]
    description: str = ""
    fields: tuple[Field, ...] = ()
    alias_of: TypeRef | None = None
    open_enum: bool = False
    enum_values: tuple[str | int | float | bool | None, ...] = ()
    example: object = None


@dataclass(frozen=True)
class Parameter:
    """One keyword argument of a generated method and where it goes on the wire."""

    name: str
    wire_name: str
    location: Literal["path", "query", "header", "cookie", "body"]
    type: TypeRef
    required: bool
    description: str = ""
    style: str = ""
    explode: bool | None = None
    deprecated: bool = False
    is_file: bool = False


@dataclass(frozen=True)
class RequestBody:
    """How the body is sent: offered content types and whether its fields are flattened.

    `schema_required` names the flattened fields the first offered media type's schema
    requires. They are optional arguments when the body itself is optional (or another
    media type does without them), but a body sent as that media type must carry them;
    the smoke tests send them.
    """

    content_types: tuple[str, ...]
    flattened: bool
    required: bool
    file_fields: tuple[str, ...] = ()
    multipart_encoding: tuple[tuple[str, str, str, bool | None], ...] = ()
    """The spec's `encoding` per field: `(field, contentType, style, explode)`."""
    description: str = ""
    schema_required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    """What a successful call returns and how the runtime must read it."""

    type: TypeRef
    kind: Literal["json", "text", "binary", "empty", "sse"]
    status_codes: tuple[str, ...] = ()
    content_type: str = ""
    example: object = None


@dataclass(frozen=True)
class Pagination:
    """How a list operation pages: the scheme and the names it reads and sends.

    Field names are wire names; `items` is "" when the body itself is the list. What each
    scheme reads is the runtime's `Paging` (templates/RUNTIME.md): `cursor_id` sends the
    last item's `id_field` back as `cursor_param` while `has_more`; `cursor` sends the
    response's `next_cursor`; `offset` and `page` count; `next_url` follows a URL in the
    body, `link` the `Link` header; `single` is one page that is a list all the same.
    """

    scheme: Literal["single", "cursor_id", "cursor", "offset", "page", "next_url", "link"]
    items: str
    item_type: TypeRef
    has_more: str = ""
    cursor_param: str = ""
    id_field: str = "id"
    next_cursor: str = ""
    offset_param: str = ""
    limit_param: str = ""
    total: str = ""
    page_param: str = ""
    total_pages: str = ""
    next_url: str = ""

    @property
    def page_class(self) -> str:
        """The runtime's page class, without its `Sync`/`Async` prefix."""
        return {
            "single": "Page",
            "cursor_id": "CursorPage",
            "cursor": "NextCursorPage",
            "offset": "OffsetPage",
            "page": "PageNumberPage",
        }.get(self.scheme, "NextURLPage")


@dataclass(frozen=True)
class ResponseChoice:
    """The request argument that says which form of a union response comes back:
    `response_format="verbose_json"` answers `...ResponseVerboseJson`."""

    param: str
    """The argument's Python name."""
    arms: tuple[tuple[str, TypeRef], ...]
    """Each value the argument may take that names an arm, with that arm."""


@dataclass(frozen=True)
class Operation:
    """One API operation as one method on one resource."""

    name: str
    http_method: str
    path: str
    operation_id: str
    pointer: str
    summary: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    positional: int = 0
    """How many of `parameters` (the path's, in path order) are positional arguments;
    the rest are keyword-only."""
    body: RequestBody | None = None
    response: Response = field(default_factory=lambda: Response(TypeRef("none"), "empty"))
    security: tuple[tuple[str, ...], ...] = ()
    deprecated: bool = False
    pagination: Pagination | None = None
    """Set for a list operation whose pages the method iterates across."""
    stream_chunk: TypeRef | None = None
    """Set when a boolean `stream` argument switches the answer from the JSON `response`
    to a `text/event-stream` of these (`stream=True` → `Stream[Chunk]`)."""
    response_choice: ResponseChoice | None = None
    """Set when an argument's value picks the arm of a union response (`choices`)."""


@dataclass(frozen=True)
class Resource:
    """A group of operations exposed as `client.<name>`; resources nest."""

    name: str
    class_name: str
    module: str
    operations: tuple[Operation, ...] = ()
    children: tuple[Resource, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class SecurityScheme:
    """An auth scheme the client can be configured with.

    `args` are the client constructor arguments that carry the credentials (`api_key` for
    the first bearer/apiKey scheme; username/password; client_id/client_secret), `envs` the
    environment variables read when they are omitted, pairwise.
    """

    name: str
    kind: Literal["bearer", "basic", "apiKey", "oauth2"]
    args: tuple[str, ...]
    envs: tuple[str, ...]
    location: str = ""
    param_name: str = ""
    token_url: str = ""
    scopes: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class WebhookEvent:
    """One event the API may deliver to the user's server (`webhooks` of 3.1, or config).

    `event_type` is the value of the payload's discriminator field (`batch.completed`),
    "" when the payload has no such single-valued field.
    """

    name: str
    type: TypeRef
    event_type: str
    pointer: str
    description: str = ""


@dataclass(frozen=True)
class Webhooks:
    """`client.webhooks`: verifying deliveries and reading them as the event union.

    `discriminator` is the Python name of the field that tells events apart, set when
    every event is a model with a distinct single value there (a tagged union), else "".
    """

    events: tuple[WebhookEvent, ...]
    union_name: str
    accessor: str
    secret_arg: str
    secret_env: str
    scheme: Literal["standard", "hmac_sha256_hex"] = "standard"
    header: str = "X-Hub-Signature-256"
    prefix: str = "sha256="
    discriminator: str = ""


@dataclass(frozen=True)
class ClientOption:
    """An extra constructor argument (config `client_options`), sent on every request as a
    header (or query parameter), read from `env` when not passed."""

    name: str
    header: str
    query: str
    env: str
    description: str = ""


@dataclass(frozen=True)
class Api:
    """The whole client: package identity, configuration, resources and models."""

    package: str
    project_name: str
    title: str
    version: str
    description: str
    base_url: str
    base_url_env: str
    log_env: str
    resources: tuple[Resource, ...]
    models: tuple[Model, ...]
    security_schemes: tuple[SecurityScheme, ...] = ()
    default_security: tuple[tuple[str, ...], ...] = ()
    client_name: str = "Client"
    nested_style: Literal["openapi", "brackets"] = "openapi"
    """How multipart and form bodies send nested objects and arrays (config)."""
    license: str = ""
    """The generated project's license: a canonical SPDX expression, or "" for none."""
    project_urls: tuple[tuple[str, str], ...] = ()
    """`(label, http(s) URL)` pairs for the project's metadata (contact, docs, terms)."""
    webhooks: Webhooks | None = None
    client_options: tuple[ClientOption, ...] = ()
    error_envelope: str = ""
    """The property the API's error bodies wrap the error object in (`error`), or ""."""
    error_fields: tuple[str, ...] = ()
    """That error object's field names (`code`, `message`, `param`, `type`)."""

    def all_operations(self) -> list[tuple[tuple[Resource, ...], Operation]]:
        """Every operation with the resource path leading to it, in client order."""
        out: list[tuple[tuple[Resource, ...], Operation]] = []

        def walk(res: Resource, trail: tuple[Resource, ...]) -> None:
            here = (*trail, res)
            out.extend((here, op) for op in res.operations)
            for child in res.children:
                walk(child, here)

        for res in self.resources:
            walk(res, ())
        return out
