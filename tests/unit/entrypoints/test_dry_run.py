"""The dry run of an ``mcp`` function: its server rendered, secrets masked, nothing sent.

No executor runs MCP tools yet, so the loader leaves them out and the CLI answers with
that reason; a loader that offers every kind shows what the dry run will say then.
"""

from __future__ import annotations

from adapters.executors.call_preview import CallPreview
from application.policies import HandlerPolicy
from application.test_runs import describe_call
from domain.tools.kinds import ToolKind
from tests.builders import CANARY, assert_no_secret, mcp_tool_document, platform_container


async def test_an_mcp_dry_run_shows_the_server_headers_tool_and_arguments_masked() -> None:
    container = platform_container(HandlerPolicy(()), 1.0)
    document = mcp_tool_document("docs", ("search",))
    document["config_schema"] = {
        "type": "object",
        "properties": {"base_url": {"type": "string", "format": "uri"}},
    }
    document["secret_names"] = ["token"]
    document["run"]["server"] |= {
        "url": "{config.base_url}/mcp",
        "headers": {"Authorization": "Bearer {secrets.token}"},
    }
    await container.tools().define(document)
    await container.agents().create("desk")
    await container.bindings().bind(
        "desk", "docs", config={"base_url": "https://mcp.example.com/"}, secrets={"token": CANARY}
    )
    loader = container.toolsets()
    loader._runnable_kinds = frozenset(ToolKind)  # as when an MCP executor exists
    toolset = await loader.load("desk")

    preview = CallPreview(container.http_pool())
    shown = await describe_call(toolset, "search", {"text": "refunds"}, preview)

    assert shown == {
        "kind": "mcp",
        "server": "https://mcp.example.com/mcp",
        "headers": {"Authorization": "Bearer ********"},
        "tool": "search",
        "arguments": {"text": "refunds"},
    }
    assert_no_secret(str(shown))
