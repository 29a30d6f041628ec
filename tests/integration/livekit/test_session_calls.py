"""Calls through a real ``AgentSession``: results, field-named errors, timeouts, ``call_once``.

What the LLM receives is read from the ``ScriptedLLM``'s recorded requests: the output
items of the chat context it was sent after the calls ran.
"""

from __future__ import annotations

import pytest

from adapters.livekit.runtime import LiveKitToolRuntime
from adapters.livekit.scripted_llm import Call, Say, ScriptedLLM
from adapters.livekit.text_session import (
    CallOutcome,
    FunctionCalled,
    FunctionReturned,
    Message,
    call_once,
    run_text_session,
)
from application.agents import AgentService
from application.bindings import BindingService
from application.tools import ToolService
from tests.builders import data_of, error_of, function_doc, python_tool_document
from tests.integration.livekit.conftest import (
    TIMEOUT_SECONDS,
    Converse,
    OpenTools,
    finalize_dropped_tasks,
)

LABEL_CONFIG = {"type": "object", "properties": {"label": {"type": "string", "default": "plain"}}}
COUNT = {
    "type": "object",
    "properties": {"text": {"type": "string"}, "count": {"type": "integer", "minimum": 1}},
    "required": ["text"],
}
NO_PARAMETERS = {"type": "object", "properties": {}}


@pytest.fixture(autouse=True)
async def catalog(tools: ToolService, agents: AgentService, bindings: BindingService) -> None:
    """Agent ``support`` bound to ``echoes`` (``echo``: text + count) and ``slow``."""
    await tools.define(
        python_tool_document(
            "echoes",
            {"echo": "echo"},
            functions=[function_doc("echo", COUNT)],
            config_schema=LABEL_CONFIG,
        )
    )
    await tools.define(
        python_tool_document(
            "slow",
            {"sleep_forever": "sleep_forever"},
            functions=[function_doc("sleep_forever", NO_PARAMETERS)],
        )
    )
    await agents.create("support")
    await bindings.bind("support", "echoes", config={"label": "desk"})
    await bindings.bind("support", "slow")


async def test_the_llm_receives_the_handlers_json(converse: Converse, executed: list[str]) -> None:
    transcript = await converse(
        "support", [Call("echo", {"text": "hi", "count": "2"}), Say("Done.")]
    )

    received = transcript.received("call-1-1")
    assert received is not None
    assert not received.is_error
    # the handler's return value, as JSON text; "2" was coerced to 2 before it ran
    assert data_of(received.output) == {
        "arguments": {"text": "hi", "count": 2},
        "config": {"label": "desk"},
    }
    assert executed == ["echo"]
    assert transcript.messages[-1] == Message("assistant", "Done.")


async def test_a_bad_argument_gives_a_field_named_error_and_the_conversation_goes_on(
    converse: Converse, executed: list[str]
) -> None:
    transcript = await converse(
        "support",
        [
            Call("echo", {"text": "hi", "count": 0}),
            Call("echo", {"text": "again", "count": 1}),
            Say("Recovered."),
        ],
    )

    refused = transcript.received("call-1-1")
    assert refused is not None
    assert refused.is_error
    assert error_of(refused.output).startswith("Invalid arguments for echo")
    assert "count: must be at least 1" in refused.output
    retried = transcript.received("call-2-1")
    assert retried is not None
    assert not retried.is_error
    assert executed == ["echo"]  # the refused call never reached its handler
    assert transcript.messages[-1] == Message("assistant", "Recovered.")


async def test_the_session_records_calls_and_outputs_in_order(converse: Converse) -> None:
    transcript = await converse("support", [Call("echo", {"text": "a"}), Say("Bye.")])

    kinds = [type(event) for event in transcript.events]
    assert kinds == [Message, FunctionCalled, FunctionReturned, Message]
    returned = transcript.outputs["call-1-1"]
    assert returned == transcript.received("call-1-1")
    assert transcript.failures == ()


async def test_a_hung_handler_gives_the_llm_an_outcome_unknown_error_and_the_turn_ends(
    converse: Converse,
) -> None:
    transcript = await converse("support", [Call("sleep_forever"), Say("Sorry.")])

    received = transcript.received("call-1-1")
    assert received is not None
    assert received.is_error
    assert "outcome is unknown" in received.output
    assert f"{TIMEOUT_SECONDS:g} seconds" in received.output
    assert transcript.messages[-1] == Message("assistant", "Sorry.")
    assert transcript.failures == ()


