"""Opt-in logging with credential redaction.

Logging is off unless the package's ``LOG_ENV_VAR`` is set to ``debug`` or
``info``, because request logs are noisy and can be sensitive. Everything logged
goes through :class:`Redactor` so API keys, tokens and cookies never reach logs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping

import httpx

from ._version import LOG_ENV_VAR, __title__

__all__ = [
    "REDACTED",
    "Redactor",
    "is_sensitive_name",
    "log_request",
    "log_response",
    "log_retry",
    "logger",
    "redact_http_library_logs",
    "setup_logging",
]

logger: logging.Logger = logging.getLogger(__title__)
REDACTED = "***"

_SENSITIVE_EXACT = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_SENSITIVE_PARTS = ("api-key", "api_key", "apikey", "token", "secret", "password")


def is_sensitive_name(name: str) -> bool:
    """Whether a header or query parameter name conventionally carries a secret."""
    lowered = name.lower()
    return lowered in _SENSITIVE_EXACT or any(part in lowered for part in _SENSITIVE_PARTS)


class Redactor:
    """Hides secrets by name (headers/query keys) and by value (known credentials).

    Value-based redaction catches credentials placed under innocuous names,
    e.g. an API key sent as the query parameter ``key``.
    """

    def __init__(self, secrets: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        # Longest first so a secret containing another secret is hidden whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)
        self._names = frozenset(n.lower() for n in names)

    def _sensitive(self, name: str) -> bool:
        return is_sensitive_name(name) or name.lower() in self._names

    def text(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, REDACTED)
        return value

    def headers(self, headers: Mapping[str, str] | httpx.Headers) -> dict[str, str]:
        return {k: REDACTED if self._sensitive(k) else self.text(v) for k, v in headers.items()}

    def url(self, url: httpx.URL | str) -> str:
        url = httpx.URL(url) if isinstance(url, str) else url
        if not url.query:
            return self.text(str(url))
        pairs = [(k, REDACTED if self._sensitive(k) else v) for k, v in url.params.multi_items()]
        return self.text(str(url.copy_with(params=pairs)))


def setup_logging() -> None:
    """Configure the package logger from the environment (idempotent)."""
    level = os.environ.get(LOG_ENV_VAR, "").strip().lower()
    if level not in ("debug", "info"):
        return
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s")
        )
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if level == "debug" else logging.INFO)


# httpx logs every request URL at INFO ("HTTP Request: GET https://...?key=..."), which
# shows an API key sent as a query parameter to anyone who turns logging on.
_HTTP_LOGGERS = ("httpx", "httpcore.connection", "httpcore.http11", "httpcore.http2")
_known_secrets: set[str] = set()


class _RedactingFilter(logging.Filter):
    """Rewrites a record of the HTTP libraries when it contains a known credential."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _known_secrets:
            message = record.getMessage()
            redacted = Redactor(_known_secrets).text(message)
            if redacted != message:
                record.msg, record.args = redacted, None
        return True


def redact_http_library_logs(secrets: Iterable[str]) -> None:
    """Hide these credentials in httpx's and httpcore's own log records too (idempotent)."""
    _known_secrets.update(s for s in secrets if len(s) >= 4)
    for name in _HTTP_LOGGERS:
        http_logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactingFilter) for f in http_logger.filters):
            http_logger.addFilter(_RedactingFilter())


def log_request(redactor: Callable[[], Redactor], request: httpx.Request, retries: int) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        r = redactor()
        logger.debug(
            "Request: %s %s headers=%s retries_taken=%d",
            request.method,
            r.url(request.url),
            r.headers(request.headers),
            retries,
        )


def log_response(redactor: Callable[[], Redactor], response: httpx.Response) -> None:
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            'HTTP Request: %s %s "%d %s"',
            response.request.method,
            redactor().url(response.request.url),
            response.status_code,
            response.reason_phrase,
        )


def log_retry(redactor: Callable[[], Redactor], url: httpx.URL, delay: float) -> None:
    logger.info("Retrying request to %s in %.3f seconds", redactor().url(url), delay)
