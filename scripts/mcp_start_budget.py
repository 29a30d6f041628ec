"""How long an agent's tool session takes to open when one of its MCP servers hangs.

Usage: ``.venv/bin/python scripts/mcp_start_budget.py [--servers N] [--budget S]
[--rounds R]``. A child process serves an MCP server (the ``mcp`` package's own,
streamable HTTP on 127.0.0.1) with ``N`` tools; ``N`` MCP tools, one per server tool,
are bound to one agent, plus one whose server accepts connections and never answers
``initialize`` (its ``timeout_seconds`` is 60, so only the start budget ends it). Each
round opens the agent's tool session through the container's own wiring (in-memory
storage, ``TOOL_PLATFORM_MCP_START_BUDGET_SECONDS=S``) and times it, first without the
hung tool, then with it. Prints the timings and what was left out.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import sys
import time
from typing import Any

from adapters.http.allowlist import OutboundAllowlist
from adapters.http.guard import OutboundGuard
from adapters.http.pool import HttpClientPool
from adapters.mcp.connector import McpConnector, list_server_tools
from domain.injection import ConfigInjection
from domain.tools.run_specs import McpServerSpec
from entrypoints.container import Container
from entrypoints.settings import PlatformSettings


def serve(sock: socket.socket, tools: int) -> None:
    """The server process: ``tools`` tools ``echo_0``... over streamable HTTP."""
    import logging  # noqa: PLC0415 - the child process only

    import uvicorn  # noqa: PLC0415
    from mcp.server.mcpserver import MCPServer  # noqa: PLC0415

    logging.getLogger("mcp").setLevel(logging.WARNING)
    server = MCPServer("start-budget")
    for index in range(tools):

        def echo(text: str) -> str:
            return text

        server.add_tool(echo, name=f"echo_{index}", description="Echo the text.")
    config = uvicorn.Config(server.streamable_http_app(), log_level="error")
    uvicorn.Server(config).run(sockets=[sock])


async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Accept and never answer (a server hung at ``initialize``)."""
    while await reader.read(65536):
        pass
    writer.close()


async def listed(url: str, count: int) -> list[dict[str, Any]]:
    """The server's tools in MCP form, as a document lists its functions."""
    pool = HttpClientPool(OutboundGuard(OutboundAllowlist.parse(["127.0.0.1/32"])))
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


async def open_times(container: Container, agent: str, rounds: int) -> tuple[list[float], Any]:
    """Open ``agent``'s tool session ``rounds`` times; the seconds each took, the last one."""
    times: list[float] = []
    session: Any = None
    for _ in range(rounds):
        toolset = await container.toolsets().load(agent)
        started = time.perf_counter()
        session = await container.tool_sessions().open(toolset)
        times.append(time.perf_counter() - started)
        await session.aclose()
    return times, session


async def measure(url: str, servers: int, budget: float, rounds: int) -> None:
    """Define, bind, open; print the numbers."""
    container = Container()
    container.settings.override(
        PlatformSettings(
            storage="memory",
            model_target="any",
            outbound_allow=("127.0.0.1/32",),
            mcp_start_budget_seconds=budget,
        )
    )
    functions = await listed(url, servers)
    hung = await asyncio.start_server(hold, "127.0.0.1", 0)
    hung_url = f"http://127.0.0.1:{hung.sockets[0].getsockname()[1]}/mcp"
    try:
        for agent in ("healthy", "one-hung"):
            await container.agents().create(agent)
        for index, function in enumerate(functions):
            await container.tools().define(document(f"tool-{index}", url, [function], 30))
            for agent in ("healthy", "one-hung"):
                await container.bindings().bind(agent, f"tool-{index}")
        await container.tools().define(
            document("hung", hung_url, [{**functions[0], "name": "never"}], 60)
        )
        await container.bindings().bind("one-hung", "hung")
        healthy, _ = await open_times(container, "healthy", rounds)
        with_hung, last = await open_times(container, "one-hung", rounds)
    finally:
        hung.close()
        await container.http_pool().aclose()
    print(f"servers: {servers} healthy MCP tools (streamable HTTP on 127.0.0.1) + 1 hung")
    print(f"start budget: {budget:g} s; rounds: {rounds}")
    for label, times in (("all healthy", healthy), ("one hung", with_hung)):
        print(
            f"open, {label:<11}: median {statistics.median(times):.3f} s, "
            f"min {min(times):.3f} s, max {max(times):.3f} s"
        )
    print(f"offered with one hung: {len(last.function_names)} functions")
    for left in last.left_out:
        print(f"left out: {left}")


def main() -> None:
    """Parse the arguments, start the server process, measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=3)
    parser.add_argument("--budget", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
    child = multiprocessing.get_context("spawn").Process(
        target=serve, args=(sock, arguments.servers), daemon=True
    )
    child.start()
    try:
        asyncio.run(measure(url, arguments.servers, arguments.budget, arguments.rounds))
    finally:
        child.terminate()
        child.join(10)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
