"""Fixtures of the MCP define and refresh tests: real MCP servers on 127.0.0.1.

- ``platform``: the container's own wiring on in-memory storage, inside its lifespan,
  the outbound guard admitting 127.0.0.1 and the stdio command ``docs`` (this folder's
  server, run with the venv's Python).
- ``docs_server``: a :class:`DocsServer` served over streamable HTTP, then SSE (the test
  runs once per transport), requiring the canary as its bearer token.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.local_mcp_server import LocalMcpServer, McpTransport
from entrypoints.settings import PlatformSettings
from tests.builders import CANARY, LOCAL_SERVERS
from tests.integration.mcp_define.servers import DocsServer

SERVER_SCRIPT = Path(__file__).with_name("servers.py")
STDIO_COMMANDS = {"docs": (sys.executable, str(SERVER_SCRIPT))}
"""``TOOL_PLATFORM_MCP_STDIO_COMMANDS`` of these tests."""

TOKEN_HEADERS = {"Authorization": "Bearer {secrets.token}"}


def docs_document(
    url: str | None = None,
    *,
    transport: McpTransport | str = "streamable_http",
    name: str = "docs",
    **server: Any,
) -> dict[str, Any]:
    """An ``mcp`` tool document listing no functions; its server sends the token header."""
    spec: dict[str, Any] = {"transport": transport, **server}
    if url is not None:
        spec.update(url=url, headers=TOKEN_HEADERS)
    return {
        "name": name,
        "description": "The documentation server.",
        "kind": "mcp",
        "secret_names": ["token"] if url is not None else [],
        "run": {"server": spec},
    }


def platform_settings(**overrides: Any) -> PlatformSettings:
    """In-memory storage, 127.0.0.1 admitted, the ``docs`` stdio command."""
    return PlatformSettings(
        storage="memory",
        outbound_allow=LOCAL_SERVERS,
        mcp_stdio_commands=STDIO_COMMANDS,
        **overrides,
    )


@pytest.fixture
async def platform() -> AsyncIterator[Container]:
    """The container's wiring on in-memory storage, inside its lifespan."""
    container = Container()
    container.settings.override(platform_settings())
    async with lifespan(container):
        yield container


@pytest.fixture(params=["streamable_http", "sse"])
async def docs_server(request: pytest.FixtureRequest) -> AsyncIterator[LocalMcpServer]:
    """A :class:`DocsServer` that requires the canary as its bearer token."""
    async with LocalMcpServer(DocsServer(), request.param, bearer_token=CANARY) as local:
        yield local
