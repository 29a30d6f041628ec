"""The guarded transport: every request checked, every connection to a checked address.

:class:`GuardedTransport` checks each request's URL (scheme, host spelling) before it
is sent, including each redirect hop, since the client sends every hop through its
transport. Without a proxy, the connection pool's :class:`GuardedNetworkBackend`
resolves the host once, has the guard check every address, and connects to a checked
address: a second DNS answer cannot rebind it, and TLS still verifies the host name
(httpcore starts TLS with the URL's host as the server name). Behind the operator's
proxy (``TOOL_PLATFORM_OUTBOUND_PROXY``) the platform never resolves the host, so only
the literal host is checked.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpcore
import httpx

from adapters.http.guard import OutboundGuard
from adapters.http.pinning import connect_checked


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses the guard checked, resolving once."""

    def __init__(self, guard: OutboundGuard) -> None:
        self._guard = guard
        self._sockets = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve ``host`` once, check every address, connect to the first that answers.

        Raises:
            OutboundRefused: When the guard refuses any address of ``host``.
            httpcore.ConnectError: When the name does not resolve or no address answers.
            httpcore.ConnectTimeout: When resolving takes longer than ``timeout``.
        """

        async def connect(address: str) -> httpcore.AsyncNetworkStream:
            return await self._sockets.connect_tcp(
                address, port, timeout, local_address, socket_options
            )

        return await connect_checked(
            self._guard,
            host,
            port,
            timeout,
            connect=connect,
            connect_error=httpcore.ConnectError,
            connect_timeout=httpcore.ConnectTimeout,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Refused: tool requests never go to a local socket."""
        raise httpcore.ConnectError("the outbound guard opens no Unix sockets")

    async def sleep(self, seconds: float) -> None:
        """Sleep (httpcore's connection retries use it)."""
        await self._sockets.sleep(seconds)


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
                network_backend=GuardedNetworkBackend(guard),
            )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Check the request's URL, then send it (connecting only to checked addresses).

        Raises:
            OutboundRefused: When the guard refuses the URL or its host's addresses.
        """
        self._guard.check_url(request.url, proxied=self._proxied)
        return await super().handle_async_request(request)
