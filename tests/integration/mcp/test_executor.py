"""The ``mcp`` executor through the call pipeline, against real servers."""

from __future__ import annotations

import json
import logging

import pytest

from domain.call_status import CallStatus
from tests.integration.mcp.conftest import (
    TOKENS,
    McpTools,
    bearer_server,
    listed_functions,
    mcp_document,
)
from tests.integration.mcp.servers import McpServerProcess, SilentServer, free_port

ALICE, BOB = list(TOKENS)
FUNCTIONS = ("add", "calls", "whoami", "fail", "weather", "picture", "links", "announce")


@pytest.fixture(params=["http", "sse"])
def server(request: pytest.FixtureRequest) -> McpServerProcess:
    """The streamable HTTP server, then the SSE one."""
    process: McpServerProcess = request.getfixturevalue(f"{request.param}_server")
    return process


def _spec(server: McpServerProcess) -> dict[str, object]:
    return bearer_server(server.url, "sse" if server.transport == "sse" else "streamable_http")


async def _remote(mcp_tools: McpTools, server: McpServerProcess, name: str = "remote") -> None:
    spec = _spec(server)
    functions = await listed_functions(spec, FUNCTIONS, {"token": ALICE})
    document = mcp_document(name, spec, functions)
    await mcp_tools.define_and_bind(document, agent="desk", secrets={"token": ALICE})
    await mcp_tools.define_and_bind(document, agent="counter", secrets={"token": BOB})


async def test_each_binding_calls_with_its_own_token(
    mcp_tools: McpTools, server: McpServerProcess
) -> None:
    await _remote(mcp_tools, server)

    async with await mcp_tools.open("desk") as desk, await mcp_tools.open("counter") as counter:
        alice = await desk.call("whoami", {}, call_id="c1")
        bob = await counter.call("whoami", {}, call_id="c2")
        added = await desk.call("add", {"a": 2, "b": 3}, call_id="c3")

    assert (alice.ok, json.loads(alice.output)) == (True, {"result": "alice"})
    assert (bob.ok, json.loads(bob.output)) == (True, {"result": "bob"})
    assert added.ok
    assert json.loads(added.output) == {"result": 5}


async def test_invalid_arguments_never_reach_the_server(
    mcp_tools: McpTools, server: McpServerProcess
) -> None:
    await _remote(mcp_tools, server)

    async with await mcp_tools.open() as session:
        before = json.loads((await session.call("calls", {}, call_id="c0")).output)["result"]
        refused = await session.call("add", {"a": "two", "b": 3}, call_id="c1")
        missing = await session.call("add", {"a": 1}, call_id="c2")
        after = json.loads((await session.call("calls", {}, call_id="c3")).output)["result"]

    assert refused.status is CallStatus.INVALID_ARGUMENT
    assert missing.status is CallStatus.INVALID_ARGUMENT
    assert "a" in refused.output
    assert after == before


async def test_results_map_for_the_model(mcp_tools: McpTools, server: McpServerProcess) -> None:
    await _remote(mcp_tools, server)

    async with await mcp_tools.open() as session:
        failed = await session.call("fail", {"reason": "closed on sundays"}, call_id="c1")
        weather = await session.call("weather", {"city": "Lyon"}, call_id="c2")
        picture = await session.call("picture", {}, call_id="c3")
        links = await session.call("links", {}, call_id="c4")

    assert (failed.ok, failed.status) == (False, CallStatus.TOOL_ERROR)
    assert "refused: closed on sundays" in failed.output
    assert json.loads(weather.output) == {"city": "Lyon", "celsius": 21}
    assert picture.output == "[image: image/png, 100 bytes]"
    assert links.output.splitlines() == [
        "two attachments",
        "[resource link: report <https://files.example.com/report.pdf>]",
        "[embedded resource file:///archive.zip: application/zip, 4 bytes]",
    ]


