"""A real ``AgentSession`` on the Gemini offering: the model sees adapted schemas, sends
arguments in their shape, and the tool receives the stored shapes.

The toolset is loaded with the Gemini compatibility check and opened with the container's
Gemini offering (``TOOL_PLATFORM_MODEL_TARGET=gemini-realtime``); the scripted LLM sends
what a Gemini model would send for the offered schema.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.gemini import GeminiModelCompatibility, GeminiSchemaOffering
from adapters.livekit.runtime import LiveKitToolRuntime
from adapters.livekit.scripted_llm import Call, Say, ScriptedLLM
from adapters.livekit.text_session import Transcript, run_text_session
from adapters.memory.unit_of_work import InMemoryStorage
from application.agents import AgentService
from application.bindings import BindingService
from application.tool_sessions import ToolSessions
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.tools.kinds import ToolKind
from tests.builders import data_of, function_doc, platform_container, python_tool_document
from tests.integration.livekit.conftest import POLICY, TIMEOUT_SECONDS

HARD = {
    "type": "object",
    "properties": {
        "size": {"type": "integer", "enum": [1, 2, 3]},
        "point": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}]},
        "Content-Type": {"type": "string"},
        "headers": {"type": "object", "additionalProperties": {"type": "string"}},
        "note": {"type": ["string", "null"]},
        "extra": {"type": "object"},
    },
    "required": ["size", "point"],
}
SENT = {
    "size": "2",
    "point": {"item_0": 1.5, "item_1": -2},
    "Content_Type": "json",
    "headers": [{"key": "X-Trace", "value": "abc"}],
    "note": None,
    "extra": '{"deep": [1, {"x": true}]}',
}
RECEIVED = {
    "size": 2,
    "point": [1.5, -2],
    "Content-Type": "json",
    "headers": {"X-Trace": "abc"},
    "note": None,
    "extra": {"deep": [1, {"x": True}]},
}


@pytest.fixture
async def gemini_sessions() -> AsyncIterator[ToolSessions]:
    """Tool sessions as the container wires them for Gemini realtime."""
    container = platform_container(POLICY, TIMEOUT_SECONDS, model_target="gemini-realtime")
    assert isinstance(container.offering(), GeminiSchemaOffering)
    yield container.tool_sessions()
    await container.http_pool().aclose()


@pytest.fixture
async def converse_on_gemini(
    storage: InMemoryStorage,
    agents: AgentService,
    bindings: BindingService,
    gemini_sessions: ToolSessions,
) -> Any:
    """Define ``shapes`` (echo over ``HARD``) on the Gemini check, bind it, run a script."""
    gemini = GeminiModelCompatibility()
    tools = ToolService(storage.unit_of_work, gemini, POLICY)
    await tools.define(
        python_tool_document("shapes", {"echo": "echo"}, functions=[function_doc("echo", HARD)])
    )
    await agents.create("desk")
    await bindings.bind("desk", "shapes")
    loader = ToolsetLoader(storage.unit_of_work, gemini, POLICY, {ToolKind.PYTHON})

    async def run(script: list[Any]) -> Transcript:
        toolset = await loader.load("desk")
        assert [f.name for f in toolset.functions] == ["echo"]
        async with await gemini_sessions.open(toolset) as session:
            return await run_text_session(
                session,
                LiveKitToolRuntime(),
                ScriptedLLM(script),
                instructions="You are a test agent.",
                user_inputs=("Hello.",),
                turn_timeout_seconds=10,
            )

    return run


async def test_adapted_arguments_reach_the_tool_in_the_stored_shapes(
    converse_on_gemini: Any, executed: list[str]
) -> None:
    transcript = await converse_on_gemini([Call("echo", SENT), Say("Done.")])

    offered = transcript.requests[0].tool_schemas[0]
    assert "Content_Type" in json.dumps(offered)
    received = transcript.received("call-1-1")
    assert received is not None
    assert not received.is_error, received.output
    assert data_of(received.output)["arguments"] == RECEIVED
    assert executed == ["echo"]


async def test_an_argument_error_names_the_field_as_the_model_saw_it(
    converse_on_gemini: Any, executed: list[str]
) -> None:
    wrong = {**SENT, "Content_Type": ["json"], "point": {"item_0": "far", "item_1": 0}}

    transcript = await converse_on_gemini([Call("echo", wrong), Say("Oops.")])

    received = transcript.received("call-1-1")
    assert received is not None
    assert received.is_error
    assert "Content_Type" in received.output
    assert "point.item_0" in received.output
    assert "Content-Type" not in received.output
    assert executed == []
