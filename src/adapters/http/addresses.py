"""Which IP addresses and host spellings the outbound guard refuses, and why.

Refused unless the operator admits them: loopback, private (RFC 1918, fc00::/7),
link-local (169.254.0.0/16 with the cloud metadata address, fe80::/10), CGNAT
(100.64.0.0/10), multicast, unspecified, reserved and broadcast ranges, and every IPv6
form that carries one of those IPv4 addresses inside it (IPv4-mapped, IPv4-compatible,
6to4, NAT64). Numeric host spellings that are not a plain dotted quad (``2130706433``,
``0x7f.1``, ``127.1``, ``0177.0.0.1``) are refused as spellings, whatever they mean.
"""

from __future__ import annotations

import ipaddress
import re

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_METADATA = ipaddress.IPv4Address("169.254.169.254")

_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?", re.I)


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` spells as an IP literal (IPv6 without brackets), or None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_numeric_spelling(host: str) -> bool:
    """Whether ``host`` is a number-only spelling of an address other than a dotted quad.

    ``socket.inet_aton`` and most resolvers read ``2130706433``, ``0x7f.1`` and ``127.1``
    as 127.0.0.1; such a spelling has no legitimate use in a tool's address.
    """
    if not _NUMERIC_HOST.fullmatch(host):
        return False
    return literal_address(host.removesuffix(".")) is None


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` is refused by default, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            inner = refusal_reason(embedded)
            return None if inner is None else f"an IPv6 form of {embedded}, which is {inner}"
    return _own_refusal(address)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _own_refusal(address: IPAddress) -> str | None:
    checks: tuple[tuple[bool, str], ...] = (
        (address == _METADATA, "the cloud metadata address"),
        (address.is_loopback, "loopback"),
        (address.is_unspecified, "unspecified"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT, "CGNAT"),
        (
            isinstance(address, ipaddress.IPv6Address) and address.is_site_local,
            "site-local",
        ),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        (not address.is_global, "not a public address"),
    )
    return next((reason for refused, reason in checks if refused), None)
