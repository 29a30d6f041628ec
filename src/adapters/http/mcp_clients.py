"""Guarded ``httpx2`` clients for the MCP SDK's HTTP transports.

The MCP SDK's transports (``sse_client``, ``streamable_http_client``) build their
``httpx2.AsyncClient`` through an ``httpx_client_factory``; the platform passes
:meth:`adapters.http.pool.HttpClientPool.mcp_client`, which builds one over
:class:`GuardedMcpTransport`: the same checks and the same resolve-once pinning as the
platform's httpx client (:mod:`adapters.http.transport`), on httpx2's own connection pool,
so httpx2's exceptions stay httpx2's. The SDK follows redirects itself, within the
server's origin, and each one is a new request through this transport.

A response closed before its end reads what is left of it, a little and briefly
(:class:`ReadRestOnClose`), so that its connection stays open for the next request.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from contextlib import suppress
from functools import cache
from typing import cast

import anyio
import httpcore2
import httpx
import httpx2

from adapters.http.guard import OutboundGuard
from adapters.http.pinning import PinnedNetworkBackend

REST_MOST_BYTES = 64 * 1024
"""The most of a response left unread that closing it reads, to keep its connection."""

REST_MOST_SECONDS = 0.25
"""How long closing a response waits for the rest of it, to keep its connection."""


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
        response = await super().handle_async_request(request)
        response.stream = ReadRestOnClose(cast("httpx2.AsyncByteStream", response.stream))
        return response


class ReadRestOnClose(httpx2.AsyncByteStream):
    """A response body that, closed before its end, reads the rest when it is short and near.

    The MCP SDK closes a request's event stream as soon as the JSON-RPC response is in
    it, and leaves a ``202 Accepted`` unread; the server ends both right after. httpcore2
    closes a connection whose response was not read to its end, so every MCP request
    opened a TCP connection of its own (and a TLS session, on ``https``). Closing reads
    the rest (at most :data:`REST_MOST_BYTES`, within :data:`REST_MOST_SECONDS`), so the
    connection goes back to the pool; a response that goes on beyond either bound, or
    fails, closes its connection as before. A cancellation still cancels.

    Args:
        stream: httpx2's own response stream.
    """

    def __init__(self, stream: httpx2.AsyncByteStream) -> None:
        self._stream = stream
        self._chunks: AsyncIterator[bytes] | None = None

    def __aiter__(self) -> AsyncIterator[bytes]:
        """The body's chunks (kept, so that closing can read on from where reading stopped)."""
        self._chunks = aiter(self._stream)
        return self._chunks

    async def aclose(self) -> None:
        """Read the short rest of the body, then close it (releasing or closing its connection)."""
        chunks = self._chunks if self._chunks is not None else aiter(self._stream)
        try:
            await _read_rest(chunks)
        finally:
            await self._stream.aclose()


async def _read_rest(chunks: AsyncIterator[bytes]) -> None:
    read = 0
    with suppress(Exception), anyio.move_on_after(REST_MOST_SECONDS):
        async for chunk in chunks:
            read += len(chunk)
            if read > REST_MOST_BYTES:
                return
