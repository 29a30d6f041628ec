"""``HttpClientPool``: one pooled HTTP client per lifecycle, opened on first use.

An ``httpx.AsyncClient`` belongs to the event loop it was first used on, and LiveKit's
``console`` mode runs several jobs as threads of one process, each on its own loop. So a
pool is made by a lifecycle (a CLI command, a worker job, the demo), opens its client
when a tool first asks for it, and is closed when that lifecycle ends
(``entrypoints/lifespan.py``). Nothing is opened at import or construction.
"""

from __future__ import annotations

import httpx

DEFAULT_TIMEOUT_SECONDS = 8.0
"""The client's own timeout; tools pass a per-request one as well."""

_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=5, keepalive_expiry=30)


class HttpClientPool:
    """Holds one pooled ``httpx.AsyncClient``; it follows no redirects."""

    def __init__(self) -> None:
        self._client: httpx.AsyncClient | None = None

    def client(self) -> httpx.AsyncClient:
        """Return the pooled client, opening it on first use (again after :meth:`aclose`)."""
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(
                timeout=DEFAULT_TIMEOUT_SECONDS, limits=_LIMITS, follow_redirects=False
            )
        return self._client

    async def aclose(self) -> None:
        """Close the client, if one was opened."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()
