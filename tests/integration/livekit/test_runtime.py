"""``LiveKitToolRuntime``: one raw-schema tool per function; nothing else reaches LiveKit."""

from __future__ import annotations

import logging

import pytest
from livekit.agents.llm import RawFunctionTool, ToolContext

from adapters.livekit.runtime import LiveKitToolRuntime
from adapters.livekit.scripted_llm import Call, Say, ScriptedLLM
from adapters.livekit.text_session import run_text_session
from application.agents import AgentService
from application.bindings import BindingService
from application.tool_session import CallResult, ToolSession
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.json_types import JsonValue
from domain.toolset import AgentToolset
from tests.builders import CANARY, assert_no_secret, error_of, function_doc, python_tool_document
from tests.integration.livekit.conftest import Converse, OpenTools

WEATHER = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "The city."},
        "days": {"type": "integer", "minimum": 1, "maximum": 7, "default": 3},
    },
    "required": ["city"],
}


@pytest.fixture(autouse=True)
async def catalog(tools: ToolService, agents: AgentService, bindings: BindingService) -> None:
    """Agent ``desk`` bound to ``first`` (forecast, echo) then ``second`` (ping)."""
    await tools.define(
        python_tool_document(
            "first",
            {"forecast": "echo", "echo": "echo"},
            functions=[function_doc("forecast", WEATHER, "Get the forecast."), "echo"],
        )
    )
    await tools.define(python_tool_document("second", {"ping": "other_echo"}))
    await agents.create("desk")
    await bindings.bind("desk", "first")
    await bindings.bind("desk", "second")


async def test_one_raw_schema_tool_per_function_with_the_offered_schema(
    open_tools: OpenTools, runtime: LiveKitToolRuntime
) -> None:
    session = await open_tools("desk")

    tools = runtime.tools_for(session)

    assert all(isinstance(tool, RawFunctionTool) for tool in tools)
    assert [tool.info.name for tool in tools] == list(session.toolset.function_names)
    assert [tool.info.raw_schema for tool in tools] == [
        f.offered.to_dict() for f in session.functions
    ]
    assert set(ToolContext(tools).function_tools) == set(session.function_names)


async def test_the_llm_is_offered_exactly_the_stored_schemas(
    converse: Converse, loader: ToolsetLoader
) -> None:
    toolset = await loader.load("desk")

    transcript = await converse("desk", [Say("Hi.")])

    offered = transcript.requests[0].tool_schemas
    assert sorted(offered, key=lambda s: s["name"]) == sorted(
        (f.schema.to_dict() for f in toolset.functions), key=lambda s: s["name"]
    )


async def test_a_toolset_cannot_hold_two_functions_of_one_name(loader: ToolsetLoader) -> None:
    toolset = await loader.load("desk")
    twice = (*toolset.functions, toolset.functions[0])

    with pytest.raises(ValueError, match="unique"):
        AgentToolset(toolset.agent, twice, toolset.injections)


async def test_a_name_clash_from_a_new_tool_version_never_reaches_livekit(
    tools: ToolService,
    open_tools: OpenTools,
    runtime: LiveKitToolRuntime,
    converse: Converse,
) -> None:
    # ``second`` gains an ``echo`` of its own: the older binding (``first``) keeps the name
    await tools.define(python_tool_document("second", {"ping": "other_echo", "echo": "other_echo"}))
    session = await open_tools("desk")
    toolset = session.toolset

    tool_context = ToolContext(runtime.tools_for(session))  # no duplicate-name ValueError
    transcript = await converse("desk", [Call("echo", {"text": "who?"}), Say("ok")])

    assert sorted(tool_context.function_tools) == ["echo", "forecast", "ping"]
    assert [(o.tool_name, o.function) for o in toolset.left_out] == [("second", "echo")]
    received = transcript.received("call-1-1")
    assert received is not None
    assert not received.is_error


class ExplodingSession(ToolSession):
    """A tool session that breaks its promise and raises (with a secret in the message)."""

    async def call(
        self,
        name: str,
        arguments: JsonValue,
        *,
        call_id: str,
        runtime_context: object | None = None,
    ) -> CallResult:
        raise RuntimeError(f"broken with {CANARY}")


async def test_even_a_raising_session_gives_the_llm_a_generic_tool_error(
    open_tools: OpenTools, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    opened = await open_tools("desk")
    exploding = ExplodingSession(
        opened.toolset, opened.functions, {}, (), 1.0, session_id=opened.session_id
    )

    transcript = await run_text_session(
        exploding,
        LiveKitToolRuntime(),
        ScriptedLLM([Call("ping", {"text": "x"}), Say("ok")]),
        instructions="",
    )

    received = transcript.received("call-1-1")
    assert received is not None
    assert received.is_error
    assert error_of(received.output) == "ping failed with an internal error"
    assert transcript.messages[-1].text == "ok"
    lines = [r.getMessage() for r in caplog.records if r.name == "adapters.livekit.runtime"]
    assert lines == ["tool session raised: function=ping call_id=call-1-1 error=RuntimeError"]
    assert_no_secret("\n".join(f"{r.getMessage()} {r.__dict__!r}" for r in caplog.records))
