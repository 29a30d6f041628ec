"""Which addresses and host spellings the outbound guard refuses by default."""

from __future__ import annotations

import ipaddress

import pytest

from adapters.http.addresses import is_numeric_spelling, refusal_reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "the cloud metadata address"),
        ("169.254.1.1", "link-local"),
        ("100.64.0.1", "CGNAT"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("255.255.255.255", "reserved"),
        ("240.0.0.1", "reserved"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "an IPv6 form of 127.0.0.1, which is loopback"),
        ("::ffff:a9fe:a9fe", "an IPv6 form of 169.254.169.254"),
        ("::10.0.0.1", "an IPv6 form of 10.0.0.1, which is private"),
        ("64:ff9b::7f00:1", "an IPv6 form of 127.0.0.1"),
        ("2002:7f00:1::", "an IPv6 form of 127.0.0.1"),
    ],
)
def test_refused_addresses_name_their_range(address: str, reason: str) -> None:
    found = refusal_reason(ipaddress.ip_address(address))

    assert found is not None
    assert found.startswith(reason)


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_are_not_refused(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("host", "numeric"),
    [
        ("2130706433", True),
        ("0x7f.1", True),
        ("0x7f000001", True),
        ("127.1", True),
        ("0177.0.0.1", True),
        ("127.000.000.001", True),
        ("127.0.0.1", False),
        ("127.0.0.1.", False),
        ("api.example.com", False),
        ("1password.com", False),
        ("0x.example", False),
    ],
)
def test_numeric_spellings_are_told_apart_from_addresses_and_names(
    host: str, numeric: bool
) -> None:
    assert is_numeric_spelling(host) is numeric
