"""``TOOL_PLATFORM_OUTBOUND_ALLOW``: networks and host names, read strictly."""

from __future__ import annotations

import ipaddress

import pytest
from pydantic import ValidationError

from adapters.http.allowlist import InvalidAllowlistEntry, OutboundAllowlist
from entrypoints.settings import PlatformSettings


def test_networks_admit_the_addresses_inside_them() -> None:
    allowlist = OutboundAllowlist.parse(["127.0.0.1/32", " 10.20.0.0/16 ", "", "fd00::/8"])

    assert allowlist.admits_address(ipaddress.ip_address("127.0.0.1"))
    assert allowlist.admits_address(ipaddress.ip_address("10.20.99.1"))
    assert allowlist.admits_address(ipaddress.ip_address("fd12::1"))
    assert not allowlist.admits_address(ipaddress.ip_address("127.0.0.2"))
    assert not allowlist.admits_address(ipaddress.ip_address("10.21.0.1"))


def test_host_names_match_exactly_ignoring_case_and_wildcards_match_subdomains() -> None:
    allowlist = OutboundAllowlist.parse(["CRM.internal", "*.example.com"])

    assert allowlist.admits_name("crm.internal")
    assert allowlist.admits_name("crm.INTERNAL.")
    assert allowlist.admits_name("api.example.com")
    assert allowlist.admits_name("a.b.example.com")
    assert not allowlist.admits_name("example.com")
    assert not allowlist.admits_name("evilexample.com")
    assert not allowlist.admits_name("crm.internal.evil.com")


@pytest.mark.parametrize(
    "entry",
    ["example.com:8443", "10.0.0.0/33", "10.0.0.1/8", "http://example.com", "a b", "*", "127.1"],
)
def test_a_malformed_entry_is_refused_naming_it(entry: str) -> None:
    with pytest.raises(InvalidAllowlistEntry, match="outbound allowlist entry"):
        OutboundAllowlist.parse([entry])


def test_the_setting_is_comma_separated_and_checked_when_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOOL_PLATFORM_OUTBOUND_ALLOW", "127.0.0.1/32, *.example.com")
    assert PlatformSettings().outbound_allow == ("127.0.0.1/32", "*.example.com")

    monkeypatch.setenv("TOOL_PLATFORM_OUTBOUND_ALLOW", "127.0.0.1/32,example.com:443")
    with pytest.raises(ValidationError, match=r"'example\.com:443' is neither"):
        PlatformSettings()