async def test_a_tool_list_change_is_logged_and_the_session_keeps_its_tools(
    mcp_tools: McpTools, http_server: McpServerProcess, caplog: pytest.LogCaptureFixture
) -> None:
    await _remote(mcp_tools, http_server)
    caplog.set_level(logging.INFO, logger="adapters.mcp")

    async with await mcp_tools.open() as session:
        announced = await session.call("announce", {}, call_id="c1")
        added = await session.call("add", {"a": 1, "b": 1}, call_id="c2")

    assert json.loads(announced.output) == {"result": "announced"}
    assert added.ok
    assert any("says its tool list changed" in record.getMessage() for record in caplog.records)


async def test_servers_that_fail_at_start_are_left_out_and_the_agent_starts_with_the_rest(
    mcp_tools: McpTools, http_server: McpServerProcess, caplog: pytest.LogCaptureFixture
) -> None:
    await _remote(mcp_tools, http_server)
    functions = await listed_functions(_spec(http_server), ["add"], {"token": ALICE})
    down = f"http://127.0.0.1:{free_port()}/mcp"
    for name, spec, token in (
        ("down", bearer_server(down), ALICE),
        ("refusing", _spec(http_server), "canary-refused-token-4411"),
        ("stdio-crash", {"transport": "stdio", "command": "crashes"}, ALICE),
    ):
        renamed = [{**functions[0], "name": f"{name.replace('-', '_')}_add"}]
        await mcp_tools.define_and_bind(mcp_document(name, spec, renamed), secrets={"token": token})
    caplog.set_level(logging.WARNING)

    async with await mcp_tools.open() as session:
        offered = session.function_names
        left = {left.tool_name: left.reason for left in session.left_out}

    assert set(FUNCTIONS) <= set(offered)
    assert not {"down_add", "refusing_add", "stdio_crash_add"} & set(offered)
    assert left["down"] == (
        f"MCP server {down}: could not connect (nothing is listening, or the host is unreachable)"
    )
    assert left["refusing"] == f"MCP server {http_server.url}: refused the credentials (HTTP 401)"
    assert left["stdio-crash"] == (
        "MCP server stdio:crashes: the server stopped while starting; "
        "its last stderr line: boom: no config"
    )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "refused the credentials (HTTP 401)" in logged
    assert "canary-refused-token-4411" not in logged


async def test_a_server_that_hangs_at_initialize_is_cancelled_at_its_timeout(
    mcp_tools: McpTools, http_server: McpServerProcess
) -> None:
    functions = await listed_functions(_spec(http_server), ["add"], {"token": ALICE})
    async with SilentServer() as silent:
        spec = {"url": silent.url(), "timeout_seconds": 0.5}
        await mcp_tools.define_and_bind(mcp_document("hung", spec, functions, secret_names=()))
        async with await mcp_tools.open() as session:
            left = [str(left) for left in session.left_out]

    assert left == [
        f"hung: MCP server {silent.url()}: did not answer within its timeout_seconds (0.5 s)"
    ]
    assert silent.accepted >= 1
    assert silent.closed == silent.accepted


async def test_a_function_the_server_changed_is_left_out_saying_to_refresh(
    mcp_tools: McpTools, http_server: McpServerProcess, caplog: pytest.LogCaptureFixture
) -> None:
    add, weather, whoami = await listed_functions(
        _spec(http_server), ["add", "weather", "whoami"], {"token": ALICE}
    )
    add["inputSchema"] = {
        **add["inputSchema"],
        "properties": {**add["inputSchema"]["properties"], "c": {"type": "integer"}},
    }
    gone = {**whoami, "name": "retired"}
    weather["description"] = "An older description."
    document = mcp_document("drifted", _spec(http_server), [add, weather, gone])
    await mcp_tools.define_and_bind(document, secrets={"token": ALICE})
    caplog.set_level(logging.INFO, logger="adapters.mcp")

    async with await mcp_tools.open() as session:
        offered = session.function_names
        left = {left.function: left.reason for left in session.left_out}

    assert offered == ("weather",)
    assert left == {
        "add": "the MCP server's inputSchema for it changed since the tool was defined; "
        "run `tools refresh drifted`",
        "retired": "the MCP server no longer offers it; run `tools refresh drifted`",
    }
    assert any(
        "changed the description of drifted.weather" in record.getMessage()
        for record in caplog.records
    )
