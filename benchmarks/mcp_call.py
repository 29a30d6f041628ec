"""Item 3's MCP part: one MCP tool call, warm, against the ``mcp`` SDK's own client.

One server process (the ``mcp`` package's ``MCPServer``, streamable HTTP on 127.0.0.1)
with a tool ``echo_0``. On sessions opened once, blocks of ``loops`` calls, the two
variants' blocks interleaved (``rounds`` each, the order alternating); the figure is a
block's median divided by ``loops``:

- ``sdk``: ``ClientSession.call_tool("echo_0", ...)`` on the SDK's own
  ``streamable_http_client`` and ``ClientSession``, initialized once;
- ``platform``: ``ToolSession.call`` of an ``mcp`` tool listing ``echo_0`` on the same
  server (validate, the guarded client, the call, the result described and scrubbed),
  its ``call_policy`` turning de-duplication off so every call reaches the server; each
  block ends with the audit writer's flush, so storing the block's call records is
  timed with it (the writer would otherwise store them during the next block,
  whichever variant's it is).

Target: the platform's call within 1.1x the SDK's. Beside the wall times, the CPU time
of this process per call (:mod:`benchmarks.cpu_time`): the server's share of the wall
time, and the machine's other load, are not in it.
"""

from __future__ import annotations

from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

from benchmarks.cpu_time import CpuTimes
from benchmarks.environment import open_platform, settings_for
from benchmarks.mcp_servers import document, listed, mcp_servers
from benchmarks.report import Report, Row, us
from benchmarks.timing import interleaved

SECTION = "mcp call"
TOOL = "echo_0"
ARGUMENTS = {"text": "hello"}
CALL_POLICY = {"*": {"dedupe_window_seconds": 0, "max_calls_per_session": 10_000}}
"""Every call runs (no answer from an identical predecessor, no breaker in the loops)."""


async def run(report: Report, database_url: str, loops: int, rounds: int) -> None:
    """Measure the two variants and add the rows."""
    with mcp_servers(1, 1) as (url,):
        functions = await listed(url, 1)
        async with (
            open_platform(settings_for(database_url)) as container,
            streamable_http_client(url) as streams,
            ClientSession(*streams) as sdk,
        ):
            await sdk.initialize()
            await container.tools().define(
                document("echo", url, functions, 30) | {"call_policy": CALL_POLICY}
            )
            agent = await container.agents().create("echoer")
            await container.bindings().bind(agent.id, "echo")
            toolset = await container.toolsets().load(agent.id)
            writer = container.audit_writer()
            async with await container.tool_sessions().open(toolset) as session:

                async def with_sdk() -> None:
                    for _ in range(loops):
                        result = await sdk.call_tool(TOOL, ARGUMENTS)
                        if result.is_error:
                            raise RuntimeError(str(result.content))

                async def platform() -> None:
                    for _ in range(loops):
                        result = await session.call(TOOL, dict(ARGUMENTS), call_id="c")
                        if not result.ok:
                            raise RuntimeError(result.output)
                    await writer.flush()

                cpu = CpuTimes()
                variants = {
                    name: cpu.timed(name, run)
                    for name, run in (("sdk", with_sdk), ("platform", platform))
                }
                samples = await interleaved(variants, rounds)
    per_call = {name: values.p50 / loops for name, values in samples.items()}
    cpu_per_call = {name: cpu.p50(name) / loops for name in samples}
    _against_sdk(
        report,
        ("mcp SDK ClientSession.call_tool", "platform mcp tool call (ToolSession.call)"),
        per_call,
        target=1.1,
    )
    added = per_call["platform"] - per_call["sdk"]
    report.add(
        Row(
            SECTION,
            "added over the SDK's call (us)",
            us(added),
            f"SDK {us(per_call['sdk'])}",
            figure=added * 1e6,
        )
    )
    _against_sdk(
        report,
        (
            "mcp SDK call: CPU of this process per call (p50)",
            "platform call: CPU of this process per call (p50)",
        ),
        cpu_per_call,
    )


def _against_sdk(
    report: Report,
    measures: tuple[str, str],
    seconds: dict[str, float],
    target: float | None = None,
) -> None:
    """Add the SDK's figure, then the platform's against it."""
    sdk, platform = seconds["sdk"], seconds["platform"]
    report.add(Row(SECTION, measures[0], us(sdk), figure=sdk))
    report.add(
        Row(
            SECTION,
            measures[1],
            us(platform),
            f"SDK {us(sdk)}",
            platform / sdk,
            target=target,
            figure=platform,
        )
    )
