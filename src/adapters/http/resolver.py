"""``Resolver``: how the outbound guard turns a host name into addresses (a test seam)."""

from __future__ import annotations

import asyncio
import socket
from abc import ABC, abstractmethod

from adapters.http.addresses import IPAddress, literal_address


class Resolver(ABC):
    """Resolves a host name to every address it has, once per connection."""

    @abstractmethod
    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Every address of ``host``, in the order to try them.

        Raises:
            OSError: When the name does not resolve.
        """


class SystemResolver(Resolver):
    """The operating system's resolver (``getaddrinfo``), run off the event loop."""

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Every address ``getaddrinfo`` gives for ``host``, duplicates removed."""
        answers = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses: list[IPAddress] = []
        for *_, sockaddr in answers:
            address = literal_address(str(sockaddr[0]).split("%", 1)[0])
            if address is not None and address not in addresses:
                addresses.append(address)
        return addresses
