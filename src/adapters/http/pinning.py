"""Connect to a host only at addresses the guard checked, resolving it once.

httpcore (for httpx) and httpcore2 (for httpx2, the MCP SDK's client) ask their network
backend to connect to ``(host, port)``; both guarded backends hand that to
:func:`connect_checked`, which resolves the host once through the guard, has every
address checked, and connects to the first checked address that answers. The caller
then starts TLS with the URL's host name, so certificates are still verified against it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from adapters.http.guard import OutboundGuard, UnresolvableHost

Stream = TypeVar("Stream")


async def connect_checked(
    guard: OutboundGuard,
    host: str,
    port: int,
    timeout: float | None,
    *,
    connect: Callable[[str], Awaitable[Stream]],
    connect_error: type[Exception],
    connect_timeout: type[Exception],
) -> Stream:
    """Resolve ``host`` once, check every address, and connect to a checked one.

    Args:
        guard: The outbound guard.
        host: The host the URL names.
        port: The port to connect to.
        timeout: The connect timeout, which resolving counts against too.
        connect: Opens a connection to one address (as text).
        connect_error: The HTTP library's connect error, raised when the name does not
            resolve; connection failures of this type move on to the next address.
        connect_timeout: The library's connect timeout, raised when resolving is slow.

    Raises:
        OutboundRefused: When the guard refuses any address of ``host``.
    """
    try:
        async with asyncio.timeout(timeout):
            addresses = await guard.admitted_addresses(host, port)
    except TimeoutError:
        raise connect_timeout(f"resolving {host} timed out") from None
    except UnresolvableHost as error:
        raise connect_error(str(error)) from None
    failure: Exception = connect_error(f"{host} has no address that answers")
    for address in addresses:
        try:
            return await connect(str(address))
        except (connect_error, connect_timeout) as error:
            failure = error
    raise failure
