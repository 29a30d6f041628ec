"""The runaway breaker, through a real LiveKit ``AgentSession`` and a scripted LLM."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from adapters.livekit.scripted_llm import Call
from tests.builders import envelope_of
from tests.integration.semantics.orders import OrderDesk, OrdersApi


@pytest.fixture
async def api() -> AsyncIterator[OrdersApi]:
    """The counting order service."""
    async with OrdersApi() as server:
        yield server


async def test_the_breaker_trips_at_the_configured_count_and_warns_once(
    api: OrdersApi, caplog: pytest.LogCaptureFixture
) -> None:
    desk = await OrderDesk.open(api, max_calls_per_session=3)
    script = [
        Call("place_order", {"item": "soup", "quantity": n}, call_id=f"c{n}")
        for n in (1, 2, 3, 4, 5)
    ]
    caplog.set_level(logging.WARNING, logger="application.call_breaker")
    try:
        async with await desk.tool_session() as tools:
            conversation = await desk.converse(tools, script, ["Soup, again and again."])
            after = await tools.call("order_status", {"order_id": "o-1"}, call_id="other")
    finally:
        await desk.aclose()

    assert [order["quantity"] for order in api.placed] == [1, 2, 3]
    refused = [envelope_of(out.output) for out in conversation.outputs[3:]]
    assert [out.is_error for out in conversation.outputs] == [False, False, False, True, True]
    assert (
        refused
        == [
            {
                "status": "refused",
                "retryable": False,
                "error": "place_order has already been called 3 times in this conversation, the "
                "most allowed; it was not run. Stop calling it and tell the caller what happened.",
            }
        ]
        * 2
    )
    warnings = [r.getMessage() for r in caplog.records if "call breaker tripped" in r.getMessage()]
    assert len(warnings) == 1
    assert "function=place_order limit=3" in warnings[0]
    assert after.status != "refused"  # the limit is per function


async def test_the_default_limit_is_25_calls_per_function(api: OrdersApi) -> None:
    desk = await OrderDesk.open(api, side_effects="none")
    try:
        async with await desk.tool_session() as tools:
            results = [
                await tools.call("place_order", {"item": "pizza", "quantity": 1}, call_id=str(n))
                for n in range(26)
            ]
    finally:
        await desk.aclose()

    assert [r.status for r in results] == ["ok"] * 25 + ["refused"]
