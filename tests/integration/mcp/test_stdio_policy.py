"""A stdio server's command name is checked against the operator's table at define and load."""

from __future__ import annotations

import pytest

from adapters.executors.python import PythonHandlers
from application.policies import HandlerPolicy
from domain.errors import HandlerNotAllowed
from tests.integration.mcp.conftest import McpTools, mcp_document

FUNCTION = {
    "name": "now",
    "description": "The time now.",
    "inputSchema": {"type": "object", "properties": {}},
}


async def test_a_command_the_operator_did_not_name_is_refused_at_define(
    mcp_tools: McpTools,
) -> None:
    document = mcp_document(
        "clock", {"transport": "stdio", "command": "nope"}, [FUNCTION], secret_names=()
    )

    with pytest.raises(HandlerNotAllowed) as refused:
        await mcp_tools.container.tools().define(document)

    assert str(refused.value) == (
        "Tool 'clock' is refused: the stdio command 'nope' is not one of the operator's "
        "(TOOL_PLATFORM_MCP_STDIO_COMMANDS names: crashes, hangs, tests)"
    )


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
