"""``HttpClientPool``: one pooled, guarded HTTP client per lifecycle, opened on first use.

An ``httpx.AsyncClient`` belongs to the event loop it was first used on, and LiveKit's
``console`` mode runs several jobs as threads of one process, each on its own loop. So a
pool is made by a lifecycle (a CLI command, a worker job, the demo), opens its client
when a tool first asks for it, and is closed when that lifecycle ends
(``entrypoints/lifespan.py``). Nothing is opened at import or construction.

This module is the one place the platform builds an HTTP client: every request it
sends for a tool goes through the outbound guard (``docs/outbound.md``).
"""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy

import aiohttp
import httpx
import httpx2

from adapters.http.client import MAX_REDIRECTS, GuardedClient
from adapters.http.guard import OutboundGuard
from adapters.http.log_hygiene import keep_secrets_out_of_http_logs
from adapters.http.mcp_clients import GuardedMcpTransport
from adapters.http.sessions import GuardedResolver
from adapters.http.transport import GuardedTransport

DEFAULT_TIMEOUT_SECONDS = 8.0
"""The client's own timeout; tools pass a per-request one as well."""

_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=5, keepalive_expiry=30)
_MCP_LIMITS = httpx2.Limits(max_connections=20, max_keepalive_connections=5, keepalive_expiry=30)
MCP_TIMEOUT = httpx2.Timeout(30.0, read=300.0)
"""The MCP SDK's own default: 30 s, and 300 s to read (a server holds event streams open)."""


def per_operation(seconds: float) -> aiohttp.ClientTimeout:
    """An aiohttp timeout as httpx's ``timeout=seconds``: to connect, and for each read.

    Not a total: a call's own deadline (the call pipeline's) bounds the whole call, and
    a total ending at that same instant could fire first and hide it.
    """
    return aiohttp.ClientTimeout(total=None, connect=seconds, sock_read=seconds)


class HttpClientPool:
    """Holds one pooled, guarded ``httpx.AsyncClient`` and one guarded aiohttp session.

    Args:
        guard: The outbound guard every request goes through.
        proxy: The operator's proxy (``TOOL_PLATFORM_OUTBOUND_PROXY``); without one,
            proxy environment variables are ignored.
    """

    def __init__(self, guard: OutboundGuard, proxy: str | None = None) -> None:
        self._guard = guard
        self._proxy = proxy
        self._client: GuardedClient | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def guard(self) -> OutboundGuard:
        """The outbound guard of this pool's client (for a dry run's decision)."""
        return self._guard

    def client(self) -> httpx.AsyncClient:
        """Return the pooled client, opening it on first use (again after :meth:`aclose`).

        It follows up to five redirects, each checked by the guard, and keeps no cookies:
        one binding's session cookie must never reach another binding's request.
        """
        if self._client is None or self._client.is_closed:
            keep_secrets_out_of_http_logs()
            self._client = GuardedClient(
                transport=GuardedTransport(self._guard, _LIMITS, self._proxy),
                timeout=DEFAULT_TIMEOUT_SECONDS,
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                trust_env=False,
                cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),
            )
        return self._client

    def session(self) -> aiohttp.ClientSession | None:
        """Return the pooled aiohttp session of ``http`` tools, opening it on first use.

        Its connector resolves through the guard (:class:`GuardedResolver`), with no DNS
        cache: each new connection is resolved once and pinned. It keeps no cookies and
        ignores proxy environment variables. A request must pass
        :func:`adapters.http.sessions.guarded_hops` as its middleware (each hop checked,
        secrets dropped across origins) and at most ``MAX_REDIRECTS + 1`` as
        ``max_redirects`` (aiohttp counts the redirect it refuses).

        Returns:
            The session; None behind the operator's proxy, whose own host the resolver
            would check: then requests go through :meth:`client`.
        """
        if self._proxy is not None:
            return None
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    resolver=GuardedResolver(self._guard),
                    use_dns_cache=False,
                    limit=_LIMITS.max_connections or 0,
                    keepalive_timeout=_LIMITS.keepalive_expiry or 0,
                ),
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=per_operation(DEFAULT_TIMEOUT_SECONDS),
                trust_env=False,
            )
        return self._session

    def mcp_client(
        self,
        headers: dict[str, str] | None = None,
        timeout: httpx2.Timeout | None = None,
        auth: httpx2.Auth | None = None,
    ) -> httpx2.AsyncClient:
        """Build a guarded ``httpx2`` client for one MCP connection.

        It is the MCP SDK's ``httpx_client_factory`` (same signature); the SDK enters and
        closes each client it builds. Redirects are left to the SDK, which follows them
        within the server's origin, each through the guard.
        """
        keep_secrets_out_of_http_logs()
        return httpx2.AsyncClient(
            transport=GuardedMcpTransport(self._guard, _MCP_LIMITS, self._proxy),
            headers=headers,
            timeout=timeout or MCP_TIMEOUT,
            auth=auth,
            trust_env=False,
            follow_redirects=False,
            cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),
        )

    async def aclose(self) -> None:
        """Close the client and the session, those that were opened."""
        client, self._client = self._client, None
        session, self._session = self._session, None
        if client is not None:
            await client.aclose()
        if session is not None:
            await session.close()
