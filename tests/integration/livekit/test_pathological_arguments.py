"""Pathological argument TEXT through a real ``AgentSession``: what LiveKit does, what follows.

The scripted LLM sends each case as raw argument text. LiveKit parses it first
(``pydantic_core.from_json``, then ``json_repair`` when that fails); the table in
``docs/livekit.md`` ("What LiveKit does before the pipeline") is this module in words.
A recording offering shows what reached the platform, the LLM's recorded requests show
what it received, and a second user turn shows that the session goes on.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from dependency_injector import providers

from adapters.livekit.scripted_llm import Call, Say
from application.agents import AgentService
from application.bindings import BindingService
from application.offering import OfferAsStored
from application.ports import OfferedFunction
from application.tool_session import DEFAULT_MAX_RESULT_CHARS
from application.tool_sessions import ToolSessions
from application.tools import ToolService
from domain.json_types import JsonValue
from domain.schema.function_schema import FunctionSchema
from tests.builders import (
    data_of,
    envelope_of,
    function_doc,
    platform_container,
    python_tool_document,
)
from tests.integration.livekit.conftest import (
    POLICY,
    TIMEOUT_SECONDS,
    Converse,
    finalize_dropped_tasks,
)

FINITE = "x: must be a finite number (NaN and Infinity are not JSON)"
TOO_DEEP = "nests deeper than 32 levels of arrays and objects"
NEVER = None
"""The pipeline never saw the call."""


class RecordingOffering(OfferAsStored):
    """Offers the stored schemas, remembering the arguments each call reached the session with."""

    def __init__(self) -> None:
        self.seen: list[JsonValue] = []

    def offer(self, function: FunctionSchema) -> OfferedFunction:
        """Offer ``function`` as stored, with a decoder that records what it decodes."""

        def record(arguments: JsonValue) -> JsonValue:
            self.seen.append(arguments)
            return arguments

        return OfferedFunction(function, record)


@pytest.fixture
def recording() -> RecordingOffering:
    """What this module's sessions offer: the stored schemas, recording every call."""
    return RecordingOffering()


@pytest.fixture
async def sessions(recording: RecordingOffering) -> AsyncIterator[ToolSessions]:
    """The container's tool sessions with the recording offering (replaces the conftest's)."""
    container = platform_container(POLICY, TIMEOUT_SECONDS)
    container.runtime.offering.override(providers.Object(recording))
    yield container.tool_sessions()
    await container.http_pool().aclose()


@pytest.fixture(autouse=True)
async def catalog(tools: ToolService, agents: AgentService, bindings: BindingService) -> None:
    """Agent ``probe`` with ``take_<type>(x)`` for any, number, integer and string; all echo."""
    functions = [
        function_doc(
            f"take_{kind}",
            {"type": "object", "properties": {"x": {} if kind == "any" else {"type": kind}}},
        )
        for kind in ("any", "number", "integer", "string")
    ]
    await tools.define(
        python_tool_document("probe", {f["name"]: "echo" for f in functions}, functions=functions)
    )
    await agents.create("probe")
    await bindings.bind("probe", "probe")


def nested(depth: int) -> str:
    """``{"x": [[...]]}`` with ``depth`` arrays."""
    return '{"x": ' + "[" * depth + "]" * depth + "}"


@dataclass(frozen=True)
class Case:
    """One argument text and what was measured for it.

    Attributes:
        function: The function called.
        text: The argument text the LLM sends.
        reached: Checks the arguments the pipeline saw; NEVER when it saw no call.
        error: A text the LLM's error must contain; None when the call succeeds.
        dropped_by: The exception that ends LiveKit's tool task (the call then gets no
            output at all); None when the call is answered.
    """

    function: str
    text: str
    reached: Callable[[JsonValue], bool] | None
    error: str | None = None
    dropped_by: str | None = None


def x_is(check: Callable[[Any], bool]) -> Callable[[JsonValue], bool]:
    return lambda arguments: isinstance(arguments, dict) and check(arguments.get("x"))


