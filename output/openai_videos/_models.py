"""Response models and lenient response parsing.

APIs evolve faster than SDKs: a new enum value, an added field or a field that
is briefly missing must not make a deployed client crash. ``construct_type``
therefore validates normally first and, only if that fails, builds the value by
following the annotation without validating, keeping whatever the server sent.
"""

from __future__ import annotations

import enum
import functools
import inspect
import json
import types
import typing
from collections import abc
from collections.abc import Mapping
from typing import Any, Literal, TypeGuard, TypeVar, Union, cast

import pydantic
from pydantic import ConfigDict
from pydantic.fields import FieldInfo

from ._utils import is_list, is_mapping

__all__ = ["BaseModel", "construct_type", "is_event_envelope"]

_NoneType = type(None)
_ModelT = TypeVar("_ModelT", bound="BaseModel")
_SEQUENCES: tuple[object, ...] = (list, set, frozenset, tuple, abc.Sequence, abc.MutableSequence)
_MAPPINGS: tuple[object, ...] = (dict, abc.Mapping, abc.MutableMapping)


class BaseModel(pydantic.BaseModel):
    """Base class of every generated model: tolerant of unknown fields."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        arbitrary_types_allowed=False,
    )
    _request_id: str | None = None
    """The ``x-request-id`` header of the response this object was read from (for support
    requests and logs); ``None`` for nested objects and when the server sent none."""

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_none: bool = False,
    ) -> dict[str, object]:
        """The model as a dict keyed by wire names, with only the fields the API sent."""
        return self.model_dump(
            mode=mode,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_none=exclude_none,
            warnings=False,
        )

    def to_json(self, *, indent: int | None = 2, use_api_names: bool = True) -> str:
        """JSON text of :meth:`to_dict` (``mode="json"``)."""
        return json.dumps(self.to_dict(mode="json", use_api_names=use_api_names), indent=indent)

    @classmethod
    def construct_lenient(cls: type[_ModelT], data: Mapping[str, object]) -> _ModelT:
        """Build an instance without validation, constructing nested values leniently."""
        values: dict[str, object] = {}
        fields_set: set[str] = set()
        remaining = dict(data)
        for name, info in cls.model_fields.items():
            key = info.alias if info.alias is not None and info.alias in remaining else name
            if key not in remaining:
                continue
            raw = remaining.pop(key)
            values[name] = construct_type(raw, _field_type(info))
            fields_set.add(name)
        for name, info in cls.model_fields.items():
            if name not in values:
                # A field the answer left out reads as its default, or None when it has
                # none (required, yet missing): reading it never raises (the official
                # SDK's choice too). It stays out of `model_fields_set`.
                required = info.is_required()
                values[name] = None if required else info.get_default(call_default_factory=True)
        obj = cls.__new__(cls)
        object.__setattr__(obj, "__dict__", values)
        object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
        object.__setattr__(obj, "__pydantic_private__", None)
        extra = remaining if cls.model_config.get("extra") == "allow" else None
        object.__setattr__(obj, "__pydantic_extra__", extra)
        return obj


def _field_type(info: FieldInfo) -> object:
    """The field's annotation with its metadata (e.g. a discriminator) re-attached."""
    if info.discriminator is not None:
        return typing.Annotated[info.annotation, pydantic.Field(discriminator=info.discriminator)]
    return info.annotation


