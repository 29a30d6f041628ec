"""Item 4, session start: from the job's start to a tool session ready for ``session.start``.

What ``entrypoints/worker.py`` does per job, through the container's own wiring (SQLite
storage, ``TOOL_PLATFORM_MCP_START_BUDGET_SECONDS`` short): ``ToolsetLoader.load`` then
``ToolSessions.open``. Interleaved, each timed up to the open session (closing it is not
timed):

- ``20 python``: an agent of 20 ``python`` tools (one function each), and its load
  alone (the baseline: what opening adds);
- ``healthy``: an agent of two ``mcp`` tools, each on its own server process (the
  ``mcp`` package's ``MCPServer``, streamable HTTP on 127.0.0.1);
- ``one hung``: those two and a third whose server accepts and never answers
  ``initialize`` (its ``timeout_seconds`` is 60: only the start budget ends it);
- ``server N alone``: the baseline, each healthy server's own connect, ``initialize``
  and ``tools/list`` through the platform's connector, one at a time.

Targets: the healthy start within 1.1x the slowest healthy server alone; the start with
the hung server within 1.1x its budget. Beside the wall times, the CPU time of this
process for the healthy start and the servers alone (:mod:`benchmarks.cpu_time`): the
servers' processes, and the machine's other load, are not in it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from adapters.mcp.connector import list_server_tools
from benchmarks.cpu_time import CpuTimes
from benchmarks.environment import open_platform, settings_for
from benchmarks.mcp_servers import document, hung_server, listed, mcp_servers
from benchmarks.report import Report, Row, ms
from benchmarks.timing import interleaved
from domain.injection import ConfigInjection
from domain.tools.run_specs import McpServerSpec

SECTION = "session start"
HEALTHY = 2
"""Healthy MCP servers (the third one hangs)."""

PYTHON_FUNCTIONS = 20

Close = Callable[[], Awaitable[object]]
Opening = Callable[[], Awaitable[Close]]
"""Opens something (timed) and returns how to close it (not timed)."""


def python_tool(index: int) -> dict[str, Any]:
    """A ``python`` tool of one function, run by ``benchmarks.handlers:greet``."""
    function = f"greet_{index}"
    parameters = {
        "type": "object",
        "properties": {"name": {"type": "string", "description": "Who to greet."}},
        "required": ["name"],
    }
    return {
        "name": f"greeter-{index}",
        "description": "Greets people.",
        "kind": "python",
        "tool_functions_schema": {
            "functions": [
                {"name": function, "description": "Greet someone.", "parameters": parameters}
            ]
        },
        "run": {"handlers": {function: "benchmarks.handlers:greet"}},
    }


async def _nothing() -> None:
    return None


async def run(report: Report, database_url: str, rounds: int, budget: float = 1.0) -> None:
    """Measure the starts and the servers alone; add the rows."""
    settings = settings_for(database_url, mcp_start_budget_seconds=budget)
    with mcp_servers(HEALTHY, 1) as urls:
        async with hung_server() as hung_url, open_platform(settings) as container:
            tools, bindings = container.tools(), container.bindings()
            python_agent = await container.agents().create("twenty-python")
            for index in range(PYTHON_FUNCTIONS):
                await tools.define(python_tool(index))
                await bindings.bind(python_agent.id, f"greeter-{index}")
            healthy = await container.agents().create("healthy-mcp")
            one_hung = await container.agents().create("one-hung-mcp")
            for index, url in enumerate(urls):
                functions = await listed(url, 1)
                await tools.define(document(f"server-{index}", url, functions, 30))
                for agent in (healthy, one_hung):
                    await bindings.bind(agent.id, f"server-{index}")
            never = [{**functions[0], "name": "never"}]
            await tools.define(document("hung", hung_url, never, 60))
            await bindings.bind(one_hung.id, "hung")
            loader, opener = container.toolsets(), container.tool_sessions()
            connector = container.mcp_connector()
            injection = ConfigInjection("agent", "binding", "bench", 1)
            left_out: dict[str, int] = {}

            def start(agent_id: str) -> Opening:
                async def opening() -> Close:
                    session = await opener.open(await loader.load(agent_id))
                    left_out[agent_id] = len(session.left_out)

                    async def close() -> None:
                        await session.aclose()

                    return close

                return opening

            def load_only(agent_id: str) -> Opening:
                async def opening() -> Close:
                    await loader.load(agent_id)
                    return _nothing

                return opening

            def alone(url: str) -> Opening:
                spec = McpServerSpec(url=url, timeout_seconds=30)

                async def opening() -> Close:
                    connection = connector.connect(spec, injection)
                    session = await connection.__aenter__()
                    await list_server_tools(session)

                    async def close() -> None:
                        await connection.__aexit__(None, None, None)

                    return close

                return opening

            variants: dict[str, Opening] = {
                f"server {index} alone": alone(url) for index, url in enumerate(urls)
            }
            variants |= {
                "20 python": start(python_agent.id),
                "20 python, load only": load_only(python_agent.id),
                "healthy": start(healthy.id),
                "one hung": start(one_hung.id),
            }
            cpu = CpuTimes()
            variants = {name: cpu.timed(name, opening) for name, opening in variants.items()}
            samples = await interleaved(variants, rounds, warmup=1)
    p50 = {name: values.p50 for name, values in samples.items()}
    _add_rows(report, p50, cpu, left_out[one_hung.id], budget)


def _add_rows(
    report: Report, p50: dict[str, float], cpu: CpuTimes, left_out: int, budget: float
) -> None:
    slowest = max(p50[f"server {index} alone"] for index in range(HEALTHY))
    for index in range(HEALTHY):
        name = f"server {index} alone"
        report.add(
            Row(
                SECTION,
                f"MCP server {index} alone: connect, initialize, list (p50)",
                ms(p50[name]),
                figure=p50[name],
            )
        )
    report.add(
        Row(
            SECTION,
            f"{PYTHON_FUNCTIONS} python functions: load + open (p50)",
            ms(p50["20 python"]),
            f"its load alone {ms(p50['20 python, load only'])}",
            p50["20 python"] / p50["20 python, load only"],
            figure=p50["20 python"],
        )
    )
    report.add(
        Row(
            SECTION,
            f"{HEALTHY} healthy MCP servers: load + open (p50)",
            ms(p50["healthy"]),
            f"slowest server alone {ms(slowest)}",
            p50["healthy"] / slowest,
            target=1.1,
            figure=p50["healthy"],
        )
    )
    busier_cpu = max(cpu.p50(f"server {index} alone") for index in range(HEALTHY))
    report.add(
        Row(
            SECTION,
            f"{HEALTHY} healthy MCP servers: CPU of this process (p50)",
            ms(cpu.p50("healthy")),
            f"the busier server alone {ms(busier_cpu)}",
            cpu.p50("healthy") / busier_cpu,
            figure=cpu.p50("healthy"),
        )
    )
    report.add(
        Row(
            SECTION,
            f"{HEALTHY} healthy + 1 hung MCP servers: load + open (p50)",
            ms(p50["one hung"]),
            f"start budget {budget:g} s; {left_out} left out",
            p50["one hung"] / budget,
            target=1.1,
            figure=p50["one hung"],
        )
    )
    report.add(
        Row(
            SECTION,
            f"{HEALTHY} healthy + 1 hung: over the slowest server alone",
            ms(p50["one hung"]),
            f"slowest server alone {ms(slowest)}",
            p50["one hung"] / slowest,
            figure=p50["one hung"],
        )
    )
