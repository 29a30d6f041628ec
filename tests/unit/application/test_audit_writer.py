"""The audit writer: off the hot path, whatever the storage does.

Calls go through the container's own tool sessions (python test handlers, in-memory
storage) whose recorder is the writer; its call log is the in-memory one, one whose
``append`` hangs on an event nobody sets, or one that fails. A hung or failing storage
leaves every call completing and counts each record it could not store; the warning
comes at most once a minute, by the clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import pytest
from dependency_injector import providers

from adapters.memory.call_log import InMemoryCallLog
from application.audit_writer import AuditWriter
from application.ports import CallQuery
from application.tool_session import ToolSession
from domain.call_records import CallRecord
from domain.call_status import CallStatus
from domain.errors import StorageUnavailable
from entrypoints.lifespan import lifespan
from tests.builders import EPOCH, platform_container, python_tool_document
from tests.unit.application.conftest import TEST_HANDLERS

CALLS = 12


class HangingLog(InMemoryCallLog):
    """A storage that never answers: ``append`` waits on an event nobody sets."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.attempts = 0

    async def append(self, records: Sequence[CallRecord]) -> None:
        self.attempts += 1
        await self.release.wait()
        await super().append(records)


class CountingLog(InMemoryCallLog):
    """A storage that keeps the size of each batch appended."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    async def append(self, records: Sequence[CallRecord]) -> None:
        self.batches.append(len(records))
        await super().append(records)


class FailingLog(InMemoryCallLog):
    """A storage that refuses every write."""

    async def append(self, records: Sequence[CallRecord]) -> None:
        raise StorageUnavailable("the database is down")


class ManualClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = EPOCH

    def __call__(self) -> datetime:
        return self.now


@asynccontextmanager
async def session_writing_to(writer: AuditWriter) -> AsyncIterator[ToolSession]:
    """Agent ``desk`` with an ``echo`` function, in a session whose recorder is ``writer``."""
    container = platform_container(TEST_HANDLERS, 5.0)
    container.audit_writer.override(providers.Object(writer))
    async with lifespan(container):
        await container.tools().define(python_tool_document("echoes", {"echo": "echo"}))
        await container.agents().create("desk")
        await container.bindings().bind("desk", "echoes")
        toolset = await container.toolsets().load("desk")
        async with await container.tool_sessions().open(toolset) as session:
            yield session


async def call_many(session: ToolSession) -> list[CallStatus]:
    results = [
        await session.call("echo", {"text": f"call {n}"}, call_id=f"c{n}") for n in range(CALLS)
    ]
    return [result.status for result in results]


async def test_every_call_is_stored_once_by_a_working_writer() -> None:
    log = InMemoryCallLog()
    writer = AuditWriter(log, queue_size=100, batch_size=5)
    async with session_writing_to(writer) as session:
        statuses = await call_many(session)
        await writer.flush()

    stored = await log.find(CallQuery(limit=100))
    assert statuses == [CallStatus.OK] * CALLS
    assert sorted(r.llm_call_id for r in stored) == sorted(f"c{n}" for n in range(CALLS))
    assert (writer.written, writer.dropped) == (CALLS, 0)


async def test_a_hung_storage_leaves_calls_completing_and_counts_the_drops(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = HangingLog()
    writer = AuditWriter(log, queue_size=3, batch_size=2, flush_seconds=0.05)
    async with session_writing_to(writer) as session:
        statuses = await call_many(session)
        await asyncio.sleep(0)  # the writer takes its first batch and hangs on it
        dropped_while_running = writer.dropped

    assert statuses == [CallStatus.OK] * CALLS
    assert log.attempts == 1
    assert dropped_while_running >= CALLS - 3 - 2  # beyond the queue and one batch
    assert writer.dropped == CALLS  # at shutdown: the hung batch and the queue too
    assert writer.written == 0
    warnings = [r for r in caplog.records if r.name == "application.audit_writer"]
    assert len(warnings) == 1  # the same minute: one warning
    assert "record(s) dropped" in warnings[0].getMessage()


async def test_a_failing_storage_counts_every_record_and_warns_once_a_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = ManualClock()
    writer = AuditWriter(FailingLog(), queue_size=100, batch_size=1, clock=clock)
    caplog.set_level(logging.WARNING, logger="application.audit_writer")
    async with session_writing_to(writer) as session:
        first = await call_many(session)
        await writer.flush()
        clock.now += timedelta(seconds=59)
        await call_many(session)
        await writer.flush()
        clock.now += timedelta(seconds=1)
        await call_many(session)
        await writer.flush()

    assert first == [CallStatus.OK] * CALLS
    assert writer.dropped == 3 * CALLS
    warnings = [r.getMessage() for r in caplog.records if r.name == "application.audit_writer"]
    assert len(warnings) == 2
    assert "storing call records failed (StorageUnavailable)" in warnings[0]
    assert f"{3 * CALLS - CALLS + 1} record(s)" in warnings[1]


async def test_closing_stores_what_is_queued_within_the_bound() -> None:
    log = InMemoryCallLog()
    writer = AuditWriter(log, queue_size=100, flush_seconds=5)
    async with session_writing_to(writer) as session:
        await call_many(session)
    # the lifespan closed the writer: everything queued was stored first

    assert len(await log.find(CallQuery(limit=100))) == CALLS
    assert writer.dropped == 0
    writer.record((await log.find(CallQuery(limit=1)))[0])
    assert writer.dropped == 1  # a record after shutdown is dropped, not queued


async def test_a_record_after_a_quiet_spell_is_stored_at_once() -> None:
    log = CountingLog()
    writer = AuditWriter(log, queue_size=100, linger_seconds=60)
    async with session_writing_to(writer) as session:
        await session.call("echo", {"text": "alone"}, call_id="c")
        async with asyncio.timeout(10):  # far less than the linger
            while writer.written < 1:
                await asyncio.sleep(0.01)

    assert log.batches == [1]


async def test_a_batch_soon_after_the_last_waits_and_a_flush_stores_it_at_once() -> None:
    log = CountingLog()
    writer = AuditWriter(log, queue_size=100, batch_size=CALLS + 1, linger_seconds=60)
    async with session_writing_to(writer) as session:
        await session.call("echo", {"text": "first"}, call_id="first")
        await writer.flush()
        await call_many(session)
        for _ in range(10):
            await asyncio.sleep(0)
        stored_before_the_flush = list(log.batches)
        await asyncio.wait_for(writer.flush(), 10)

    assert stored_before_the_flush == [1]  # lingering: not one append per call
    assert log.batches == [1, CALLS]
    assert writer.written == CALLS + 1


async def test_a_full_batch_is_stored_without_lingering() -> None:
    log = CountingLog()
    writer = AuditWriter(log, queue_size=100, batch_size=4, linger_seconds=60)
    async with session_writing_to(writer) as session:
        await session.call("echo", {"text": "first"}, call_id="first")
        await writer.flush()
        await call_many(session)
        async with asyncio.timeout(10):  # far less than the linger
            while writer.written < CALLS + 1:
                await asyncio.sleep(0.01)

    assert log.batches == [1] + [4] * (CALLS // 4)


async def test_closing_stores_a_lingering_batch_at_once() -> None:
    log = CountingLog()
    writer = AuditWriter(log, queue_size=100, flush_seconds=10, linger_seconds=60)
    async with asyncio.timeout(10), session_writing_to(writer) as session:
        await session.call("echo", {"text": "first"}, call_id="first")
        await writer.flush()
        await call_many(session)

    assert log.batches == [1, CALLS]
    assert writer.dropped == 0
