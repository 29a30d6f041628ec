"""Guarded ``httpx2`` clients for the MCP SDK's HTTP transports.

The MCP SDK's transports (``sse_client``, ``streamable_http_client``) build their
``httpx2.AsyncClient`` through an ``httpx_client_factory``; the platform passes
:meth:`adapters.http.pool.HttpClientPool.mcp_client`, which builds one over
:class:`GuardedMcpTransport`: the same checks and the same resolve-once pinning as the
platform's httpx client (:mod:`adapters.http.transport`), on httpx2's own connection pool,
so httpx2's exceptions stay httpx2's. The SDK follows redirects itself, within the
server's origin, and each one is a new request through this transport.
"""

from __future__ import annotations

import ssl
from functools import cache
from typing import cast

import httpcore2
import httpx
import httpx2

from adapters.http.guard import OutboundGuard
from adapters.http.pinning import PinnedNetworkBackend


@cache
def client_ssl_context() -> ssl.SSLContext:
    """The one client SSL context of every MCP client (verifying, the system's CAs).

    Building one loads the CA bundle: some 25 ms of CPU here, which every MCP connection
    paid twice (httpx2's transport built one, then the pinned pool another) before the
    session start benchmark showed it. A context holds no per-connection state.
    """
    return httpx2.create_ssl_context(trust_env=False)


class GuardedMcpTransport(httpx2.AsyncHTTPTransport):
    """httpx2's transport with every request's URL checked and connections pinned.

    Args:
        guard: The outbound guard.
        limits: The connection pool's limits.
        proxy: The operator's proxy; with one, only the literal host is checked.
    """

    def __init__(self, guard: OutboundGuard, limits: httpx2.Limits, proxy: str | None) -> None:
        super().__init__(verify=client_ssl_context(), limits=limits, trust_env=False, proxy=proxy)
        self._guard = guard
        self._proxied = proxy is not None
        if not self._proxied:
            self._pool = httpcore2.AsyncConnectionPool(
                ssl_context=client_ssl_context(),
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                network_backend=cast(
                    "httpcore2.AsyncNetworkBackend",
                    PinnedNetworkBackend(
                        guard,
                        httpcore2.AnyIOBackend(),
                        httpcore2.ConnectError,
                        httpcore2.ConnectTimeout,
                    ),
                ),
            )

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        """Check the request's URL, then send it (connecting only to checked addresses).

        Raises:
            OutboundRefused: When the guard refuses the URL or its host's addresses.
        """
        self._guard.check_url(httpx.URL(str(request.url)), proxied=self._proxied)
        return await super().handle_async_request(request)
