"""The platform as tool code sees it: the one import for authors of ``python`` tools.

Everything here works while a platform tool call runs (a code tool or a handler run by
the Python executor) and raises ``LookupError`` anywhere else::

    from livekit.agents import function_tool
    from tool_platform import ToolFailure, config, http_client, read_capped, secret

    @function_tool
    async def lookup(customer_id: str) -> str:
        base_url = config()["api_base_url"]            # this binding's config
        token = secret("api_key")                      # this binding's secret
        async with http_client().stream("GET", f"{base_url}/c/{customer_id}",
                                        headers={"Authorization": f"Bearer {token}"},
                                        timeout=5) as response:
            body, cut = await read_capped(response, 65_536)
        if response.status_code != 200:
            raise ToolFailure(f"the CRM answered {response.status_code}")
        return body.decode()

A schema-defined tool's handler is ``async def handler(arguments: JsonObject, injection:
ConfigInjection) -> JsonValue``; those types are here for its signature.
``docs/writing-tools.md`` is the guide. Nothing else of the platform is public to tools.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from adapters.http.reading import read_capped
from adapters.tool_context import current_http_client, current_injection
from domain.call_status import CallStatus
from domain.errors import ToolFailure
from domain.http_statuses import call_status_for_http
from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue
from domain.scrubbing import scrub

__all__ = [
    "CallStatus",
    "ConfigInjection",
    "JsonObject",
    "JsonValue",
    "ToolFailure",
    "call_status_for_http",
    "config",
    "http_client",
    "read_capped",
    "redact",
    "secret",
]


def secret(name: str) -> str:
    """Return the value of the calling binding's secret ``name``.

    Raises:
        LookupError: When no platform tool call is running here.
        NotFound: When the binding has no such secret (the message names only names).
    """
    return current_injection().secret(name)


def redact(text: str) -> str:
    """Return ``text`` with every secret value of the calling binding replaced by ``********``.

    For quoting an upstream's message in a ``ToolFailure``: an upstream that echoes the
    credential it was sent must not make the tool repeat it. JSON-escaped forms are found
    too.

    Raises:
        LookupError: When no platform tool call is running here.
    """
    return scrub(text, current_injection().secret_values())


def config() -> Mapping[str, Any]:
    """Return the calling binding's config, with the tool's defaults applied (read-only).

    Raises:
        LookupError: When no platform tool call is running here.
    """
    return current_injection().config


def http_client() -> httpx.AsyncClient:
    """Return the session's pooled HTTP client; pass a ``timeout=`` on every request.

    Every request goes through the outbound guard (a refused address raises a
    ``ToolFailure``: let it propagate); it follows up to five redirects, each checked,
    and keeps no cookies between requests. Never build a client of your own: this one
    is closed when the session ends.

    Raises:
        LookupError: When no platform tool call is running here.
    """
    return current_http_client()
