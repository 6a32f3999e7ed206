"""Webhook events → the IR's `Webhooks` (what `client.webhooks.unwrap` can return).

An API that calls the user's server declares those calls under `webhooks` (OpenAPI 3.1),
under the common `x-webhooks` extension (3.0), or not at all, in which case the config's
`webhooks.events` names the payload schemas. Each event's payload is typed like any
other schema (a model), and when every payload carries its own distinct constant in the
discriminator field (`type: Literal["batch.completed"]`), the union of them is a tagged
union, so reading an event never guesses.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal

from sdkforge.apimodel import naming
from sdkforge.apimodel.ir import SecurityScheme, TypeRef, WebhookEvent, Webhooks
from sdkforge.apimodel.responses import pick_media
from sdkforge.apimodel.schemas import SchemaRegistry
from sdkforge.apimodel.typerefs import as_text
from sdkforge.config import Config
from sdkforge.diagnostics import Diagnostic, error, join_pointer, warning

_METHODS = ("post", "put", "patch", "get", "delete")
UNION_NAME = "UnwrapWebhookEvent"


def build_webhooks(
    registry: SchemaRegistry,
    doc: Mapping[str, Any],
    config: Config,
    package: str,
    schemes: tuple[SecurityScheme, ...],
    resources: Collection[str],
) -> tuple[Webhooks | None, list[Diagnostic]]:
    """The client's webhooks, or None when neither the spec nor the config has events."""
    diags: list[Diagnostic] = []
    events = list(_spec_events(registry, doc, diags))
    events += _config_events(registry, config, diags)
    if any(d.severity == "error" for d in diags):
        return None, diags
    if not events:
        return None, diags
    wh = config.webhooks
    discriminator = wh.discriminator
    events = [_with_event_type(registry, e, discriminator) for e in events]
    members: dict[TypeRef, str] = {}
    for e in events:
        members.setdefault(e.type, e.event_type)
    values = list(members.values())
    tagged = all(
        t.kind == "model" and v for t, v in members.items()
    ) and len(set(values)) == len(values)
    first = registry.models.get(events[0].type.name) if tagged else None
    tag_field = next(
        (f.name for f in first.fields if f.wire_name == discriminator) if first else iter(()), ""
    )
    accessor = "webhooks" if "webhooks" not in resources else "webhook_events"
    if accessor != "webhooks":
        diags.append(
            warning(
                "a resource is named 'webhooks'; webhook verification is client.webhook_events",
                file=registry.file,
                pointer="#/webhooks",
            )
        )
    credential_args = {a for s in schemes for a in s.args}
    secret_arg = "webhook_secret" if "webhook_secret" not in credential_args else "signing_secret"
    scheme: Literal["standard", "hmac_sha256_hex"] = (
        "hmac_sha256_hex" if wh.signature == "hmac_sha256_hex" else "standard"
    )
    return (
        Webhooks(
            events=tuple(events),
            union_name=UNION_NAME,
            accessor=accessor,
            secret_arg=secret_arg,
            secret_env=wh.secret_env or naming.constant(package) + "_WEBHOOK_SECRET",
            scheme=scheme,
            header=wh.header,
            prefix=wh.prefix,
            discriminator=tag_field if tagged and len(members) > 1 else "",
        ),
        diags,
    )


def _spec_events(
    registry: SchemaRegistry, doc: Mapping[str, Any], diags: list[Diagnostic]
) -> list[WebhookEvent]:
    out: list[WebhookEvent] = []
    for section in ("webhooks", "x-webhooks"):
        entries = doc.get(section)
        if not isinstance(entries, Mapping):
            continue
        for name, raw in entries.items():
            item = registry.deref(raw)
            pointer = join_pointer("#", section, name)
            found = _payload(registry, item, pointer) if isinstance(item, Mapping) else None
            if found is None:
                diags.append(
                    warning(
                        f"webhook {name!r} declares no JSON payload; unwrap() cannot return it",
                        file=registry.file,
                        pointer=pointer,
                    )
                )
                continue
            schema, schema_pointer, description = found
            context = naming.class_name(str(name)) + "WebhookEvent"
            t = registry.type_of(schema, context, schema_pointer)
            out.append(WebhookEvent(str(name), t, "", schema_pointer, description))
    return out


def _payload(
    registry: SchemaRegistry, item: Mapping[str, Any], pointer: str
) -> tuple[object, str, str] | None:
    """The JSON request body schema of a webhook's first operation that has one."""
    for method in _METHODS:
        op = item.get(method)
        if not isinstance(op, Mapping):
            continue
        body = registry.deref(op.get("requestBody"))
        content = body.get("content") if isinstance(body, Mapping) else None
        if not isinstance(content, Mapping) or not content:
            continue
        media, obj = pick_media(content)
        if not isinstance(obj, Mapping) or "schema" not in obj:
            continue
        description = as_text(op.get("description") or op.get("summary"))
        where = join_pointer(pointer, method, "requestBody", "content", media, "schema")
        return obj["schema"], where, description
    return None


def _config_events(
    registry: SchemaRegistry, config: Config, diags: list[Diagnostic]
) -> list[WebhookEvent]:
    out: list[WebhookEvent] = []
    for name, ref in config.webhooks.events.items():
        pointer = f"/webhooks/events/{name}"
        if registry.lookup(ref) is None:
            diags.append(
                error(
                    f"webhooks.events: {name!r} names {ref!r}, which the spec does not have",
                    file=config.source,
                    line=config.lines.get(pointer, 0),
                    pointer=pointer,
                    hint="a schema under components/schemas, e.g. '#/components/schemas/Event'",
                )
            )
            continue
        t = registry.type_of({"$ref": ref}, naming.class_name(name) + "WebhookEvent", ref)
        out.append(WebhookEvent(name, t, "", ref))
    return out


def _with_event_type(
    registry: SchemaRegistry, event: WebhookEvent, discriminator: str
) -> WebhookEvent:
    """The event with the constant its payload holds in the discriminator field, if any."""
    model = registry.models.get(event.type.name) if event.type.kind == "model" else None
    value = ""
    for f in model.fields if model is not None else ():
        t = f.type
        one = t.kind == "literal" and len(t.values) == 1 and isinstance(t.values[0], str)
        if f.wire_name == discriminator and f.required and one:
            value = str(t.values[0])
    description = event.description or (model.description if model is not None else "")
    return WebhookEvent(event.name, event.type, value, event.pointer, description)
