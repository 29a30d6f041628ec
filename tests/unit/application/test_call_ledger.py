"""``CallLedger``: each call runs in a task of its own, which answers its caller.

The task keeps the call going when its caller stops waiting, and a call that ends
without an outcome (the session closed under it) ends its caller's wait too.
"""

from __future__ import annotations

import asyncio

import pytest

from application.call_ledger import CallLedger
from application.call_outcomes import CallOutcome, succeeded
from application.clock import utc_now
from domain.tools.call_policy import EffectivePolicy

UNSAFE = EffectivePolicy("unsafe", dedupe_window_seconds=15, max_calls_per_session=25)


async def test_a_call_goes_on_when_its_caller_stops_waiting_and_answers_its_repeat() -> None:
    ledger = CallLedger("session", utc_now)
    release = asyncio.Event()
    runs: list[str] = []

    async def execute(key: str) -> CallOutcome:
        runs.append(key)
        await release.wait()
        return succeeded("done")

    caller = asyncio.create_task(ledger.run("order", {"n": 1}, UNSAFE, execute))
    await asyncio.sleep(0.01)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    release.set()
    repeat = await ledger.run("order", {"n": 1}, UNSAFE, execute)

    assert len(runs) == 1
    assert repeat.repeated is True
    assert repeat.data == "done"


async def test_a_call_cancelled_before_it_started_ends_its_callers_wait() -> None:
    ledger = CallLedger("session", utc_now)

    async def execute(key: str) -> CallOutcome:
        return succeeded("never")

    caller = asyncio.create_task(ledger.run("order", {"n": 1}, UNSAFE, execute))
    await asyncio.sleep(0)  # the caller waits for its answer; the call's task has not run
    await ledger.aclose()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(caller, timeout=5)
