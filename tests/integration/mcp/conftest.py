"""Fixtures of the MCP runtime's tests: real MCP servers on 127.0.0.1 and over stdio."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from adapters.http.pool import HttpClientPool
from adapters.mcp.connector import McpConnector
from tests.builders import local_guard
from tests.integration.mcp.servers import (
    STDIO_COMMAND,
    STDIO_CRASH_COMMAND,
    STDIO_HANG_COMMAND,
    McpServerProcess,
)

TOKENS = {"token-alice-1f6c": "alice", "token-bob-93ab": "bob"}
"""The tokens the HTTP test servers accept, and their holders."""

STDIO_COMMANDS = {
    "tests": STDIO_COMMAND,
    "hangs": STDIO_HANG_COMMAND,
    "crashes": STDIO_CRASH_COMMAND,
}
"""The operator's stdio command table of the tests."""


@pytest.fixture(scope="module")
def http_server() -> Iterator[McpServerProcess]:
    """The test server over streamable HTTP, needing one of :data:`TOKENS`."""
    with McpServerProcess("http", TOKENS) as server:
        yield server


@pytest.fixture(scope="module")
def sse_server() -> Iterator[McpServerProcess]:
    """The test server over SSE, needing one of :data:`TOKENS`."""
    with McpServerProcess("sse", TOKENS) as server:
        yield server


@pytest.fixture
async def connector() -> AsyncIterator[McpConnector]:
    """A connector over a pool whose guard admits 127.0.0.1, with :data:`STDIO_COMMANDS`."""
    pool = HttpClientPool(local_guard())
    yield McpConnector(pool, STDIO_COMMANDS)
    await pool.aclose()
