"""MCP servers for the benchmarks and ``scripts/mcp_start_budget.py``.

- :func:`mcp_servers`: ``count`` child processes (``multiprocessing``, spawned), each
  serving the ``mcp`` package's own ``MCPServer`` over streamable HTTP on 127.0.0.1,
  with tools ``echo_0``, ``echo_1``... (as ``tests/integration/mcp/servers.py`` runs
  its test server);
- :func:`hung_server`: a listener that accepts connections and never answers (a server
  hung at ``initialize``);
- :func:`listed` and :func:`document`: a server's tools in MCP form and an ``mcp`` tool
  document listing them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from adapters.http.allowlist import OutboundAllowlist
from adapters.http.guard import OutboundGuard
from adapters.http.pool import HttpClientPool
from adapters.mcp.connector import McpConnector, list_server_tools
from domain.injection import ConfigInjection
from domain.tools.run_specs import McpServerSpec


def serve(sock: socket.socket, tools: int, first: int = 0) -> None:
    """The server process: ``tools`` tools ``echo_{first}``... over streamable HTTP."""
    import logging  # noqa: PLC0415 - the child process only

    import uvicorn  # noqa: PLC0415
    from mcp.server.mcpserver import MCPServer  # noqa: PLC0415

    logging.getLogger("mcp").setLevel(logging.WARNING)
    server = MCPServer("benchmark")
    for index in range(first, first + tools):

        def echo(text: str) -> str:
            return text

        server.add_tool(echo, name=f"echo_{index}", description="Echo the text.")
    config = uvicorn.Config(server.streamable_http_app(), log_level="error")
    uvicorn.Server(config).run(sockets=[sock])


@contextmanager
def mcp_servers(count: int, tools: int) -> Iterator[list[str]]:
    """Start ``count`` server processes of ``tools`` tools; yield their MCP endpoints.

    The tools' names differ from server to server (``echo_0``... on the first,
    ``echo_{tools}``... on the second), so one agent can bind them all.

    Each listens before its process starts (the socket is bound here), so a first
    connection waits for the process instead of failing. The socket is made as
    ``IPPROTO_TCP``, as uvicorn's own binding makes it: asyncio sets ``TCP_NODELAY`` on
    the connections it accepts only then, and without it every response on a kept
    connection waited some 40 ms for the client's delayed ACK (Nagle).
    """
    context = multiprocessing.get_context("spawn")
    children = []
    sockets = []
    urls = []
    try:
        for number in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sock.bind(("127.0.0.1", 0))
            sock.listen()
            sockets.append(sock)
            urls.append(f"http://127.0.0.1:{sock.getsockname()[1]}/mcp")
            child = context.Process(target=serve, args=(sock, tools, number * tools), daemon=True)
            child.start()
            children.append(child)
        yield urls
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.join(10)
        for sock in sockets:
            sock.close()


async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Accept and never answer (a server hung at ``initialize``)."""
    while await reader.read(65536):
        pass
    writer.close()


@asynccontextmanager
async def hung_server() -> AsyncIterator[str]:
    """A listener on 127.0.0.1 that never answers; yield its MCP endpoint."""
    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/mcp"
    finally:
        server.close()


def local_pool() -> HttpClientPool:
    """An HTTP client pool whose outbound guard admits 127.0.0.1 only."""
    return HttpClientPool(OutboundGuard(OutboundAllowlist.parse(["127.0.0.1/32"])))


async def listed(url: str, count: int) -> list[dict[str, Any]]:
    """The server's first ``count`` tools in MCP form, as a document lists its functions."""
    pool = local_pool()
    spec = McpServerSpec(url=url, timeout_seconds=30)
    try:
        async with McpConnector(pool, {}).connect(spec, ConfigInjection("a", "b", "t", 1)) as s:
            tools = await list_server_tools(s)
    finally:
        await pool.aclose()
    return [
        {"name": t.name, "description": t.description or "", "inputSchema": t.input_schema}
        for t in tools[:count]
    ]


def document(name: str, url: str, functions: list[dict[str, Any]], timeout: float) -> Any:
    """An ``mcp`` tool document."""
    return {
        "name": name,
        "kind": "mcp",
        "tool_functions_schema": {"functions": functions},
        "run": {"server": {"url": url, "timeout_seconds": timeout}},
    }
