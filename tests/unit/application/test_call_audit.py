"""The call audit's use cases and helpers: times, payload masking, statistics, owners."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.memory.call_log import InMemoryCallLog
from application.agents import AgentService
from application.audit_payloads import kept_payload, masked
from application.call_audit import CallAuditService, function_stats, percentile
from application.moments import parse_duration, parse_moment
from application.ports import CallTiming, UnitOfWorkFactory
from domain.agents import AuditPayloads
from domain.call_records import CallRecord
from domain.call_status import CallStatus
from domain.errors import InvalidCallQuery, NotFound
from domain.scrubbing import Scrubber
from tests.builders import CANARY

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", NOW - timedelta(minutes=15)),
        ("24h", NOW - timedelta(hours=24)),
        ("7d", NOW - timedelta(days=7)),
        ("2w", NOW - timedelta(weeks=2)),
        ("30s", NOW - timedelta(seconds=30)),
        ("PT15M", NOW - timedelta(minutes=15)),
        ("P1DT2H", NOW - timedelta(days=1, hours=2)),
        ("2026-11-30T09:00:00Z", datetime(2026, 11, 30, 9, tzinfo=UTC)),
        ("2026-11-30T10:00:00+01:00", datetime(2026, 11, 30, 9, tzinfo=UTC)),
        ("2026-11-30", datetime(2026, 11, 30, tzinfo=UTC)),
    ],
)
def test_moments_are_iso_times_or_durations_back_from_now(text: str, expected: datetime) -> None:
    assert parse_moment(text, NOW) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "15", "m15", "-5m", "P", "PT", "1.5h", "7 d"])
def test_anything_else_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(InvalidCallQuery) as refused:
        parse_moment(text, NOW)
    assert "\n" not in str(refused.value)


def test_a_duration_is_not_a_time() -> None:
    assert parse_duration("7d") == timedelta(days=7)
    with pytest.raises(InvalidCallQuery, match="is not a duration"):
        parse_duration("2026-01-01")
    with pytest.raises(InvalidCallQuery, match="too long a duration"):
        parse_duration("999999999w")


def test_masked_keeps_structure_and_replaces_values_by_type_and_length() -> None:
    value = {"name": "Ana", "n": 12.5, "ok": True, "none": None, "items": [1, "xy"]}

    assert masked(value) == {
        "name": "<string:3>",
        "n": "<number:4>",
        "ok": "<boolean>",
        "none": "<null>",
        "items": ["<number:1>", "<string:2>"],
    }


@pytest.mark.parametrize("mode", list(AuditPayloads))
def test_no_mode_keeps_a_secret_even_as_a_key_or_inside_text(mode: AuditPayloads) -> None:
    value = {CANARY: f"Bearer {CANARY}", "nested": [f'{{"t": "{CANARY}"}}']}

    kept = kept_payload(value, mode, Scrubber([CANARY]))

    assert CANARY not in repr(kept)


def test_full_keeps_the_values_with_each_secret_masked() -> None:
    value = {"auth": f"Bearer {CANARY}", "nested": [f'{{"t": "{CANARY}"}}'], "n": 3}

    kept = kept_payload(value, AuditPayloads.FULL, Scrubber([CANARY]))

    assert kept == {"auth": "Bearer ********", "nested": ['{"t": "********"}'], "n": 3}


def record(number: int, agent_id: str = "a-1", **fields: object) -> CallRecord:
    values: dict[str, object] = {
        "id": f"r-{number}",
        "started_at": NOW - timedelta(days=number),
        "agent_id": agent_id,
        "session_id": "s",
        "llm_call_id": "c",
        "function": "f",
        "duration_ms": float(number),
        "outcome": CallStatus.OK,
        "tool": "t",
    }
    values.update(fields)
    return CallRecord(**values)  # type: ignore[arg-type]


def test_stats_count_errors_and_take_nearest_rank_percentiles() -> None:
    timings = [CallTiming("t", "f", CallStatus.OK, float(ms)) for ms in range(1, 101)]
    timings += [CallTiming("t", "g", CallStatus.TIMEOUT_OUTCOME_UNKNOWN, 7.0)]
    timings += [CallTiming(None, "ghost", CallStatus.NOT_FOUND, 0.5)]

    ghost, f, g = function_stats(timings)

    assert (ghost.tool, ghost.function, ghost.errors) == (None, "ghost", 1)
    assert (f.count, f.errors, f.error_rate, f.p50_ms, f.p95_ms, f.p99_ms) == (
        100,
        0,
        0.0,
        50.0,
        95.0,
        99.0,
    )
    assert (g.count, g.error_rate, g.p99_ms) == (1, 1.0, 7.0)
    assert percentile([], 50) == 0.0


async def test_an_owners_reads_see_only_their_agents_calls(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    agents = AgentService(unit_of_work)
    mine = await agents.create("mine")
    theirs = await agents.create("theirs")
    log = InMemoryCallLog()
    await log.append([record(1, mine.id), record(2, theirs.id)])
    audit = CallAuditService(log, unit_of_work, clock=lambda: NOW)
    owned = frozenset({mine.id})

    assert [r.id for r in await audit.list(agent_ids=owned)] == ["r-1"]
    assert [s.count for s in await audit.stats(agent_ids=owned)] == [1]
    assert (await audit.show("r-1", agent_ids=owned)).agent_id == mine.id
    with pytest.raises(NotFound):
        await audit.show("r-2", agent_ids=owned)
    with pytest.raises(NotFound):
        await audit.list(agent="theirs", agent_ids=owned)
    assert [r.id for r in await audit.list(agent="theirs")] == ["r-2"]


async def test_prune_deletes_what_is_older_than_the_retention_or_the_age_given(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    log = InMemoryCallLog()
    await log.append([record(n) for n in (1, 29, 31, 40)])
    audit = CallAuditService(log, unit_of_work, retention_days=30, clock=lambda: NOW)

    by_retention = await audit.prune()
    by_age = await audit.prune(older_than=timedelta(days=2))

    assert (by_retention.deleted, by_retention.before) == (2, NOW - timedelta(days=30))
    assert by_age.deleted == 1
    assert [r.id for r in await audit.list()] == ["r-1"]
    with pytest.raises(InvalidCallQuery):
        await audit.prune(older_than=timedelta(days=-1))