@functools.lru_cache(maxsize=512)
def _adapter(type_: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(type_)


def _validate(value: object, type_: object) -> tuple[bool, object]:
    if _is_model(type_):
        # The class's own validator: built once, with the class (a TypeAdapter of a model
        # using a discriminated union fails to build on pydantic 2.0).
        try:
            return True, type_.model_validate(value)
        except (pydantic.ValidationError, TypeError, ValueError):
            return False, None
    try:
        try:
            adapter = _adapter(type_)
        except TypeError:  # unhashable annotation: build an uncached adapter
            adapter = pydantic.TypeAdapter[Any](cast(Any, type_))
    except Exception:  # no schema for it (on some pydantic): build it leniently instead
        return False, None
    try:
        result: object = adapter.validate_python(value)
        return True, result
    except (pydantic.ValidationError, TypeError, ValueError):
        return False, None


def construct_type(value: object, type_: object) -> object:
    """Parse ``value`` as ``type_``; never raises, keeps raw data it cannot place."""
    ok, validated = _validate(value, type_)
    if ok:
        if isinstance(validated, pydantic.BaseModel) and is_mapping(value):
            # A union arm that validated only by ignoring keys another arm knows: the arm
            # that knows the data best is built instead (`_construct_union`).
            known = _known_keys(type(validated), value)
            if any(_known_keys(arm, value) > known for arm in _union_arms(type_)):
                try:
                    return _construct(value, type_)
                except Exception:
                    return validated
        return validated
    try:
        return _construct(value, type_)
    except Exception:  # leniency is the contract: fall back to the raw value
        return value


def _discriminator(metadata: tuple[Any, ...]) -> str | None:
    for item in metadata:
        disc = getattr(item, "discriminator", None)
        if isinstance(disc, str):
            return disc
    return None


def _model_tag_values(
    model: type[pydantic.BaseModel], field: str
) -> tuple[str | None, list[object]]:
    for name, info in model.model_fields.items():
        if name == field or info.alias == field:
            ann = info.annotation
            if typing.get_origin(ann) is Literal:
                return info.alias or name, list(typing.get_args(ann))
    return None, []


def _construct_union(value: object, arms: tuple[Any, ...], discriminator: str | None) -> object:
    if value is None and _NoneType in arms:
        return None
    models = [a for a in arms if _is_model(a)]
    if is_mapping(value) and models:
        data = value
        if discriminator is not None:
            for model in models:
                key, tags = _model_tag_values(model, discriminator)
                if key is not None and data.get(key) in tags:
                    return _construct(value, model)
        # The arm that knows the most of the data's keys wins, validated when it validates,
        # else built leniently: an arm that validates only by ignoring keys would lose them
        # (`{"text", "words", ...}` missing a field the verbose form requires must not
        # become the plain form, dropping `words`).
        best = max(models, key=lambda m: _known_keys(m, data))
        most = _known_keys(best, data)
        for arm in arms:
            if _known_keys(arm, data) == most:
                ok, checked = _validate(value, arm)
                if ok:
                    return checked
        return _construct(value, best)
    for arm in arms:
        ok, validated = _validate(value, arm)
        if ok:
            return validated
    # No arm validates: the first arm of the value's shape is built leniently, so that a
    # list of models missing a field (`Optional[List[Thing]]`) keeps its models.
    kinds = ("list",) if is_list(value) else ("map", "model") if is_mapping(value) else ()
    fitting = [a for a in arms if _shape(a) in kinds] + [a for a in arms if _shape(a) == "union"]
    return _construct(value, fitting[0]) if kinds and fitting else value


def _is_class(type_: object) -> TypeGuard[type[Any]]:
    """A real class. `list[X]` passes `inspect.isclass` on Python 3.10 (a generic alias
    forwards `__class__` to its origin) yet `issubclass` refuses it."""
    return inspect.isclass(type_) and not isinstance(type_, types.GenericAlias)


def _is_model(type_: object) -> TypeGuard[type[pydantic.BaseModel]]:
    return _is_class(type_) and issubclass(type_, pydantic.BaseModel)


def _shape(type_: object) -> str:
    """What an annotation holds once aliases and metadata are unwrapped: "model",
    "list", "map", "union", or "" (a scalar, a literal, anything else)."""
    while True:
        if type(type_).__name__ == "TypeAliasType" and hasattr(type_, "__value__"):
            type_ = cast(Any, type_).__value__
        elif typing.get_origin(type_) is typing.Annotated:
            type_ = typing.get_args(type_)[0]
        else:
            break
    origin = typing.get_origin(type_)
    if origin in (Union, types.UnionType):
        return "union"
    if origin in _SEQUENCES:
        return "list"
    if origin in _MAPPINGS:
        return "map"
    return "model" if _is_model(type_) else ""


@functools.lru_cache(maxsize=512)
def _arms_of(type_: object) -> tuple[Any, ...]:
    origin = typing.get_origin(type_)
    if origin is typing.Annotated:
        return _arms_of(typing.get_args(type_)[0])
    if type(type_).__name__ == "TypeAliasType" and hasattr(type_, "__value__"):
        return _arms_of(cast(Any, type_).__value__)
    if origin in (Union, types.UnionType):
        return tuple(a for a in typing.get_args(type_) if _is_class(a))
    return ()


def _union_arms(type_: object) -> tuple[Any, ...]:
    """The class arms of ``type_`` when it is (an alias of) a union, else none."""
    try:
        return _arms_of(type_)
    except TypeError:  # unhashable annotation
        return ()


def _known_keys(arm: object, data: Mapping[str, object]) -> int:
    """How many of the data's keys a model arm has a field for (0 for other arms)."""
    if not _is_model(arm):
        return 0
    return sum(1 for n, f in arm.model_fields.items() if (f.alias or n) in data or n in data)


def _construct(value: object, type_: object) -> object:
    origin = typing.get_origin(type_)
    args = typing.get_args(type_)
    if type(type_).__name__ == "TypeAliasType" and hasattr(type_, "__value__"):
        return construct_type(value, cast(Any, type_).__value__)
    if origin is typing.Annotated:
        inner, *meta = args
        if typing.get_origin(inner) in (Union, types.UnionType):
            return _construct_union(value, typing.get_args(inner), _discriminator(tuple(meta)))
        return construct_type(value, inner)
    if origin in (Union, types.UnionType):
        return _construct_union(value, args, None)
    if type_ is Any or type_ is object or origin is Literal:
        return value  # an unknown literal is kept as-is
    if origin in _SEQUENCES:
        if is_list(value):
            items = value
            if origin is tuple and args and args[-1] is not Ellipsis:
                head = [construct_type(v, t) for v, t in zip(items, args, strict=False)]
                return head + items[len(args) :]
            item_type = args[0] if args else Any
            return [construct_type(v, item_type) for v in items]
        return value
    if origin in _MAPPINGS:
        if is_mapping(value) and len(args) == 2:
            return {k: construct_type(v, args[1]) for k, v in value.items()}
        return value
    if _is_class(type_):
        if issubclass(type_, pydantic.BaseModel):
            if is_mapping(value):
                if issubclass(type_, BaseModel):
                    return type_.construct_lenient(value)
                return type_.model_construct(None, **cast("dict[str, Any]", dict(value)))
            return value
        if issubclass(type_, enum.Enum):
            try:
                return type_(value)
            except ValueError:
                return value
        if type_ is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value
    return value


def _model_arms(type_: object) -> list[object]:
    """The alternatives of a (possibly aliased, annotated, optional) union."""
    if type(type_).__name__ == "TypeAliasType" and hasattr(type_, "__value__"):
        return _model_arms(cast(Any, type_).__value__)
    origin = typing.get_origin(type_)
    if origin is typing.Annotated:
        return _model_arms(typing.get_args(type_)[0])
    if origin in (Union, types.UnionType):
        return [a for arg in typing.get_args(type_) for a in _model_arms(arg)]
    return [] if type_ is _NoneType else [type_]


@functools.lru_cache(maxsize=256)
def _envelope(type_: Any) -> bool:
    arms = _model_arms(type_)
    for arm in arms:
        if not _is_model(arm):
            return False
        names = {info.alias or name for name, info in arm.model_fields.items()}
        if not {"event", "data"} <= names:
            return False
    return bool(arms)


def is_event_envelope(type_: object) -> bool:
    """Whether a stream's event type wraps each SSE as ``{"event": name, "data": ...}``
    (every alternative is a model with both fields, as OpenAI's assistant stream events)."""
    try:
        return _envelope(type_)
    except TypeError:  # unhashable annotation
        return False
