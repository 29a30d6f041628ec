"""Drive a real LiveKit ``AgentSession`` in text mode, offline, with a scripted LLM.

No room, no STT, TTS or VAD: the user's turns are text (``AgentSession.run``), the LLM
is a :class:`ScriptedLLM`, and the tools are an agent's tool session turned into LiveKit
tools by :class:`LiveKitToolRuntime`, so every call takes the path a live session takes.
:func:`run_text_session` returns the conversation; :func:`call_once` runs one call and
returns what the LLM received for it (the ``tool-platform call`` command).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from livekit.agents import (
    Agent,
    AgentSession,
    ChatMessageEvent,
    FunctionCallEvent,
    FunctionCallOutputEvent,
    RunResult,
)
from livekit.agents.llm import Tool, Toolset

from adapters.livekit.runtime import LiveKitToolRuntime
from adapters.livekit.scripted_llm import Call, LLMRequest, ScriptedLLM
from adapters.tool_context import BindingUserdata
from application.tool_session import ToolSession

logger = logging.getLogger(__name__)

DEFAULT_TURN_TIMEOUT_SECONDS = 30.0
"""How long one user turn may take before the driver gives up on it."""


@dataclass(frozen=True)
class Message:
    """A chat message of the conversation.

    Attributes:
        role: ``user`` or ``assistant``.
        text: What was said.
    """

    role: str
    text: str


@dataclass(frozen=True)
class FunctionCalled:
    """The LLM called a function.

    Attributes:
        call_id: The call's id.
        name: The function.
        arguments: The arguments as the chat context holds them (LiveKit rewrites
            repaired or non-canonical JSON into its own canonical text).
    """

    call_id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class FunctionReturned:
    """A function's output, as the LLM receives it.

    Attributes:
        call_id: The call's id.
        name: The function.
        output: The text the LLM receives.
        is_error: True when LiveKit marks the output as an error.
    """

    call_id: str
    name: str
    output: str
    is_error: bool


TranscriptEvent: TypeAlias = Message | FunctionCalled | FunctionReturned
"""One event of the conversation."""


@dataclass(frozen=True)
class Transcript:
    """What happened in a text session.

    Attributes:
        events: Messages, calls and outputs, in order.
        requests: Every request the LLM received (chat context and tool schemas).
        failures: What did not end normally, in words: a user turn that timed out or
            raised, a call the LLM made that never got an output (LiveKit dropped it
            before any tool ran). Empty when everything finished.
    """

    events: tuple[TranscriptEvent, ...]
    requests: tuple[LLMRequest, ...]
    failures: tuple[str, ...] = ()

    @property
    def outputs(self) -> dict[str, FunctionReturned]:
        """Call id -> the output the session recorded for it."""
        return {e.call_id: e for e in self.events if isinstance(e, FunctionReturned)}

    @property
    def messages(self) -> tuple[Message, ...]:
        """The chat messages only."""
        return tuple(e for e in self.events if isinstance(e, Message))

    def received(self, call_id: str) -> FunctionReturned | None:
        """Return the output of ``call_id`` as a request to the LLM carried it, or None."""
        for request in reversed(self.requests):
            for output in request.tool_outputs:
                if output.call_id == call_id:
                    return FunctionReturned(
                        output.call_id, output.name, output.output, output.is_error
                    )
        return None

    def lines(self) -> list[str]:
        """The conversation as lines of text, for printing."""
        rendered: list[str] = []
        for event in self.events:
            if isinstance(event, Message):
                rendered.append(f"{event.role}: {event.text}")
            elif isinstance(event, FunctionCalled):
                rendered.append(f"  -> {event.name}({event.arguments}) [{event.call_id}]")
            else:
                mark = "error" if event.is_error else "ok"
                rendered.append(f"  <- {event.name} {mark}: {event.output}")
        rendered.extend(f"! {failure}" for failure in self.failures)
        return rendered


@dataclass(frozen=True)
class CallOutcome:
    """The outcome of one call, as the LLM saw it.

    Attributes:
        ok: False when the LLM received an error (or nothing at all).
        output: The output text when ok, otherwise the error text.
    """

    ok: bool
    output: str

    def as_json(self) -> dict[str, Any]:
        """``{"ok": true, "output": ...}`` or ``{"ok": false, "error": ...}``."""
        if self.ok:
            return {"ok": True, "output": self.output}
        return {"ok": False, "error": self.output}


def text_agent_session(scripted: ScriptedLLM) -> AgentSession[BindingUserdata]:
    """A text-mode ``AgentSession`` driven by ``scripted``, with ``BindingUserdata``.

    It allows enough tool steps for every call turn of the script to play in one user
    turn.
    """
    return AgentSession(
        llm=scripted,
        vad=None,
        turn_handling={"turn_detection": None},
        userdata=BindingUserdata(),
        max_tool_steps=max(3, scripted.call_turns),
    )


async def run_text_session(
    tools: ToolSession,
    runtime: LiveKitToolRuntime,
    scripted: ScriptedLLM,
    *,
    instructions: str,
    user_inputs: Sequence[str] = ("Hello.",),
    turn_timeout_seconds: float = DEFAULT_TURN_TIMEOUT_SECONDS,
) -> Transcript:
    """Run a text-mode ``AgentSession`` over a tool session, one run per user input.

    The session gets ``BindingUserdata`` as its userdata, so code tools that read
    ``context.userdata`` see the calling binding's config. It is closed before this
    returns (the tool session stays open: its opener closes it). A turn that times out
    or raises is recorded in ``failures`` and ends the session early.

    Args:
        tools: The agent's tool session.
        runtime: Turns the tool session into LiveKit tools.
        scripted: The LLM; its script decides the calls.
        instructions: The agent's instructions.
        user_inputs: The user's turns, in order.
        turn_timeout_seconds: The most one user turn may take.

    Returns:
        The conversation, with every request the LLM received.
    """
    events: list[TranscriptEvent] = []
    failures: list[str] = []
    session = text_agent_session(scripted)
    async with session:
        offered: list[Tool | Toolset] = [*runtime.tools_for(tools)]
        await session.start(Agent(instructions=instructions, tools=offered))
        for number, user_input in enumerate(user_inputs, 1):
            events.append(Message("user", user_input))
            try:
                async with asyncio.timeout(turn_timeout_seconds):
                    result: RunResult[None] = await session.run(user_input=user_input)
            except TimeoutError:
                failures.append(
                    f"turn {number} did not finish within {turn_timeout_seconds:g} seconds"
                )
                break
            except Exception as error:
                logger.warning("text session turn %d failed: %s", number, type(error).__name__)
                failures.append(f"turn {number} failed: {type(error).__name__}")
                break
            events.extend(_events(result))
    answered = {e.call_id for e in events if isinstance(e, FunctionReturned)}
    why = "" if failures else " (LiveKit dropped it before any tool ran; see the log)"
    failures.extend(
        f"call {call.call_id} of {call.name} got no output{why}"
        for call in scripted.played_calls
        if call.call_id not in answered
    )
    return Transcript(tuple(events), tuple(scripted.requests), tuple(failures))


async def call_once(
    tools: ToolSession,
    runtime: LiveKitToolRuntime,
    function: str,
    arguments_json: str,
    *,
    instructions: str = "",
    turn_timeout_seconds: float = DEFAULT_TURN_TIMEOUT_SECONDS,
) -> CallOutcome:
    """Call one function exactly as a session would, and say what the LLM received.

    A scripted LLM makes the one call with ``arguments_json`` as its argument text
    (unparsed: LiveKit parses it as it parses a model's), then ends the turn.

    Args:
        tools: The agent's tool session.
        runtime: Turns the tool session into LiveKit tools.
        function: The function to call.
        arguments_json: The arguments, as the JSON text an LLM would send.
        instructions: The agent's instructions.
        turn_timeout_seconds: The most the turn may take.

    Returns:
        The output, or the error, the LLM received for the call.
    """
    call = Call(function, raw_arguments=arguments_json, call_id="call-once")
    scripted = ScriptedLLM([call])
    transcript = await run_text_session(
        tools,
        runtime,
        scripted,
        instructions=instructions,
        user_inputs=(f"Call {function}.",),
        turn_timeout_seconds=turn_timeout_seconds,
    )
    received = transcript.received("call-once") or transcript.outputs.get("call-once")
    if received is not None:
        return CallOutcome(ok=not received.is_error, output=received.output)
    reason = "; ".join(transcript.failures) or "the session ended without it"
    return CallOutcome(ok=False, output=f"no output reached the LLM: {reason}")


def _events(result: RunResult[None]) -> list[TranscriptEvent]:
    events: list[TranscriptEvent] = []
    for event in result.events:
        if isinstance(event, ChatMessageEvent):
            events.append(Message(event.item.role, event.item.text_content or ""))
        elif isinstance(event, FunctionCallEvent):
            item = event.item
            events.append(FunctionCalled(item.call_id, item.name, item.arguments))
        elif isinstance(event, FunctionCallOutputEvent):
            out = event.item
            events.append(FunctionReturned(out.call_id, out.name, out.output, out.is_error))
    return events