@pytest.mark.parametrize(
    ("function", "arguments_json"),
    [
        pytest.param("echo", '{"text": "hi", "count": 3}', id="ok"),
        pytest.param("echo", '{"count": "many"}', id="invalid-arguments"),
        pytest.param("echo", '{"text": "repaired", "count": 2', id="repaired-json"),
        pytest.param("echo", "[1, 2]", id="not-an-object"),
        pytest.param("sleep_forever", "{}", id="timeout"),
        pytest.param("no_such_function", "{}", id="unknown-function"),
    ],
)
async def test_call_once_gives_what_a_session_gives_the_llm(
    open_tools: OpenTools, runtime: LiveKitToolRuntime, function: str, arguments_json: str
) -> None:
    tools = await open_tools("support")

    outcome = await call_once(tools, runtime, function, arguments_json)
    scripted = ScriptedLLM([Call(function, raw_arguments=arguments_json), Say("ok")])
    transcript = await run_text_session(  # a session of its own: no earlier identical call
        await open_tools("support"), runtime, scripted, instructions="", user_inputs=("Go.",)
    )

    in_session = transcript.received("call-1-1")
    assert in_session is not None
    assert outcome == CallOutcome(ok=not in_session.is_error, output=in_session.output)


async def test_call_once_prints_ok_and_error_shapes(
    open_tools: OpenTools, runtime: LiveKitToolRuntime
) -> None:
    tools = await open_tools("support")

    good = await call_once(tools, runtime, "echo", '{"text": "x"}')
    bad = await call_once(tools, runtime, "echo", "{}")

    assert good.as_json() == {"ok": True, "output": good.output}
    assert data_of(good.output)["arguments"] == {"text": "x"}
    assert bad.as_json() == {"ok": False, "error": bad.output}
    assert "text" in bad.output


async def test_call_once_names_the_available_functions_for_an_unknown_one(
    open_tools: OpenTools, runtime: LiveKitToolRuntime
) -> None:
    tools = await open_tools("support")

    outcome = await call_once(tools, runtime, "no_such_function", "{}")

    assert not outcome.ok
    assert outcome.output.startswith("Unknown function: no_such_function - available tools: ")
    assert "echo" in outcome.output


async def test_call_once_says_so_when_livekit_drops_the_call(
    open_tools: OpenTools,
    runtime: LiveKitToolRuntime,
    executed: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    tools = await open_tools("support")

    outcome = await call_once(tools, runtime, "echo", '{"text": ' + "[" * 100_000 + "}")

    assert not outcome.ok
    assert outcome.output.startswith("no output reached the LLM: call call-once of echo")
    assert executed == []
    finalize_dropped_tasks(caplog)


async def test_the_transcript_prints_the_conversation(converse: Converse) -> None:
    transcript = await converse("support", [Call("echo", {"text": "a"}), Say("Bye.")])

    output = transcript.outputs["call-1-1"].output
    assert transcript.lines() == [
        "user: Hello.",
        '  -> echo({"text": "a"}) [call-1-1]',
        f"  <- echo ok: {output}",
        "assistant: Bye.",
    ]


async def test_after_its_script_the_llm_says_what_it_was_told_to(
    open_tools: OpenTools, runtime: LiveKitToolRuntime
) -> None:
    tools = await open_tools("support")
    scripted = ScriptedLLM([Say("First.")], when_done="Nothing more to say.")

    transcript = await run_text_session(
        tools, runtime, scripted, instructions="", user_inputs=("One.", "Two.", "Three.")
    )

    said = [message.text for message in transcript.messages if message.role == "assistant"]
    assert said == ["First.", "Nothing more to say.", "Nothing more to say."]
    assert len(transcript.requests) == 3
    assert scripted.remaining == 0


async def test_a_turn_past_the_drivers_timeout_is_a_failure_and_the_session_still_closes(
    open_tools: OpenTools, runtime: LiveKitToolRuntime
) -> None:
    tools = await open_tools("support")

    outcome = await call_once(tools, runtime, "sleep_forever", "{}", turn_timeout_seconds=0.05)

    assert outcome == CallOutcome(
        ok=False,
        output="no output reached the LLM: turn 1 did not finish within 0.05 seconds; "
        "call call-once of sleep_forever got no output",
    )
