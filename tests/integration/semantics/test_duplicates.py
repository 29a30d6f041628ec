"""No duplicate side effects, through a real LiveKit ``AgentSession`` and a scripted LLM.

The caller interrupts right after the model placed an order, LiveKit drops the call's
output, and the model places the same order again: the order service sees one request,
and the model is told the second call was answered from the first (``repeated``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.livekit.scripted_llm import Call, Say
from application.tool_session import CallResult
from tests.builders import envelope_of
from tests.integration.semantics.orders import Fault, ManualClock, OrderDesk, OrdersApi

PIZZA = {"item": "pizza", "quantity": 2}


@pytest.fixture
async def api() -> AsyncIterator[OrdersApi]:
    """The counting order service."""
    async with OrdersApi() as server:
        yield server


@pytest.fixture
async def desk(api: OrdersApi) -> AsyncIterator[OrderDesk]:
    """The platform with ``desk`` bound to the order service."""
    opened = await OrderDesk.open(api)
    yield opened
    await opened.aclose()


async def test_an_interrupted_order_placed_again_reaches_the_service_once(
    desk: OrderDesk, api: OrdersApi
) -> None:
    api.faults.append(Fault(delay=0.2))  # still placing it when the caller speaks
    script = [
        Call("place_order", PIZZA, call_id="first"),
        Call("place_order", PIZZA, call_id="again"),
        Say("Your pizzas are ordered."),
    ]
    async with await desk.tool_session() as tools:
        conversation = await desk.converse(
            tools, script, ["Two pizzas, please.", "Hello? Did it work?"], interrupt_turns=[1]
        )

    assert api.requests == 1
    assert api.placed == [PIZZA]
    again = conversation.output("again")
    assert again is not None
    assert not again.is_error
    told = envelope_of(again.output)
    assert told["status"] == "ok"
    assert told["repeated"] is True
    assert told["data"]["order_id"] == "o-1"
    assert "not performed twice" in told["note"]


async def test_a_caller_who_stops_waiting_does_not_stop_the_order_or_lose_its_result(
    desk: OrderDesk, api: OrdersApi
) -> None:
    """LiveKit cancels a call it dropped from the chat; its outcome is kept for the window."""
    api.faults.append(Fault(delay=0.2))
    async with await desk.tool_session() as tools:
        dropped = asyncio.ensure_future(tools.call("place_order", PIZZA, call_id="first"))
        await api.arrived.wait()
        dropped.cancel()
        again = await tools.call("place_order", PIZZA, call_id="again")

    assert api.requests == 1
    assert (again.ok, again.repeated) == (True, True)
    assert envelope_of(again.output)["data"]["order_id"] == "o-1"


async def test_identical_orders_in_one_reply_run_once_and_both_get_the_result(
    desk: OrderDesk, api: OrdersApi
) -> None:
    api.faults.append(Fault(delay=0.1))
    script = [(Call("place_order", PIZZA, call_id="a"), Call("place_order", PIZZA, call_id="b"))]
    async with await desk.tool_session() as tools:
        conversation = await desk.converse(tools, script, ["Two pizzas. Two pizzas!"])

    assert api.requests == 1
    told = {
        call_id: envelope_of(out.output)
        for call_id in ("a", "b")
        if (out := conversation.output(call_id)) is not None
    }
    assert [t["data"]["order_id"] for t in told.values()] == ["o-1", "o-1"]
    assert sorted(bool(t.get("repeated")) for t in told.values()) == [False, True]


async def test_a_different_order_is_not_a_repeat(desk: OrderDesk, api: OrdersApi) -> None:
    async with await desk.tool_session() as tools:
        first = await tools.call("place_order", PIZZA, call_id="1")
        other = await tools.call("place_order", {"item": "pizza", "quantity": 3}, call_id="2")

    assert (first.repeated, other.repeated) == (False, False)
    assert api.placed == [PIZZA, {"item": "pizza", "quantity": 3}]


async def test_after_the_window_a_deliberate_repeat_runs_with_a_new_idempotency_key(
    api: OrdersApi,
) -> None:
    clock = ManualClock()
    desk = await OrderDesk.open(api, clock=clock, dedupe_window_seconds=30)
    try:
        async with await desk.tool_session() as tools:
            first = await tools.call("place_order", PIZZA, call_id="1")
            clock.advance(30)
            inside = await tools.call("place_order", PIZZA, call_id="2")
            clock.advance(0.5)
            after = await tools.call("place_order", PIZZA, call_id="3")
    finally:
        await desk.aclose()

    assert [first.repeated, inside.repeated, after.repeated] == [False, True, False]
    assert api.placed == [PIZZA, PIZZA]
    assert len(set(api.keys)) == 2
    assert all(api.keys)


async def place_pizzas_twice(api: OrdersApi, **policy: object) -> list[CallResult]:
    """Place the same order twice in one session of a desk with ``policy``."""
    desk = await OrderDesk.open(api, **policy)
    try:
        async with await desk.tool_session() as tools:
            return [await tools.call("place_order", PIZZA, call_id=str(n)) for n in range(2)]
    finally:
        await desk.aclose()


async def test_a_window_of_zero_turns_de_duplication_off(api: OrdersApi) -> None:
    results = await place_pizzas_twice(api, dedupe_window_seconds=0)

    assert [result.repeated for result in results] == [False, False]
    assert api.requests == 2
    assert api.keys[0] != api.keys[1]


@pytest.mark.parametrize("side_effects", ["none", "idempotent"])
async def test_functions_without_unsafe_side_effects_run_every_time(
    api: OrdersApi, side_effects: str
) -> None:
    results = await place_pizzas_twice(api, side_effects=side_effects)

    assert [result.repeated for result in results] == [False, False]
    assert api.requests == 2  # both sent, with one key (re-issued inside the window) ...
    assert api.placed == [PIZZA]  # ... so the service carried the order out once


async def test_a_retryable_failure_does_not_block_the_next_identical_call(
    desk: OrderDesk, api: OrdersApi
) -> None:
    api.faults.extend([Fault(unavailable=True)] * 3)  # the first call and its two retries
    async with await desk.tool_session() as tools:
        failed = await tools.call("place_order", PIZZA, call_id="1")
        again = await tools.call("place_order", PIZZA, call_id="2")

    assert (failed.status, again.status, again.repeated) == ("unavailable", "ok", False)
    assert api.placed == [PIZZA]
    assert len(set(api.keys)) == 1  # the same window, the same key: the upstream can tell


async def test_a_dropped_order_is_retried_with_its_key_and_the_service_places_it_once(
    desk: OrderDesk, api: OrdersApi
) -> None:
    api.faults.append(Fault(drop=True))  # carried out, then the connection dropped
    async with await desk.tool_session() as tools:
        placed = await tools.call("place_order", PIZZA, call_id="1")

    assert (placed.status, api.requests, api.placed) == ("ok", 2, [PIZZA])


async def test_an_order_whose_outcome_is_unknown_is_not_placed_again(api: OrdersApi) -> None:
    api.faults.append(Fault(drop=True))  # carried out, then the connection dropped
    desk = await OrderDesk.open(api, idempotency_key=False)
    try:
        async with await desk.tool_session() as tools:
            unknown = await tools.call("place_order", PIZZA, call_id="1")
            again = await tools.call("place_order", PIZZA, call_id="2")
    finally:
        await desk.aclose()

    assert api.placed == [PIZZA]
    assert (unknown.status, again.status, again.repeated) == (
        "timeout_outcome_unknown",
        "timeout_outcome_unknown",
        True,
    )
    assert envelope_of(again.output)["retryable"] is False
