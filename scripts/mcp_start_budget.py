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
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.mcp_servers import document, hung_server, listed, mcp_servers
from entrypoints.container import Container
from entrypoints.settings import PlatformSettings


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
    async with hung_server() as hung_url:
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
    with mcp_servers(1, arguments.servers) as (url,):
        asyncio.run(measure(url, arguments.servers, arguments.budget, arguments.rounds))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
