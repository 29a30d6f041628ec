"""A counting order service on 127.0.0.1, and the platform wired to call it.

``OrdersApi`` takes ``POST /orders`` and records every order it carried out (its body
and ``Idempotency-Key``): the side effects a duplicate call would repeat. It honours
``Idempotency-Key`` as Stripe does (a known key gets the first answer, no new order). Faults are
scripted per request: a delay (so a call can time out or be interrupted while the
order is being placed), a 503 before anything happens, or a connection dropped after
the order was carried out.

``OrderDesk`` is the platform on in-memory storage, wired as the worker wires it, with
agent ``desk`` bound to the ``orders`` http tool; ``converse`` runs a real LiveKit
``AgentSession`` with a scripted LLM over one tool session, and can interrupt a turn
while an order is in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from livekit.agents import Agent, FunctionToolsExecutedEvent
from livekit.agents.llm import FunctionCall, FunctionCallOutput

from adapters.livekit.runtime import LiveKitToolRuntime
from adapters.livekit.scripted_llm import ScriptedLLM, Turn
from adapters.livekit.text_session import text_agent_session
from application.clock import Clock, utc_now
from application.policies import HandlerPolicy
from application.tool_session import ToolSession
from entrypoints.container import Container
from entrypoints.local_server import serve_on_loopback
from tests.builders import platform_container

TIMEOUT_SECONDS = 1.0
"""The order function's timeout."""

TURN_SECONDS = 30.0
"""The most one user turn may take."""


class ManualClock:
    """A clock that stands still until a test moves it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the time ``seconds`` forward."""
        self.now += timedelta(seconds=seconds)


@dataclass(frozen=True)
class Fault:
    """How the order service treats one request.

    Attributes:
        delay: Seconds before it answers (it carries the order out first).
        unavailable: Answer 503 without carrying the order out.
        drop: Carry the order out, then close the connection without answering.
    """

    delay: float = 0.0
    unavailable: bool = False
    drop: bool = False


@dataclass
class OrdersApi:
    """The order service's state; ``async with OrdersApi() as api`` serves it."""

    placed: list[dict[str, Any]] = field(default_factory=list)
    keys: list[str | None] = field(default_factory=list)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: int = 0
    faults: deque[Fault] = field(default_factory=deque)
    base_url: str = ""
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None

    async def __aenter__(self) -> OrdersApi:
        self._runner, self.base_url = await serve_on_loopback(self._handle)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def duplicates(self) -> int:
        """Orders carried out more than once (equal bodies), counted beyond the first."""
        bodies = [json.dumps(order, sort_keys=True) for order in self.placed]
        return len(bodies) - len(set(bodies))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        self.arrived.set()
        fault = self.faults.popleft() if self.faults else Fault()
        body = await request.json()
        if fault.unavailable:
            return web.json_response({"error": "try later"}, status=503)
        key = request.headers.get("Idempotency-Key")
        if key is not None and key in self.answers:  # honoured, as Stripe does: no new order
            return web.json_response(self.answers[key], status=201)
        self.placed.append(body)
        self.keys.append(key)
        answer = {"order_id": f"o-{len(self.placed)}", **body}
        if key is not None:
            self.answers[key] = answer
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.drop and request.transport is not None:
            request.transport.abort()
        return web.json_response(answer, status=201)


def orders_document(
    api: OrdersApi, *, idempotency_key: bool = True, **policy: Any
) -> dict[str, Any]:
    """The ``orders`` http tool: ``place_order`` (POST, unsafe) and ``order_status`` (GET)."""
    parameters = {
        "type": "object",
        "properties": {
            "item": {"type": "string", "enum": ["pizza", "salad", "soup"]},
            "quantity": {"type": "integer", "minimum": 1},
        },
        "required": ["item", "quantity"],
    }
    return {
        "name": "orders",
        "kind": "http",
        "tool_functions_schema": {
            "functions": [
                {"name": "place_order", "description": "Place an order.", "parameters": parameters},
                {
                    "name": "order_status",
                    "description": "Look up an order.",
                    "parameters": {
                        "type": "object",
                        "properties": {"order_id": {"type": "string"}},
                        "required": ["order_id"],
                    },
                },
            ]
        },
        "run": {
            "requests": {
                "place_order": {
                    "method": "POST",
                    "url": f"{api.base_url}/orders",
                    "body": "{args}",
                    "idempotency_key": idempotency_key,
                    "retries": 2,
                    "timeout_seconds": TIMEOUT_SECONDS,
                },
                "order_status": {
                    "method": "GET",
                    "url": f"{api.base_url}/orders/{{args.order_id}}",
                    "timeout_seconds": TIMEOUT_SECONDS,
                },
            }
        },
        **({"call_policy": {"place_order": policy}} if policy else {}),
    }


