"""The guard decides each origin once, yet refuses (and logs) every request to a refused one."""

from __future__ import annotations

import logging

import pytest

from adapters.http.allowlist import OutboundAllowlist
from adapters.http.guard import OutboundGuard, OutboundRefused


def test_a_refused_origin_is_refused_and_logged_at_every_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    guard = OutboundGuard(OutboundAllowlist.parse(["127.0.0.1/32"]))
    caplog.set_level(logging.WARNING)

    for _ in range(3):
        with pytest.raises(OutboundRefused):
            guard.check_origin("http", "10.0.0.1")
        guard.check_origin("http", "127.0.0.1")

    lines = [r.getMessage() for r in caplog.records if r.name == "adapters.http.guard"]
    assert lines == ["outbound request to 10.0.0.1 refused: 10.0.0.1, which is private"] * 3


def test_a_remembered_verdict_is_per_scheme_and_host() -> None:
    guard = OutboundGuard()

    guard.check_origin("https", "api.example.com")
    with pytest.raises(OutboundRefused):
        guard.check_origin("ftp", "api.example.com")
    with pytest.raises(OutboundRefused):
        guard.check_origin("https", "2130706433")
