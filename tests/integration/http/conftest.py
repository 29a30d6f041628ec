"""Fixtures of the outbound guard's tests: a recorder and a redirector on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.integration.http.servers import RecordingServer, Redirector


@pytest.fixture
async def recorder() -> AsyncIterator[RecordingServer]:
    """A server that answers everything with 200 and records what it received."""
    async with RecordingServer() as server:
        yield server


@pytest.fixture
async def redirector() -> AsyncIterator[Redirector]:
    """A server that redirects where its query says."""
    async with Redirector() as server:
        yield server
