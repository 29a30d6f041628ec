"""``CallLedger``: one session's identical calls, so an unsafe action never runs twice.

Two calls are identical when they name the same function with equal validated
arguments. The first call of a window runs; its outcome is kept for the function's
``dedupe_window_seconds`` after it completes, even when the caller interrupted and the
model never saw it. Inside the window, an identical call of an ``unsafe`` function does
not run: it gets the first call's outcome (awaiting it while it still runs), marked
``repeated``. A first call that ended with a retryable failure (nothing happened; trying
again may help) does not block the next one: it runs again, in the same window.

Every call of a window shares one idempotency key, derived from the session, the call's
content and the window's first call, so an upstream that honours ``Idempotency-Key``
sees retries and re-issues as one request, and a deliberate repeat after the window as
a new one.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from application.call_outcomes import RETRYABLE, CallOutcome
from application.clock import Clock
from domain.json_types import JsonObject
from domain.tools.call_policy import EffectivePolicy

Execution = Callable[[str], Coroutine[Any, Any, CallOutcome]]
"""Runs the call with the idempotency key given; returns its outcome, never raises."""


@dataclass
class _Window:
    key: str
    task: asyncio.Task[CallOutcome] = field(init=False)
    completed_at: datetime | None = None

    def open_at(self, now: datetime, seconds: float) -> bool:
        """Whether the window still holds at ``now`` (its call runs, or ended lately)."""
        return self.completed_at is None or now - self.completed_at <= timedelta(seconds=seconds)

    def answers_repeats(self) -> bool:
        """Whether an identical call gets this window's outcome instead of running."""
        if not self.task.done():
            return True
        return not self.task.cancelled() and not RETRYABLE[self.task.result().status]


class CallLedger:
    """The calls of one session that identical calls are measured against.

    Args:
        session_id: The session's own id (part of every idempotency key).
        clock: The time (tests pass their own).
    """

    def __init__(self, session_id: str, clock: Clock) -> None:
        self._session = session_id
        self._clock = clock
        self._windows: dict[str, _Window] = {}
        self._running: set[asyncio.Task[CallOutcome]] = set()

    async def run(
        self, function: str, arguments: JsonObject, policy: EffectivePolicy, execute: Execution
    ) -> CallOutcome:
        """Run the call, or answer it from its identical predecessor.

        The call runs as its own task, so it completes (and its outcome is kept) even
        when the caller stops waiting for it (:meth:`_answered`).
        """
        content = json.dumps([function, arguments], sort_keys=True, ensure_ascii=False)
        now = self._clock()
        window = self._windows.get(content)
        if window is not None and not window.open_at(now, policy.dedupe_window_seconds):
            window = None
        if window is not None and policy.dedupes and window.answers_repeats():
            outcome = await asyncio.shield(window.task)
            return outcome.as_repeat(policy.dedupe_window_seconds)
        current = _Window(window.key if window is not None else self._key(content, now))
        answer: asyncio.Future[CallOutcome] = asyncio.get_running_loop().create_future()
        current.task = asyncio.create_task(self._answered(current, execute, answer))
        self._running.add(current.task)
        current.task.add_done_callback(lambda task: self._ended(task, answer))
        if policy.dedupe_window_seconds > 0:
            self._windows[content] = current
        return await answer

    async def _answered(
        self, window: _Window, execute: Execution, answer: asyncio.Future[CallOutcome]
    ) -> CallOutcome:
        """Run the call in its own task and hand its outcome to ``answer`` at once.

        What ``asyncio.shield`` does, one pass of the event loop sooner: a caller that
        stops waiting cancels ``answer`` only, and the call runs on. The window's
        completion is noted before the caller gets the outcome.
        """
        try:
            outcome = await execute(window.key)
        finally:
            window.completed_at = self._clock()
        if not answer.done():
            answer.set_result(outcome)
        return outcome

    def _ended(self, task: asyncio.Task[CallOutcome], answer: asyncio.Future[CallOutcome]) -> None:
        """Forget a finished call; a call that ended unanswered passes its end on.

        Cancelled (the session closed, perhaps before the call started) or raising, the
        call's task never answered: its caller gets the cancellation or the exception.
        """
        self._running.discard(task)
        if answer.done():
            return
        if task.cancelled():
            answer.cancel()
        elif (error := task.exception()) is not None:
            answer.set_exception(error)

    def _key(self, content: str, first_call_at: datetime) -> str:
        seed = f"{self._session}\n{content}\n{first_call_at.isoformat()}"
        return hashlib.sha256(seed.encode("utf-8", errors="surrogatepass")).hexdigest()[:40]

    async def aclose(self) -> None:
        """Stop the calls still running (the session ended) and forget every window."""
        running = list(self._running)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        self._windows.clear()
