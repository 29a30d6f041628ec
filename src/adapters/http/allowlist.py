"""``OutboundAllowlist``: what the operator admits (``TOOL_PLATFORM_OUTBOUND_ALLOW``).

Comma-separated entries, each a network in CIDR notation (``127.0.0.1/32``,
``10.20.0.0/16``; a bare address means that one address) or a host name: exact and
case-insensitive (``api.example.com``), or ``*.example.com`` for every subdomain of
``example.com`` (not ``example.com`` itself). Ports do not count: an entry admits every
port, and an entry with a port is refused as malformed.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

from adapters.http.addresses import IPAddress

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST_NAME = re.compile(rf"(?:\*\.)?{_LABEL}(?:\.{_LABEL})*\.?")

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class InvalidAllowlistEntry(ValueError):
    """An allowlist entry is neither a CIDR network nor a host name."""


@dataclass(frozen=True)
class OutboundAllowlist:
    """The networks and host names the operator admits.

    Attributes:
        networks: Admitted networks: an address inside one is admitted.
        names: Admitted host names, lower case, without a trailing dot.
        suffixes: Admitted domains whose every subdomain is admitted (``.example.com``).
    """

    networks: tuple[IPNetwork, ...] = ()
    names: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> OutboundAllowlist:
        """Read allowlist entries (blank ones are skipped).

        Raises:
            InvalidAllowlistEntry: Naming the first entry that is neither a network nor
                a host name.
        """
        networks: list[IPNetwork] = []
        names: set[str] = set()
        suffixes: list[str] = []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            network = _network(entry)
            if network is not None:
                networks.append(network)
            elif _HOST_NAME.fullmatch(entry) and not entry.replace(".", "").isdigit():
                host = entry.removesuffix(".")
                if host.startswith("*."):
                    suffixes.append(host[1:])
                else:
                    names.add(host)
            else:
                raise InvalidAllowlistEntry(
                    f"outbound allowlist entry {raw.strip()!r} is neither a CIDR network "
                    "(10.20.0.0/16) nor a host name (api.example.com, *.example.com); "
                    "ports do not count"
                )
        return cls(tuple(networks), frozenset(names), tuple(suffixes))

    def admits_name(self, host: str) -> bool:
        """Whether ``host`` is admitted by name (whatever it resolves to)."""
        name = host.lower().removesuffix(".")
        return name in self.names or any(name.endswith(suffix) for suffix in self.suffixes)

    def admits_address(self, address: IPAddress) -> bool:
        """Whether ``address`` lies in an admitted network."""
        return any(address in network for network in self.networks)


def _network(entry: str) -> IPNetwork | None:
    try:
        return ipaddress.ip_network(entry, strict=True)
    except ValueError:
        if "/" in entry:
            raise InvalidAllowlistEntry(
                f"outbound allowlist entry {entry!r} is not a valid CIDR network "
                "(host bits set, or a prefix too long?)"
            ) from None
        return None