@dataclass
class Conversation:
    """What one session's LLM asked and received, in order (``stalled``: a turn never ended)."""

    calls: list[FunctionCall]
    outputs: list[FunctionCallOutput]
    stalled: bool = False

    def output(self, call_id: str) -> FunctionCallOutput | None:
        """The output the LLM received for ``call_id`` (None: dropped)."""
        return next((out for out in self.outputs if out.call_id == call_id), None)

    def lines(self) -> list[str]:
        """Each call and what the LLM received for it, one line each."""
        lines = []
        for call in self.calls:
            lines.append(f"  -> {call.name}({call.arguments})  [{call.call_id}]")
            out = self.output(call.call_id)
            told = "(no output)" if out is None else out.output
            mark = "error" if out is not None and out.is_error else "ok"
            lines.append(f"  <- {call.name} {mark}: {told}")
        return lines


class OrderDesk:
    """The platform with agent ``desk`` bound to the ``orders`` tool of ``api``."""

    def __init__(self, container: Container, api: OrdersApi) -> None:
        self.container = container
        self.api = api

    @classmethod
    async def open(
        cls,
        api: OrdersApi,
        *,
        clock: Clock = utc_now,
        idempotency_key: bool = True,
        **policy: Any,
    ) -> OrderDesk:
        """Define and bind the tool (``policy``: ``place_order``'s call policy fields).

        ``clock`` is the time the tool sessions measure de-duplication windows with.
        """
        container = platform_container(HandlerPolicy(("tests.handlers",)), TIMEOUT_SECONDS)
        container.tool_sessions.add_kwargs(clock=clock)
        await container.agents().create("desk")
        await container.tools().define(
            orders_document(api, idempotency_key=idempotency_key, **policy)
        )
        await container.bindings().bind("desk", "orders")
        return cls(container, api)

    async def tool_session(self) -> ToolSession:
        """A new tool session of ``desk`` (close it with ``aclose``)."""
        toolset = await self.container.toolsets().load("desk")
        return await self.container.tool_sessions().open(toolset)

    async def converse(
        self,
        tools: ToolSession,
        script: Sequence[Turn],
        user_inputs: Sequence[str],
        *,
        interrupt_turns: Sequence[int] = (),
    ) -> Conversation:
        """Run ``user_inputs`` through a real ``AgentSession`` over ``tools``.

        A turn whose number is in ``interrupt_turns`` is interrupted as soon as an order
        request reaches the service (the caller spoke over the agent), so LiveKit
        cancels the running call and never hands its output to the LLM.
        """
        scripted = ScriptedLLM(
            script, when_done="Okay.", talk_seconds=1.0 if interrupt_turns else 0
        )
        calls: list[FunctionCall] = []
        outputs: list[FunctionCallOutput] = []
        session = text_agent_session(scripted)

        def executed(event: FunctionToolsExecutedEvent) -> None:
            calls.extend(event.function_calls)
            outputs.extend(out for out in event.function_call_outputs if out is not None)

        session.on("function_tools_executed", executed)
        async with session:
            await session.start(
                Agent(instructions="Take orders.", tools=LiveKitToolRuntime().tools_for(tools))
            )
            for number, user_input in enumerate(user_inputs, 1):
                self.api.arrived.clear()
                run = asyncio.ensure_future(session.run(user_input=user_input))
                if number in interrupt_turns:
                    arrived = asyncio.ensure_future(self.api.arrived.wait())
                    await asyncio.wait(
                        [run, arrived], return_when=asyncio.FIRST_COMPLETED, timeout=5
                    )
                    arrived.cancel()
                    session.interrupt()
                done, _ = await asyncio.wait([run], timeout=TURN_SECONDS)
                if not done:  # a turn that never ends: stop here, and say so
                    run.cancel()
                    await asyncio.wait([run])
                    return Conversation(calls, outputs, stalled=True)
                with contextlib.suppress(Exception):  # an interrupted run may end raising
                    run.result()
        return Conversation(calls, outputs)

    async def aclose(self) -> None:
        """Close the container's HTTP pool."""
        await self.container.http_pool().aclose()
