"""Faults at start and mid-session: the start budget, a server that crashes in a call."""

from __future__ import annotations

import json
import time

import pytest

from domain.call_status import CallStatus
from tests.integration.mcp.conftest import (
    TOKENS,
    McpTools,
    bearer_server,
    listed_functions,
    mcp_container,
    mcp_document,
)
from tests.integration.mcp.servers import McpServerProcess, SilentServer

ALICE = next(iter(TOKENS))
BUDGET_SECONDS = 1.5
GENEROUS_START_BOUND_SECONDS = BUDGET_SECONDS + 10.0
"""The start may take the budget plus what a busy machine adds; a hang would take 60 s."""


async def test_the_start_budget_holds_with_one_of_three_servers_hung(
    http_server: McpServerProcess, sse_server: McpServerProcess
) -> None:
    container = mcp_container(budget_seconds=BUDGET_SECONDS)
    tools = McpTools(container)
    await container.agents().create("desk")
    listed = await listed_functions(
        bearer_server(http_server.url), ["add", "weather", "picture"], {"token": ALICE}
    )
    try:
        async with SilentServer() as silent:
            for name, spec, function in (
                ("fast", bearer_server(http_server.url), listed[0]),
                ("streaming", bearer_server(sse_server.url, "sse"), listed[1]),
                ("hung", bearer_server(silent.url(), timeout_seconds=60), listed[2]),
            ):
                document = mcp_document(name, spec, [function])
                await tools.define_and_bind(document, secrets={"token": ALICE})
            started = time.monotonic()
            session = await tools.open()
            elapsed = time.monotonic() - started
            async with session:
                offered = session.function_names
                left = [str(left) for left in session.left_out]
                answer = await session.call("add", {"a": 1, "b": 2}, call_id="c1")
    finally:
        await container.http_pool().aclose()

    assert BUDGET_SECONDS <= elapsed < GENEROUS_START_BOUND_SECONDS
    assert set(offered) == {"add", "weather"}
    assert left == [
        f"hung: MCP server {silent.url()}: did not open within the start budget "
        f"(TOOL_PLATFORM_MCP_START_BUDGET_SECONDS={BUDGET_SECONDS:g}); "
        "its connection was cancelled"
    ]
    assert silent.accepted >= 1
    assert silent.closed == silent.accepted  # the hung connection was closed, not left open
    assert json.loads(answer.output) == {"result": 3}


async def test_a_stdio_server_that_crashes_mid_call_is_reopened_once(mcp_tools: McpTools) -> None:
    spec = {"transport": "stdio", "command": "tests"}
    functions = await listed_functions(spec, ["add", "crash"])
    await mcp_tools.define_and_bind(mcp_document("local", spec, functions, secret_names=()))

    async with await mcp_tools.open() as session:
        crashed = await session.call("crash", {}, call_id="c1")
        after = await session.call("add", {"a": 2, "b": 2}, call_id="c2")
        again = await session.call("crash", {}, call_id="c3")
        then = await session.call("add", {"a": 2, "b": 2}, call_id="c4")

    assert crashed.status is CallStatus.TIMEOUT_OUTCOME_UNKNOWN
    assert crashed.output == (
        "the connection to the MCP server dropped during the call of crash; its outcome is unknown"
    )
    assert (after.ok, json.loads(after.output)) == (True, {"result": 4})
    assert again.status is CallStatus.TIMEOUT_OUTCOME_UNKNOWN
    assert then.status is CallStatus.UNAVAILABLE
    assert then.output == "the MCP server of local is unavailable for this session"


async def test_an_http_server_that_crashes_mid_call_is_reopened_for_the_next_call(
    mcp_tools: McpTools,
) -> None:
    with McpServerProcess("http", TOKENS) as server:
        spec = bearer_server(server.url)
        functions = await listed_functions(spec, ["add", "crash"], {"token": ALICE})
        document = mcp_document("crashy", spec, functions)
        await mcp_tools.define_and_bind(document, secrets={"token": ALICE})
        async with await mcp_tools.open() as session:
            crashed = await session.call("crash", {}, call_id="c1")
            server.wait_exited()
            server.start()  # back on the same port
            after = await session.call("add", {"a": 1, "b": 2}, call_id="c2")

    assert crashed.status is CallStatus.TIMEOUT_OUTCOME_UNKNOWN
    assert "its outcome is unknown" in crashed.output
    assert (after.ok, json.loads(after.output)) == (True, {"result": 3})


@pytest.mark.parametrize("command", ["tests"])
async def test_a_stdio_server_sees_only_safe_variables_and_its_env_entries(
    mcp_tools: McpTools, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", "canary-google-key-0b7e")
    monkeypatch.setenv("LIVEKIT_API_SECRET", "canary-livekit-secret-51aa")
    spec = {"transport": "stdio", "command": command, "env": {"REGION": "{config.region}"}}
    functions = await listed_functions(spec, ["environment"])
    document = mcp_document(
        "envtool",
        spec,
        functions,
        secret_names=(),
        config_schema={"type": "object", "properties": {"region": {"type": "string"}}},
    )
    await mcp_tools.define_and_bind(document, config={"region": "eu-west"})

    async with await mcp_tools.open() as session:
        result = await session.call("environment", {}, call_id="c1")

    environment = json.loads(result.output)
    assert environment["REGION"] == "eu-west"
    assert "GOOGLE_API_KEY" not in environment
    assert "LIVEKIT_API_SECRET" not in environment
    assert "canary" not in result.output
