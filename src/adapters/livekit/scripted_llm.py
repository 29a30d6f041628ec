"""``ScriptedLLM``: an offline LiveKit LLM that plays a script of turns.

It drives LiveKit's real tool-execution path without a model or a network: each time
the session asks it for a reply, it plays the next turn of its script (one or more
function calls in one response, or a text), and it records every request it was sent
(the chat context, with the tool outputs it received, and the tool schemas), so callers
can see exactly what reached "the LLM". The ``call`` and ``demo`` commands use it, and
so do the tests.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Never, TypeAlias

from livekit.agents import llm
from livekit.agents.llm import (
    ChatChunk,
    ChatContext,
    ChoiceDelta,
    FunctionCallOutput,
    FunctionToolCall,
    LLMStream,
    RawFunctionTool,
    Tool,
    ToolChoice,
)
from livekit.agents.llm.utils import build_legacy_openai_schema
from livekit.agents.types import (
    DEFAULT_API_CONNECT_OPTIONS,
    NOT_GIVEN,
    APIConnectOptions,
    NotGivenOr,
)

from domain.json_types import JsonObject, JsonValue


@dataclass(frozen=True)
class Say:
    """A turn in which the LLM says ``text``.

    Attributes:
        text: What it says.
    """

    text: str


@dataclass(frozen=True)
class Call:
    """One function call of a scripted turn.

    Attributes:
        name: The function to call.
        arguments: The arguments, sent as ``json.dumps(arguments)``.
        raw_arguments: When set, sent as is instead of ``arguments``: any text at all,
            so malformed or pathological JSON can be scripted.
        call_id: The call's id; by default ``call-<turn>-<index>`` (both from 1).
    """

    name: str
    arguments: JsonValue = field(default_factory=dict)
    raw_arguments: str | None = None
    call_id: str | None = None

    def arguments_text(self) -> str:
        """The arguments exactly as the LLM sends them."""
        if self.raw_arguments is not None:
            return self.raw_arguments
        return json.dumps(self.arguments)


Turn: TypeAlias = Say | Call | Sequence[Call]
"""One reply of the scripted LLM: a text, one call, or several calls in one response."""


@dataclass(frozen=True)
class LLMRequest:
    """One request the session sent to the LLM.

    Attributes:
        chat_context: A copy of the chat context as it was sent.
        tool_schemas: The schema of every function tool offered, as the LLM sees it.
        tool_choice: The tool choice asked for, or None.
        snapshot: The chat context as JSON data, taken when the request was made.
    """

    chat_context: ChatContext
    tool_schemas: tuple[JsonObject, ...]
    tool_choice: str | None
    snapshot: JsonObject

    @property
    def tool_outputs(self) -> list[FunctionCallOutput]:
        """The tool outputs in the chat context, oldest first."""
        return [item for item in self.chat_context.items if isinstance(item, FunctionCallOutput)]

    def serialised(self) -> str:
        """Everything this request carried (chat items and tool schemas), as text."""
        return json.dumps(
            {"chat": self.snapshot, "tools": list(self.tool_schemas)},
            ensure_ascii=False,
            default=str,
        )


class ScriptedLLM(llm.LLM[Never]):
    """An LLM that plays a fixed script of turns, one per request.

    After the script runs out it replies with ``when_done`` (or with nothing at all when
    that is None), so a session always comes to rest.

    Args:
        script: The turns, in order.
        when_done: What to say once the script is over; None for an empty reply.
        talk_seconds: How long a turn with calls goes on generating after it sent them,
            as a model that keeps talking while its calls run (a caller who interrupts
            then cuts the reply, and LiveKit cancels the calls).
    """

    def __init__(
        self, script: Sequence[Turn], *, when_done: str | None = None, talk_seconds: float = 0.0
    ) -> None:
        super().__init__()
        self.talk_seconds = talk_seconds
        self._turns = [_numbered(turn, position) for position, turn in enumerate(script, 1)]
        self._when_done = when_done
        self._played = 0
        self.requests: list[LLMRequest] = []
        """Every request received, oldest first."""

    @property
    def model(self) -> str:
        """The model name LiveKit reports."""
        return "scripted"

    @property
    def provider(self) -> str:
        """The provider name LiveKit reports."""
        return "tool-platform"

    @property
    def remaining(self) -> int:
        """How many scripted turns have not been played yet."""
        return len(self._turns) - self._played

    @property
    def call_turns(self) -> int:
        """How many turns of the script make function calls."""
        return sum(1 for turn in self._turns if isinstance(turn, tuple))

    @property
    def calls(self) -> tuple[Call, ...]:
        """Every scripted call, in order, with its call id filled in."""
        return tuple(call for turn in self._turns if isinstance(turn, tuple) for call in turn)

    @property
    def played_calls(self) -> tuple[Call, ...]:
        """The calls of the turns played so far, in order."""
        played = self._turns[: self._played]
        return tuple(call for turn in played if isinstance(turn, tuple) for call in turn)

    def chat(
        self,
        *,
        chat_ctx: ChatContext,
        tools: list[Tool] | None = None,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
        parallel_tool_calls: NotGivenOr[bool] = NOT_GIVEN,
        tool_choice: NotGivenOr[ToolChoice] = NOT_GIVEN,
        extra_kwargs: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
    ) -> LLMStream:
        """Record the request and answer it with the next turn of the script."""
        offered = list(tools or [])
        self.requests.append(
            LLMRequest(
                chat_context=chat_ctx.copy(),
                tool_schemas=tuple(_schema(tool) for tool in offered),
                tool_choice=tool_choice if isinstance(tool_choice, str) else None,
                snapshot=_snapshot(chat_ctx),
            )
        )
        turn: Say | tuple[Call, ...] | None = None
        if self._played < len(self._turns):
            turn = self._turns[self._played]
            self._played += 1
        elif self._when_done is not None:
            turn = Say(self._when_done)
        return _ScriptedStream(
            self,
            turn,
            response_id=f"scripted-{len(self.requests)}",
            chat_ctx=chat_ctx,
            tools=offered,
            conn_options=conn_options,
        )


class _ScriptedStream(LLMStream):
    def __init__(
        self,
        scripted: ScriptedLLM,
        turn: Say | tuple[Call, ...] | None,
        *,
        response_id: str,
        chat_ctx: ChatContext,
        tools: list[Tool],
        conn_options: APIConnectOptions,
    ) -> None:
        super().__init__(scripted, chat_ctx=chat_ctx, tools=tools, conn_options=conn_options)
        self._turn = turn
        self._talk_seconds = scripted.talk_seconds
        self._response_id = response_id

    async def _run(self) -> None:
        if isinstance(self._turn, Say):
            delta = ChoiceDelta(role="assistant", content=self._turn.text)
        elif isinstance(self._turn, tuple):
            delta = ChoiceDelta(
                role="assistant",
                tool_calls=[
                    FunctionToolCall(
                        call_id=call.call_id or "",
                        name=call.name,
                        arguments=call.arguments_text(),
                    )
                    for call in self._turn
                ],
            )
        else:
            return
        self._event_ch.send_nowait(ChatChunk(id=self._response_id, delta=delta))
        if isinstance(self._turn, tuple) and self._talk_seconds:
            await asyncio.sleep(self._talk_seconds)


def _numbered(turn: Turn, position: int) -> Say | tuple[Call, ...]:
    if isinstance(turn, Say):
        return turn
    calls = [turn] if isinstance(turn, Call) else list(turn)
    if not calls:
        raise ValueError(f"turn {position} of the script has no calls")
    return tuple(
        call if call.call_id else dataclasses.replace(call, call_id=f"call-{position}-{index}")
        for index, call in enumerate(calls, 1)
    )


def _schema(tool: Tool) -> JsonObject:
    if isinstance(tool, RawFunctionTool):
        return dict(tool.info.raw_schema)
    if isinstance(tool, llm.FunctionTool):
        described = build_legacy_openai_schema(tool, internally_tagged=True)
        return {key: described[key] for key in ("name", "description", "parameters")}
    return {"provider_tool": type(tool).__name__}


def _snapshot(chat_ctx: ChatContext) -> JsonObject:
    try:
        return chat_ctx.to_dict(exclude_timestamp=True)
    except Exception:  # an item pydantic cannot put in JSON mode (a lone surrogate, say)
        return {"items": [repr(item) for item in chat_ctx.items]}
