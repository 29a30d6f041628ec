"""Use cases of the call audit: list, show, statistics and retention (CLI and API)."""

from __future__ import annotations

import builtins
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from application.clock import Clock, utc_now
from application.lookup import find_agent
from application.ports import UnitOfWorkFactory
from application.ports.call_log import CallLog, CallQuery, CallTiming
from domain.call_records import ERROR_OUTCOMES, CallRecord
from domain.call_status import CallStatus
from domain.errors import InvalidCallQuery, NotFound

DEFAULT_RETENTION_DAYS = 30
"""How long call records are kept (``TOOL_PLATFORM_AUDIT_RETENTION_DAYS``)."""
MAX_LIMIT = 10_000
"""The most records one listing returns."""
PERCENTILES = (50, 95, 99)


@dataclass(frozen=True)
class FunctionStats:
    """One function's calls over a period.

    Attributes:
        tool: The tool (None for calls of a function no session offered).
        function: The function.
        count: How many calls.
        errors: How many ended with an error outcome.
        error_rate: ``errors / count``.
        p50_ms: The median duration, in milliseconds.
        p95_ms: The 95th percentile duration.
        p99_ms: The 99th percentile duration.
    """

    tool: str | None
    function: str
    count: int
    errors: int
    error_rate: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


@dataclass(frozen=True)
class PruneReport:
    """What pruning deleted.

    Attributes:
        deleted: How many records.
        before: The records of calls started before this time were deleted.
    """

    deleted: int
    before: datetime


class CallAuditService:
    """Reads and prunes the call records.

    Every read takes ``agent_ids`` too: a caller that may see only some agents' calls
    (an owner, through the API) passes them, and nothing else is returned.

    Args:
        log: The stored call records.
        unit_of_work: Finds agents by id or name.
        retention_days: How long records are kept (``prune`` without an age).
        clock: The current time.
    """

    def __init__(
        self,
        log: CallLog,
        unit_of_work: UnitOfWorkFactory,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        clock: Clock = utc_now,
    ) -> None:
        self._log = log
        self._unit_of_work = unit_of_work
        self._retention = timedelta(days=retention_days)
        self._clock = clock

    @property
    def clock(self) -> Clock:
        """The current time (what durations such as ``--since 15m`` count back from)."""
        return self._clock

    async def list(
        self,
        *,
        agent: str | None = None,
        agent_ids: frozenset[str] | None = None,
        tool: str | None = None,
        function: str | None = None,
        outcome: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[CallRecord]:
        """The calls that match every filter given, newest first.

        Args:
            agent: One agent's id or name.
            agent_ids: Only these agents' calls.
            tool: One tool's name.
            function: One function's name.
            outcome: One outcome (``ok``, ``tool_error``, ...).
            since: Only calls started at or after this time.
            limit: The most records returned (1 to 10,000).

        Raises:
            InvalidCallQuery: When the outcome is unknown or the limit out of range.
            NotFound: When ``agent`` names no agent.
        """
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidCallQuery(f"the limit must be 1 to {MAX_LIMIT:,}, not {limit}")
        query = CallQuery(
            agent_ids=await self._agents(agent, agent_ids),
            tool=tool,
            function=function,
            outcome=_outcome(outcome),
            since=since,
            limit=limit,
        )
        return await self._log.find(query)

    async def show(self, record_id: str, *, agent_ids: frozenset[str] | None = None) -> CallRecord:
        """One call's record.

        Raises:
            NotFound: When no record has that id (or it is not one of ``agent_ids``').
        """
        record = await self._log.get(record_id)
        if record is None or (agent_ids is not None and record.agent_id not in agent_ids):
            raise NotFound(f"no call record has the id {record_id!r}")
        return record

    async def stats(
        self,
        *,
        since: datetime | None = None,
        agent: str | None = None,
        agent_ids: frozenset[str] | None = None,
    ) -> builtins.list[FunctionStats]:
        """Per function: how many calls, the error rate and duration percentiles.

        Sorted by tool, then function.

        Raises:
            NotFound: When ``agent`` names no agent.
        """
        timings = await self._log.timings(since, await self._agents(agent, agent_ids))
        return function_stats(timings)

    async def prune(self, *, older_than: timedelta | None = None) -> PruneReport:
        """Delete the records older than ``older_than`` (the retention when None).

        Raises:
            InvalidCallQuery: When ``older_than`` is negative.
        """
        age = self._retention if older_than is None else older_than
        if age < timedelta(0):
            raise InvalidCallQuery("the age to prune must not be negative")
        before = self._clock() - age
        return PruneReport(await self._log.prune(before), before)

    async def _agents(
        self, agent: str | None, agent_ids: frozenset[str] | None
    ) -> frozenset[str] | None:
        if agent is None:
            return agent_ids
        async with self._unit_of_work(read_only=True) as uow:
            found = await find_agent(uow.agents, agent)
        if agent_ids is not None and found.id not in agent_ids:
            raise NotFound(f"no agent has the id or name {agent!r}")
        return frozenset({found.id})


def function_stats(timings: Sequence[CallTiming]) -> list[FunctionStats]:
    """Group calls by function and compute count, error rate and percentiles."""
    groups: defaultdict[tuple[str, str], list[CallTiming]] = defaultdict(list)
    for timing in timings:
        groups[(timing.tool or "", timing.function)].append(timing)
    stats = []
    for (tool, function), calls in sorted(groups.items()):
        durations = sorted(call.duration_ms for call in calls)
        errors = sum(call.outcome in ERROR_OUTCOMES for call in calls)
        p50, p95, p99 = (percentile(durations, p) for p in PERCENTILES)
        stats.append(
            FunctionStats(
                tool or None, function, len(calls), errors, errors / len(calls), p50, p95, p99
            )
        )
    return stats


def percentile(ordered: Sequence[float], rank: float) -> float:
    """The nearest-rank percentile of ascending values (0 when there are none)."""
    if not ordered:
        return 0.0
    index = max(math.ceil(rank / 100 * len(ordered)) - 1, 0)
    return ordered[index]


def _outcome(text: str | None) -> CallStatus | None:
    if text is None:
        return None
    try:
        return CallStatus(text)
    except ValueError:
        known = ", ".join(CallStatus)
        raise InvalidCallQuery(f"unknown outcome {text[:40]!r}; one of: {known}") from None


class DailyPrune:
    """Retention in a long-running process: prune at most once a day.

    Args:
        clock: The current time.
        interval: The least time between two prunes.
    """

    def __init__(self, clock: Clock = utc_now, interval: timedelta = timedelta(days=1)) -> None:
        self._clock = clock
        self._interval = interval
        self._last: datetime | None = None

    async def prune_if_due(self, audit: CallAuditService) -> PruneReport | None:
        """Prune with the retention setting, unless that was done less than a day ago."""
        now = self._clock()
        if self._last is not None and now - self._last < self._interval:
            return None
        self._last = now
        return await audit.prune()
