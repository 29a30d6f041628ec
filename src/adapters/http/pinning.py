"""Connect to a host only at addresses the guard checked, resolving it once.

httpcore (for httpx) and httpcore2 (for httpx2, the MCP SDK's client) ask their network
backend to connect to ``(host, port)``. :class:`PinnedNetworkBackend` serves both: it
resolves the host once through the guard, has every address checked, and connects to
the first checked address that answers, through the library's own socket backend (so
the library's own exceptions come out). The library then starts TLS with the URL's host
name, so certificates are still verified against it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import Any, Generic, Protocol, TypeVar

from adapters.http.guard import OutboundGuard, UnresolvableHost

Stream = TypeVar("Stream")
Stream_co = TypeVar("Stream_co", covariant=True)


class SocketBackend(Protocol[Stream_co]):
    """What httpcore's and httpcore2's ``AnyIOBackend`` offer that is used here."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> Awaitable[Stream_co]:
        """Open a TCP connection to an address."""
        ...

    def sleep(self, seconds: float) -> Awaitable[None]:
        """Sleep."""
        ...


class PinnedNetworkBackend(Generic[Stream]):
    """A network backend that connects only to addresses the guard checked.

    Args:
        guard: The outbound guard.
        sockets: The library's own socket backend.
        connect_error: The library's connect error: raised when the name does not
            resolve; a connection failing with it moves on to the next address.
        connect_timeout: The library's connect timeout, raised when resolving is slow.
    """

    def __init__(
        self,
        guard: OutboundGuard,
        sockets: SocketBackend[Stream],
        connect_error: type[Exception],
        connect_timeout: type[Exception],
    ) -> None:
        self._guard = guard
        self._sockets = sockets
        self._connect_error = connect_error
        self._connect_timeout = connect_timeout

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> Stream:
        """Resolve ``host`` once, check every address, connect to the first that answers.

        Raises:
            OutboundRefused: When the guard refuses any address of ``host``.
        """
        try:
            async with asyncio.timeout(timeout):
                addresses = await self._guard.admitted_addresses(host, port)
        except TimeoutError:
            raise self._connect_timeout(f"resolving {host} timed out") from None
        except UnresolvableHost as error:
            raise self._connect_error(str(error)) from None
        failure: Exception = self._connect_error(f"{host} has no address that answers")
        for address in addresses:
            try:
                return await self._sockets.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (self._connect_error, self._connect_timeout) as error:
                failure = error
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> Stream:
        """Refused: tool requests never go to a local socket."""
        raise self._connect_error("the outbound guard opens no Unix sockets")

    async def sleep(self, seconds: float) -> None:
        """Sleep (the library's connection retries use it)."""
        await self._sockets.sleep(seconds)
