"""A stdio server's command name is checked against the operator's table at define and load."""

from __future__ import annotations

import pytest
from dependency_injector import providers

from adapters.executors.python import PythonHandlers
from application.policies import HandlerPolicy
from domain.errors import InvalidToolDocument
from tests.integration.mcp.conftest import STDIO_COMMANDS, McpTools, mcp_container, mcp_document
from tests.integration.mcp.servers import STDIO_COMMAND

FUNCTION = {
    "name": "now",
    "description": "The time now.",
    "inputSchema": {"type": "object", "properties": {}},
}


async def test_a_command_the_operator_did_not_name_is_refused_at_define_and_at_load(
    mcp_tools: McpTools,
) -> None:
    document = mcp_document(
        "clock", {"transport": "stdio", "command": "nope"}, [FUNCTION], secret_names=()
    )

    with pytest.raises(InvalidToolDocument) as refused:
        await mcp_tools.container.tools().define(document)

    assert str(refused.value) == (
        "Tool 'clock' is invalid: run.server.command: 'nope' is not one of the operator's "
        "stdio commands (TOOL_PLATFORM_MCP_STDIO_COMMANDS names: crashes, hangs, tests)"
    )

    # stored while the operator's table named 'nope'; the table no longer does
    earlier = mcp_container(stdio_commands={**STDIO_COMMANDS, "nope": STDIO_COMMAND})
    now = mcp_container()
    try:
        await earlier.agents().create("desk")
        await McpTools(earlier).define_and_bind(document)
        now.storage.override(providers.Object(earlier.storage()))

        toolset = await now.toolsets().load("desk")
    finally:
        await earlier.http_pool().aclose()
        await now.http_pool().aclose()

    assert toolset.function_names == ()
    assert [str(left) for left in toolset.left_out] == [
        "clock.now: the stdio command 'nope' is not one of the operator's "
        "(TOOL_PLATFORM_MCP_STDIO_COMMANDS names: crashes, hangs, tests)"
    ]


async def test_a_command_removed_from_the_table_is_left_out_at_load(mcp_tools: McpTools) -> None:
    document = mcp_document(
        "clock", {"transport": "stdio", "command": "tests"}, [FUNCTION], secret_names=()
    )
    await mcp_tools.define_and_bind(document)
    operator_changed_the_table = PythonHandlers(HandlerPolicy((), frozenset({"time"})))
    mcp_tools.container.python_handlers.override(operator_changed_the_table)

    toolset = await mcp_tools.container.toolsets().load("desk")

    assert toolset.function_names == ()
    assert [str(left) for left in toolset.left_out] == [
        "clock.now: the stdio command 'tests' is not one of the operator's "
        "(TOOL_PLATFORM_MCP_STDIO_COMMANDS names: time)"
    ]
