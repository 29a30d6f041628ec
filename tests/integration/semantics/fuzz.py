"""Randomized fault-injected call sequences against the counting order service.

Each sequence is one agent session: a real LiveKit ``AgentSession`` whose scripted LLM
places orders over a few user turns. The faults are drawn from a seeded generator: the
caller interrupts a turn while an order is in flight, the service is slow enough for a
call to time out (it carries the order out anyway), answers 503, or drops the
connection after carrying the order out; the model re-issues earlier orders and sends
identical calls concurrently in one reply. Every order of a sequence is inside its
de-duplication window, so the service must carry each distinct order out at most once:
anything more is a duplicate side effect.

``tests/integration/semantics/test_fuzz.py`` runs a small sample;
``scripts/call_semantics_fuzz.py`` runs 1,000 and prints the count.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

from adapters.livekit.scripted_llm import Call
from tests.integration.semantics.orders import Conversation, Fault, OrderDesk, OrdersApi

ITEMS = ("pizza", "salad", "soup")


@dataclass(frozen=True)
class SequenceOutcome:
    """What one sequence did.

    Attributes:
        seed: Its generator's seed (rerun it with the same seed).
        requests: Order requests the service received.
        placed: Orders it carried out.
        duplicates: Orders carried out more than once.
        repeated: Calls answered from an earlier identical one.
        conversation: The calls and what the LLM received (``stalled`` when a turn
            never ended and the sequence stopped there).
    """

    seed: int
    requests: int
    placed: int
    duplicates: int
    repeated: int
    conversation: Conversation


def _fault(rng: random.Random) -> Fault:
    roll = rng.random()
    if roll < 0.45:
        return Fault()
    if roll < 0.65:
        return Fault(delay=rng.uniform(0.05, 0.3))  # in flight when the caller interrupts
    if roll < 0.75:
        return Fault(delay=1.3)  # beyond the call's timeout: the outcome is unknown
    if roll < 0.88:
        return Fault(unavailable=True)
    return Fault(drop=True)


async def run_sequence(seed: int) -> SequenceOutcome:
    """Run the sequence ``seed`` describes and count what the service carried out."""
    rng = random.Random(seed)
    orders = [
        {"item": rng.choice(ITEMS), "quantity": rng.randint(1, 3)} for _ in range(rng.randint(1, 3))
    ]
    turns: list[tuple[Call, ...]] = []
    for turn in range(rng.randint(2, 5)):
        order = rng.choice(orders)
        calls = [Call("place_order", order, call_id=f"t{turn}-a")]
        if rng.random() < 0.3:  # the model sends it twice in one reply
            calls.append(Call("place_order", order, call_id=f"t{turn}-b"))
        turns.append(tuple(calls))
    user_turns = rng.randint(1, 3)
    interrupted = [n for n in range(1, user_turns + 1) if rng.random() < 0.5]
    async with OrdersApi() as api:
        api.faults.extend(_fault(rng) for _ in range(40))
        desk = await OrderDesk.open(api, idempotency_key=rng.random() < 0.5)
        try:
            async with await desk.tool_session() as tools:
                conversation = await desk.converse(
                    tools,
                    turns,
                    [f"Turn {n}." for n in range(1, user_turns + 1)],
                    interrupt_turns=interrupted,
                )
        finally:
            await desk.aclose()
    repeated = sum('"repeated": true' in out.output for out in conversation.outputs)
    return SequenceOutcome(
        seed, api.requests, len(api.placed), api.duplicates(), repeated, conversation
    )


async def run_sequences(seeds: range, concurrency: int = 8) -> list[SequenceOutcome]:
    """Run every sequence of ``seeds``, ``concurrency`` at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(seed: int) -> SequenceOutcome:
        async with gate:
            return await run_sequence(seed)

    return list(await asyncio.gather(*(one(seed) for seed in seeds)))
