"""Small helpers: type guards for JSON-like data and the retry policy.

The type guards let the strict type checkers follow ``isinstance`` checks on
untyped JSON without sprinkling casts through the encoders. The retry policy is
kept as pure functions so it can be tested without any I/O.
"""

from __future__ import annotations

import email.utils
import random
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeGuard

import httpx

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "is_dict",
    "is_list",
    "is_mapping",
    "parse_retry_after",
    "retry_delay",
    "should_retry",
]

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0


def is_mapping(value: object) -> TypeGuard[Mapping[str, object]]:
    return isinstance(value, Mapping)


def is_model(value: object) -> TypeGuard[BaseModel]:
    """True for pydantic models, without importing pydantic.

    No model can exist before pydantic is loaded, so `import <package>` and building a
    client stay free of pydantic's import cost until a response is parsed.
    """
    base = _BASE_MODEL[0]
    if base is None:
        if "pydantic" not in sys.modules:
            return False
        from pydantic import BaseModel

        base = _BASE_MODEL[0] = BaseModel
    return isinstance(value, base)


_BASE_MODEL: list[type[BaseModel] | None] = [None]  # found once pydantic is loaded


def is_dict(value: object) -> TypeGuard[dict[str, object]]:
    return isinstance(value, dict)


def is_list(value: object) -> TypeGuard[list[object]]:
    return isinstance(value, list)


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds requested by ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        return float(lowered["retry-after-ms"]) / 1000
    except (KeyError, ValueError):
        pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - (time.time() if now is None else now)


def retry_delay(
    retries_taken: int,
    headers: Mapping[str, str] | None = None,
    *,
    rand: Callable[[], float] = random.random,
    now: float | None = None,
) -> float:
    """Seconds to wait before retry number ``retries_taken + 1``.

    A server-requested delay in (0, 60] s wins; otherwise 0.5 s doubling per
    retry, capped at 8 s, minus up to 25 % jitter so clients do not retry in
    lockstep.
    """
    requested = parse_retry_after(headers, now) if headers is not None else None
    if requested is not None and 0 < requested <= MAX_RETRY_AFTER:
        return requested
    backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * rand())


def should_retry(response: httpx.Response) -> bool:
    """``x-should-retry`` from the server wins; else 408, 409, 429 and 5xx retry."""
    override = str(response.headers.get("x-should-retry", "")).lower()
    if override in ("true", "false"):
        return override == "true"
    return response.status_code in (408, 409, 429) or response.status_code >= 500