MEGABYTE = "a" * 1_000_000
BIG = "1" + "0" * 5000  # 10**5000: 5001 digits
CASES = {
    "nan": Case("take_number", '{"x": NaN}', x_is(math.isnan), FINITE),
    "infinity": Case("take_number", '{"x": Infinity}', x_is(lambda x: x == math.inf), FINITE),
    "minus-infinity": Case(
        "take_number", '{"x": -Infinity}', x_is(lambda x: x == -math.inf), FINITE
    ),
    "1e400-overflows-to-infinity": Case(
        "take_number", '{"x": 1e400}', x_is(lambda x: x == math.inf), FINITE
    ),
    "nan-for-an-untyped-parameter": Case("take_any", '{"x": NaN}', x_is(math.isnan), FINITE),
    "nested-40": Case("take_any", nested(40), x_is(lambda x: isinstance(x, list)), TOO_DEEP),
    "nested-300-repaired": Case(
        "take_any", nested(300), x_is(lambda x: isinstance(x, list)), TOO_DEEP
    ),
    "nested-100000": Case("take_any", nested(100_000), NEVER, dropped_by="RecursionError"),
    "nested-100000-unclosed": Case(
        "take_any", '{"x": ' + "[" * 100_000 + "}", NEVER, dropped_by="RecursionError"
    ),
    "integer-4300-digits": Case(
        "take_integer", '{"x": 1' + "0" * 4299 + "}", x_is(lambda x: x == 10**4299)
    ),
    "integer-5001-digits-becomes-a-string": Case(
        "take_integer", f'{{"x": {BIG}}}', x_is(lambda x: x == BIG), "x: must be an integer"
    ),
    "integer-5001-digits-untyped": Case("take_any", f'{{"x": {BIG}}}', x_is(lambda x: x == BIG)),
    "megabyte-string": Case(
        "take_string", json.dumps({"x": MEGABYTE}), x_is(lambda x: x == MEGABYTE)
    ),
    "escaped-lone-surrogate": Case(
        "take_string",
        '{"x": "\\ud800"}',
        x_is(lambda x: x == "\ud800"),
        "x: contains a lone surrogate",
    ),
    "escaped-lone-surrogate-key": Case(
        "take_any",
        '{"\\ud800": 1}',
        lambda arguments: arguments == {"\ud800": 1},
        "has a key that is not valid Unicode text",
    ),
    "raw-lone-surrogate-in-the-text": Case(
        "take_string", '{"x": "\ud800"}', NEVER, dropped_by="TypeError"
    ),
    "escaped-surrogate-pair": Case(
        "take_string", '{"x": "\\ud83d\\ude00"}', x_is(lambda x: x == "\U0001f600")
    ),
    "duplicate-keys-last-wins": Case("take_integer", '{"x": 1, "x": 2}', x_is(lambda x: x == 2)),
    "trailing-garbage-repaired": Case("take_integer", '{"x": 1} trailing', x_is(lambda x: x == 1)),
    "top-level-array": Case(
        "take_any", "[1, 2]", NEVER, "Error parsing arguments for `take_any`: expected dict"
    ),
    "empty-text": Case("take_any", "", lambda arguments: arguments == {}),
    "null": Case("take_any", "null", lambda arguments: arguments == {}),
    "double-encoded": Case("take_integer", '"{\\"x\\": 1}"', x_is(lambda x: x == 1)),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_pathological_argument_text_through_a_session(
    converse: Converse,
    recording: RecordingOffering,
    caplog: pytest.LogCaptureFixture,
    case: Case,
) -> None:
    caplog.set_level(logging.DEBUG)

    transcript = await converse(
        "probe",
        [Call(case.function, raw_arguments=case.text), Say("after"), Say("second turn")],
        user_inputs=("go", "again"),
    )

    # what reached the platform
    if case.reached is NEVER:
        assert recording.seen == []
    else:
        assert len(recording.seen) == 1
        assert case.reached(recording.seen[0])
    said = [message.text for message in transcript.messages if message.role == "assistant"]
    received = transcript.received("call-1-1")

    if case.dropped_by:
        # LiveKit's parse raised something other than ValueError: its tool task and the
        # reply died, the call never entered the chat context, the LLM got no output,
        # and the turn ended; the next user turn plays the script's next turn.
        assert received is None
        assert all(
            item.type != "function_call"
            for request in transcript.requests
            for item in request.chat_context.items
        )
        assert said == ["after"]
        assert any("call-1-1" in failure for failure in transcript.failures)
        raised = [r.exc_info[1] for r in caplog.records if r.exc_info and r.exc_info[1]]
        assert case.dropped_by in {type(error).__name__ for error in raised}
        del raised
        finalize_dropped_tasks(caplog)
        return

    # otherwise the LLM got a clean answer and the same turn went on
    assert received is not None
    if case.error is None:
        assert not received.is_error, received.output
        envelope = envelope_of(received.output)
        if envelope.get("truncated"):  # the handler saw it all; the model reads the cap
            assert len(envelope["data"]) == DEFAULT_MAX_RESULT_CHARS
            assert json.dumps({"arguments": recording.seen[0]}).startswith(envelope["data"])
        else:
            assert data_of(received.output)["arguments"] == recording.seen[0]
    else:
        assert received.is_error
        assert case.error in received.output
    assert said == ["after", "second turn"]
    assert transcript.failures == ()
