"""The call log contract: every storage keeps, filters, counts and prunes call records alike.

Runs against the in-memory log, SQLite, PostgreSQL and the Supabase adapter (over the
PostgREST stand-in on real PostgreSQL); each agent's ``audit_payloads`` round-trips too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest

from adapters.memory.call_log import InMemoryCallLog
from adapters.sqlalchemy.call_log import SqlAlchemyCallLog
from adapters.supabase.call_log import SupabaseCallLog
from application.ports import CallLog, CallQuery, UnitOfWorkFactory
from domain.agents import AuditPayloads, VoiceAgent
from domain.call_records import CallRecord
from domain.call_status import CallStatus
from tests.integration.storage.conftest import sql_storage, supabase_storage

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@asynccontextmanager
async def memory_log(request: pytest.FixtureRequest) -> AsyncIterator[CallLog]:
    yield InMemoryCallLog()


@asynccontextmanager
async def sqlite_log(request: pytest.FixtureRequest) -> AsyncIterator[CallLog]:
    tmp_path = request.getfixturevalue("tmp_path")
    async with sql_storage(f"sqlite+aiosqlite:///{tmp_path}/calls.db") as storage:
        yield SqlAlchemyCallLog(storage)


@asynccontextmanager
async def postgres_log(request: pytest.FixtureRequest) -> AsyncIterator[CallLog]:
    async with sql_storage(request.getfixturevalue("fresh_postgres_url")) as storage:
        yield SqlAlchemyCallLog(storage)


@asynccontextmanager
async def supabase_log(request: pytest.FixtureRequest) -> AsyncIterator[CallLog]:
    url = request.getfixturevalue("fresh_postgres_url")
    async with supabase_storage(url) as (storage, _):
        yield SupabaseCallLog(storage._rpc)


LOGS: dict[str, Callable[[pytest.FixtureRequest], AbstractAsyncContextManager[CallLog]]] = {
    "memory": memory_log,
    "sqlite": sqlite_log,
    "postgres": postgres_log,
    "supabase": supabase_log,
}


@pytest.fixture(params=sorted(LOGS))
async def log(request: pytest.FixtureRequest) -> AsyncIterator[CallLog]:
    async with LOGS[request.param](request) as call_log:
        yield call_log


def record(number: int, **fields: object) -> CallRecord:
    values: dict[str, object] = {
        "id": f"call-{number}",
        "started_at": NOW - timedelta(minutes=number),
        "agent_id": "agent-a",
        "session_id": "session-1",
        "llm_call_id": f"llm-{number}",
        "function": "lookup",
        "duration_ms": float(number),
        "outcome": CallStatus.OK,
        "tool": "crm",
        "tool_version": 2,
        "kind": "http",
        "details": {"request": {"method": "GET", "url": "http://127.0.0.1/x", "body": None}},
        "arguments": {"size": 12, "fields": ["email"]},
        "result": {"size": 40},
    }
    values.update(fields)
    return CallRecord(**values)  # type: ignore[arg-type]


async def test_a_record_comes_back_as_it_was_stored(log: CallLog) -> None:
    stored = record(
        1,
        repeated=True,
        binding_id="b-1",
        error="the service said no",
        outcome=CallStatus.UNAVAILABLE,
        payloads=AuditPayloads.FULL,
        result=None,
        arguments={"nested": [1, "two", None, {"x": True}]},
    )
    await log.append([stored])

    assert await log.get("call-1") == stored
    assert await log.get("call-404") is None


async def test_filters_combine_and_the_newest_come_first_up_to_the_limit(log: CallLog) -> None:
    await log.append(
        [
            record(1),
            record(2, agent_id="agent-b"),
            record(3, function="book", outcome=CallStatus.TOOL_ERROR, error="no"),
            record(4, tool=None, tool_version=None, kind=None, function="ghost"),
            record(5),
        ]
    )

    def ids(records: list[CallRecord]) -> list[str]:
        return [r.id for r in records]

    assert ids(await log.find(CallQuery())) == [f"call-{n}" for n in range(1, 6)]
    assert ids(await log.find(CallQuery(limit=2))) == ["call-1", "call-2"]
    assert ids(await log.find(CallQuery(agent_ids=frozenset({"agent-b"})))) == ["call-2"]
    assert ids(await log.find(CallQuery(agent_ids=frozenset()))) == []
    assert ids(await log.find(CallQuery(tool="crm", function="lookup"))) == [
        "call-1",
        "call-2",
        "call-5",
    ]
    assert ids(await log.find(CallQuery(outcome=CallStatus.TOOL_ERROR))) == ["call-3"]
    since = NOW - timedelta(minutes=3)
    assert ids(await log.find(CallQuery(since=since))) == ["call-1", "call-2", "call-3"]


async def test_timings_give_every_call_since_a_time_of_the_agents_asked(log: CallLog) -> None:
    await log.append([record(1), record(2, agent_id="agent-b"), record(9)])

    timings = await log.timings(NOW - timedelta(minutes=5), frozenset({"agent-a"}))

    assert [(t.tool, t.function, t.outcome, t.duration_ms) for t in timings] == [
        ("crm", "lookup", CallStatus.OK, 1.0)
    ]
    assert len(await log.timings(None)) == 3


async def test_prune_deletes_exactly_the_records_older_than_the_time(log: CallLog) -> None:
    await log.append([record(n) for n in range(1, 6)])

    deleted = await log.prune(NOW - timedelta(minutes=3))

    assert deleted == 2
    assert [r.id for r in await log.find(CallQuery())] == ["call-1", "call-2", "call-3"]
    assert await log.prune(NOW - timedelta(minutes=3)) == 0


async def test_an_agents_audit_payloads_round_trips(storage: UnitOfWorkFactory) -> None:
    async with storage() as uow:
        await uow.agents.add(VoiceAgent("a-1", "alpha", audit_payloads=AuditPayloads.MASKED))
        await uow.agents.add(VoiceAgent("a-2", "beta"))
        await uow.commit()
    async with storage() as uow:
        alpha = await uow.agents.get("a-1")
        assert alpha is not None
        await uow.agents.update(VoiceAgent("a-1", "alpha", audit_payloads=AuditPayloads.FULL))
        await uow.commit()
    async with storage(read_only=True) as uow:
        updated, beta = await uow.agents.get("a-1"), await uow.agents.get("a-2")

    assert alpha.audit_payloads is AuditPayloads.MASKED
    assert updated is not None
    assert updated.audit_payloads is AuditPayloads.FULL
    assert beta is not None
    assert beta.audit_payloads is AuditPayloads.NONE
