"""MCP functions in a real LiveKit ``AgentSession`` (scripted LLM) over each transport.

And a canary secret (in a header, in a stdio env entry) that reaches no log record, no
error and nothing the LLM receives.
"""

from __future__ import annotations

import json

import pytest

from adapters.livekit.scripted_llm import Call, Say, ScriptedLLM
from adapters.livekit.text_session import Transcript, run_text_session
from tests.builders import CANARY, assert_no_secret
from tests.integration.livekit.test_canary import all_logs, rendered, sent_to_the_llm
from tests.integration.mcp.conftest import (
    TOKENS,
    McpTools,
    bearer_server,
    listed_functions,
    mcp_document,
    server_spec,
)
from tests.integration.mcp.servers import McpServerProcess

ALICE = next(iter(TOKENS))
__all__ = ["all_logs"]  # the canary tests' fixture: every record of every logger


async def _converse(mcp_tools: McpTools, calls: list[Call]) -> Transcript:
    async with await mcp_tools.open() as tools:
        return await run_text_session(
            tools,
            mcp_tools.container.livekit_runtime(),
            ScriptedLLM([calls, Say("Done.")]),
            instructions="You are a test agent.",
            turn_timeout_seconds=30,
        )


@pytest.mark.parametrize("which", ["streamable_http", "sse", "stdio"])
async def test_an_agent_session_calls_mcp_functions_over_each_transport(
    mcp_tools: McpTools,
    http_server: McpServerProcess,
    sse_server: McpServerProcess,
    which: str,
) -> None:
    spec = server_spec(which, http_server, sse_server)
    functions = await listed_functions(spec, ["add", "weather"], {"token": ALICE})
    await mcp_tools.define_and_bind(
        mcp_document(f"remote-{which.replace('_', '-')}", spec, functions),
        secrets={"token": ALICE},
    )

    transcript = await _converse(
        mcp_tools,
        [
            Call("add", {"a": 20, "b": 22}),
            Call("weather", {"city": "Nice"}),
            Call("add", {"a": "x"}),
        ],
    )

    added = transcript.received("call-1-1")
    weather = transcript.received("call-1-2")
    refused = transcript.received("call-1-3")
    assert added is not None
    assert not added.is_error
    assert json.loads(added.output) == {"result": 42}
    assert weather is not None
    assert json.loads(weather.output) == {"city": "Nice", "celsius": 21}
    assert refused is not None
    assert refused.is_error
    assert transcript.failures == ()


async def test_a_canary_secret_in_a_header_or_env_entry_reaches_no_log_error_or_llm(
    mcp_tools: McpTools,
    http_server: McpServerProcess,
    all_logs: pytest.LogCaptureFixture,
) -> None:
    http = bearer_server(http_server.url)
    stdio = {"transport": "stdio", "command": "tests", "env": {"API_TOKEN": "{secrets.token}"}}
    refused = bearer_server(http_server.url)
    for name, spec, function in (
        ("echoing", http, "authorization"),
        ("local", stdio, "environment"),
    ):
        functions = await listed_functions(spec, [function], {"token": CANARY})
        await mcp_tools.define_and_bind(
            mcp_document(name, spec, functions), secrets={"token": CANARY}
        )
    await mcp_tools.define_and_bind(
        mcp_document(
            "refusing", refused, await listed_functions(refused, ["whoami"], {"token": ALICE})
        ),
        secrets={"token": CANARY + "-not-accepted"},
    )

    transcript = await _converse(mcp_tools, [Call("authorization"), Call("environment")])

    echoed = transcript.received("call-1-1")
    environment = transcript.received("call-1-2")
    assert echoed is not None
    assert environment is not None
    # the server really echoed the header, and the child really had the entry: scrubbed
    assert json.loads(echoed.output) == {"result": "Bearer ********"}
    assert json.loads(environment.output)["API_TOKEN"] == "********"
    assert any("refused the credentials (HTTP 401)" in r.getMessage() for r in all_logs.records)
    assert_no_secret(rendered(all_logs.records))
    assert_no_secret(sent_to_the_llm(transcript))
