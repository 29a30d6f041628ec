"""Keeping secrets out of the HTTP libraries' own log records.

A tool's URL may carry a secret in a path segment or a query value, and an upstream may
echo a credential in a response header. httpx and httpx2 log every request's full URL
at INFO; httpcore and httpcore2 log response headers in their DEBUG traces. So, when the
platform builds a client: the httpx loggers get a filter that cuts each URL down to its
origin, and the httpcore loggers log nothing below INFO (an operator's higher level
stays). The MCP SDK's client logs every JSON-RPC message it sends and receives at DEBUG
(a server's answer may echo a credential): each of its loggers gets a filter that drops
records below INFO, whatever level is set on it. No secret reaches a log record at any
level.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

_URL_ARGUMENT = 1
"""httpx logs ``'HTTP Request: %s %s "%s %d %s"'``: method, URL, version, status, reason."""


class _OriginOnly(logging.Filter):
    """Replaces the URL of httpx's request log records with its origin."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) > _URL_ARGUMENT:
            parts = urlsplit(str(record.args[_URL_ARGUMENT]))
            origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/..."
            record.args = (*record.args[:_URL_ARGUMENT], origin, *record.args[_URL_ARGUMENT + 1 :])
        return True


class _InfoAndAbove(logging.Filter):
    """Drops the records below INFO of the logger it is added to."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO


_FILTER = _OriginOnly()
_QUIET = _InfoAndAbove()
_MCP_LOGGERS = ("mcp.client", "mcp.shared")
"""The MCP SDK's client-side modules (their loggers exist once they are imported)."""


def keep_secrets_out_of_http_logs() -> None:
    """Filter httpx's request lines, silence httpcore's traces and MCP's dumps (idempotent)."""
    for name in ("httpx", "httpx2"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    for name, known in list(logging.root.manager.loggerDict.items()):
        if (
            name.startswith(_MCP_LOGGERS)
            and isinstance(known, logging.Logger)
            and _QUIET not in known.filters
        ):
            known.addFilter(_QUIET)
    for name in ("httpcore", "httpcore2"):
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:  # setLevel clears every logger's cache: not each time
            logger.setLevel(logging.INFO)
