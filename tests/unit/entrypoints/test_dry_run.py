"""The dry run of an ``mcp`` function: its server rendered, secrets masked, nothing sent.

Nothing is connected and no stdio server is started: the HTTP server's URL and headers,
or the stdio command's name and env entries, show where the call would go.
"""

from __future__ import annotations

import sys

from adapters.executors.call_preview import CallPreview
from application.policies import HandlerPolicy
from application.test_runs import describe_call
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
    toolset = await container.toolsets().load("desk")

    preview = CallPreview(container.http_pool())
    shown = await describe_call(toolset, "search", {"text": "refunds"}, preview)

    assert shown == {
        "kind": "mcp",
        "transport": "streamable_http",
        "server": "https://mcp.example.com/mcp",
        "headers": {"Authorization": "Bearer ********"},
        "tool": "search",
        "arguments": {"text": "refunds"},
    }
    assert_no_secret(str(shown))


async def test_a_stdio_mcp_dry_run_shows_the_command_name_and_env_masked_starting_nothing() -> None:
    container = platform_container(HandlerPolicy(()), 1.0)
    operators = {"time": (sys.executable, "-m", "mcp_server_time")}  # checked at define
    container.settings.override(
        container.settings().model_copy(update={"mcp_stdio_commands": operators})
    )
    document = mcp_tool_document("clock", ("search",))
    document["config_schema"] = {"type": "object", "properties": {"tz": {"type": "string"}}}
    document["secret_names"] = ["token"]
    document["run"]["server"] = {
        "transport": "stdio",
        "command": "time",
        "env": {"LOCAL_TIMEZONE": "{config.tz}", "API_TOKEN": "{secrets.token}"},
    }
    await container.tools().define(document)
    await container.agents().create("desk")
    await container.bindings().bind(
        "desk", "clock", config={"tz": "Europe/Paris"}, secrets={"token": CANARY}
    )
    toolset = await container.toolsets().load("desk")

    shown = await describe_call(
        toolset, "search", {"text": "now"}, CallPreview(container.http_pool())
    )

    assert shown == {
        "kind": "mcp",
        "transport": "stdio",
        "server": "stdio:time",
        "env": {"LOCAL_TIMEZONE": "Europe/Paris", "API_TOKEN": "********"},
        "tool": "search",
        "arguments": {"text": "now"},
    }
    assert_no_secret(str(shown))
