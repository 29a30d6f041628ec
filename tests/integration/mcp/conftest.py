"""Fixtures of the MCP runtime's tests: real MCP servers on 127.0.0.1 and over stdio."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.http.pool import HttpClientPool
from adapters.mcp.connector import McpConnector, list_server_tools
from application.tool_session import ToolSession
from domain.injection import ConfigInjection
from domain.secrets import Secret
from domain.tools.run_specs import McpServerSpec
from entrypoints.container import Container
from entrypoints.settings import PlatformSettings
from tests.builders import CANARY, LOCAL_SERVERS, local_guard
from tests.integration.mcp.servers import (
    STDIO_COMMAND,
    STDIO_CRASH_COMMAND,
    STDIO_HANG_COMMAND,
    McpServerProcess,
)

TOKENS = {"token-alice-1f6c": "alice", "token-bob-93ab": "bob", CANARY: "carol"}
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


BUDGET_SECONDS = 20.0
"""The start budget of most tests: generous (a busy machine starts Python slowly)."""


def mcp_container(
    budget_seconds: float = BUDGET_SECONDS, timeout_seconds: float = 10.0
) -> Container:
    """The container's own wiring on in-memory storage, with :data:`STDIO_COMMANDS`."""
    container = Container()
    container.settings.override(
        PlatformSettings(
            storage="memory",
            model_target="any",
            tool_timeout_seconds=timeout_seconds,
            outbound_allow=LOCAL_SERVERS,
            mcp_stdio_commands=STDIO_COMMANDS,
            mcp_start_budget_seconds=budget_seconds,
        )
    )
    return container


async def listed_functions(
    server: Mapping[str, Any], names: Sequence[str], secrets: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """The named tools as the server lists them now, in MCP form (a document's functions)."""
    pool = HttpClientPool(local_guard())
    spec = McpServerSpec.model_validate(dict(server))
    injection = ConfigInjection(
        "agent", "binding", "listing", 1, {}, {k: Secret(v) for k, v in (secrets or {}).items()}
    )
    try:
        async with McpConnector(pool, STDIO_COMMANDS).connect(spec, injection) as session:
            listed = {tool.name: tool for tool in await list_server_tools(session)}
    finally:
        await pool.aclose()
    return [
        {
            "name": name,
            "description": listed[name].description or "",
            "inputSchema": listed[name].input_schema,
        }
        for name in names
    ]


def mcp_document(
    name: str,
    server: Mapping[str, Any],
    functions: Sequence[Mapping[str, Any]],
    secret_names: Sequence[str] = ("token",),
    **fields: Any,
) -> dict[str, Any]:
    """An ``mcp`` tool document listing ``functions``."""
    return {
        "name": name,
        "description": f"The {name} MCP tool.",
        "kind": "mcp",
        "secret_names": list(secret_names),
        "tool_functions_schema": {"functions": list(functions)},
        "run": {"server": dict(server)},
        **fields,
    }


def bearer_server(url: str, transport: str = "streamable_http", **fields: Any) -> dict[str, Any]:
    """An HTTP server spec whose ``Authorization`` comes from the binding's ``token``."""
    return {
        "url": url,
        "transport": transport,
        "headers": {"Authorization": "Bearer {secrets.token}"},
        **fields,
    }


def server_spec(which: str, http: McpServerProcess, sse: McpServerProcess) -> dict[str, Any]:
    """The test server over ``which``; the binding's ``token`` is its bearer or env entry."""
    if which == "stdio":
        return {"transport": "stdio", "command": "tests", "env": {"API_TOKEN": "{secrets.token}"}}
    if which == "sse":
        return bearer_server(sse.url, "sse")
    return bearer_server(http.url)


@dataclass
class McpTools:
    """Defines, binds and opens ``mcp`` tools on one container, for agent ``desk``."""

    container: Container

    async def define_and_bind(
        self,
        document: Mapping[str, Any],
        *,
        agent: str = "desk",
        config: Mapping[str, Any] | None = None,
        secrets: Mapping[str, str] | None = None,
    ) -> None:
        """Define ``document`` (unchanged, it stays one version) and bind it to ``agent``."""
        await self.container.tools().define(dict(document))
        await self.container.bindings().bind(
            agent, document["name"], config=dict(config or {}), secrets=dict(secrets or {})
        )

    async def open(self, agent: str = "desk") -> ToolSession:
        """Open ``agent``'s tool session (close it after)."""
        toolset = await self.container.toolsets().load(agent)
        return await self.container.tool_sessions().open(toolset)


@pytest.fixture
async def mcp_tools() -> AsyncIterator[McpTools]:
    """The platform on in-memory storage with agents ``desk`` and ``counter``."""
    container = mcp_container()
    await container.agents().create("desk")
    await container.agents().create("counter")
    yield McpTools(container)
    await container.http_pool().aclose()
