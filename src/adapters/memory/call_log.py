"""``InMemoryCallLog``: call records kept in a list (the in-memory storage's ``tool_calls``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from application.ports.call_log import CallLog, CallQuery, CallTiming
from domain.call_records import CallRecord


class InMemoryCallLog(CallLog):
    """The call records of one process, newest last."""

    def __init__(self) -> None:
        self._records: dict[str, CallRecord] = {}

    async def append(self, records: Sequence[CallRecord]) -> None:
        """Keep a batch of records."""
        self._records.update((record.id, record) for record in records)

    async def find(self, query: CallQuery) -> list[CallRecord]:
        """The records ``query`` selects, newest first."""
        selected = [record for record in self._records.values() if _matches(record, query)]
        selected.sort(key=lambda record: (record.started_at, record.id), reverse=True)
        return selected[: query.limit]

    async def get(self, record_id: str) -> CallRecord | None:
        """One record, or None."""
        return self._records.get(record_id)

    async def timings(
        self, since: datetime | None, agent_ids: frozenset[str] | None = None
    ) -> list[CallTiming]:
        """Every call since ``since`` of these agents."""
        query = CallQuery(agent_ids=agent_ids, since=since)
        return [
            CallTiming(record.tool, record.function, record.outcome, record.duration_ms)
            for record in self._records.values()
            if _matches(record, query)
        ]

    async def prune(self, before: datetime) -> int:
        """Forget the records of calls started before ``before``."""
        old = [key for key, record in self._records.items() if record.started_at < before]
        for key in old:
            del self._records[key]
        return len(old)


def _matches(record: CallRecord, query: CallQuery) -> bool:
    return (
        (query.agent_ids is None or record.agent_id in query.agent_ids)
        and (query.tool is None or record.tool == query.tool)
        and (query.function is None or record.function == query.function)
        and (query.outcome is None or record.outcome == query.outcome)
        and (query.since is None or record.started_at >= query.since)
    )
