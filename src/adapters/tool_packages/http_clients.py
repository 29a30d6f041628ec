"""One pooled HTTP client per event loop, for code tools that call web APIs.

An ``httpx.AsyncClient`` belongs to the event loop it was first used on, and LiveKit's
``console`` mode runs several jobs as threads of one process, each on its own loop. So
:func:`http_client` keeps one client per running loop (created on first use, never at
import), and the worker closes the loop's client when the job ends by awaiting
:func:`aclose_http_clients` in its shutdown callback.
"""

from __future__ import annotations

import asyncio
import threading
import weakref

import httpx

DEFAULT_TIMEOUT_SECONDS = 8.0
"""The client's own timeout; tools pass a per-request one as well."""

_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=5, keepalive_expiry=30)
_CLIENTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
    weakref.WeakKeyDictionary()
)
_LOCK = threading.Lock()


def http_client() -> httpx.AsyncClient:
    """Return the running event loop's pooled client, opening it on first use.

    It follows no redirects. Pass a ``timeout=`` on every request.

    Raises:
        RuntimeError: When called outside a running event loop.
    """
    loop = asyncio.get_running_loop()
    with _LOCK:
        client = _CLIENTS.get(loop)
        if client is None or client.is_closed:
            client = httpx.AsyncClient(
                timeout=DEFAULT_TIMEOUT_SECONDS, limits=_LIMITS, follow_redirects=False
            )
            _CLIENTS[loop] = client
    return client


async def aclose_http_clients() -> None:
    """Close the running event loop's client, if one was opened (a job shutdown callback).

    Only the loop a client belongs to can close it, so each job awaits this on its own
    loop. A later :func:`http_client` call on the loop opens a new client.
    """
    with _LOCK:
        client = _CLIENTS.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()


async def read_capped(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """Read a streamed response body, up to ``limit`` bytes.

    Args:
        response: A response opened with ``client.stream(...)``.
        limit: The most bytes to keep.

    Returns:
        The body (at most ``limit`` bytes) and whether it was cut short.
    """
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > limit:
            chunks.append(chunk[: limit - size])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False
