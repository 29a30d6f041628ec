"""The guarded transport: every request checked, every connection to a checked address.

:class:`GuardedTransport` checks each request's URL (scheme, host spelling) before it
is sent, including each redirect hop, since the client sends every hop through its
transport. Without a proxy, the connection pool's :class:`PinnedNetworkBackend`
resolves the host once, has the guard check every address, and connects to a checked
address: a second DNS answer cannot rebind it, and TLS still verifies the host name
(httpcore starts TLS with the URL's host as the server name). Behind the operator's
proxy (``TOOL_PLATFORM_OUTBOUND_PROXY``) the platform never resolves the host, so only
the literal host is checked.
"""

from __future__ import annotations

from typing import cast

import httpcore
import httpx

from adapters.http.guard import OutboundGuard
from adapters.http.pinning import PinnedNetworkBackend


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with every request's URL checked and connections pinned.

    Args:
        guard: The outbound guard.
        limits: The connection pool's limits.
        proxy: The operator's proxy; with one, only the literal host is checked.
    """

    def __init__(
        self, guard: OutboundGuard, limits: httpx.Limits, proxy: str | None = None
    ) -> None:
        super().__init__(limits=limits, trust_env=False, proxy=proxy)
        self._guard = guard
        self._proxied = proxy is not None
        if not self._proxied:
            # httpx builds its pool without a network backend of our choosing; rebuild
            # it (still unopened) with the guarded one, and httpx's own TLS settings.
            self._pool = httpcore.AsyncConnectionPool(
                ssl_context=httpx.create_ssl_context(trust_env=False),
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                network_backend=cast(
                    "httpcore.AsyncNetworkBackend",
                    PinnedNetworkBackend(
                        guard,
                        httpcore.AnyIOBackend(),
                        httpcore.ConnectError,
                        httpcore.ConnectTimeout,
                    ),
                ),
            )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Check the request's URL, then send it (connecting only to checked addresses).

        Raises:
            OutboundRefused: When the guard refuses the URL or its host's addresses.
        """
        self._guard.check_url(request.url, proxied=self._proxied)
        return await super().handle_async_request(request)
