"""Call audit ports: where call records go during a call, and where they are kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.call_records import CallRecord
from domain.call_status import CallStatus


class CallRecorder(Protocol):
    """Takes the record of each call as the call ends (the tool session's hook)."""

    def record(self, record: CallRecord) -> None:
        """Take one record; it must neither block nor raise: the call is waiting."""
        ...


@dataclass(frozen=True)
class CallQuery:
    """Which records to list, newest first; every filter left None matches all.

    Attributes:
        agent_ids: Only the calls of these agents (an owner's agents, one agent).
        tool: Only the calls of this tool.
        function: Only the calls of this function.
        outcome: Only the calls that ended so.
        since: Only the calls started at or after this time.
        limit: The most records returned.
    """

    agent_ids: frozenset[str] | None = None
    tool: str | None = None
    function: str | None = None
    outcome: CallStatus | None = None
    since: datetime | None = None
    limit: int = 50


@dataclass(frozen=True)
class CallTiming:
    """One call, as call statistics need it.

    Attributes:
        tool: The tool (None: the function did not exist).
        function: The function.
        outcome: How it ended.
        duration_ms: How long it took.
    """

    tool: str | None
    function: str
    outcome: CallStatus
    duration_ms: float


class CallLog(Protocol):
    """The stored call records (the ``tool_calls`` table of each storage)."""

    async def append(self, records: Sequence[CallRecord]) -> None:
        """Store a batch of records, all or none.

        Raises:
            StorageUnavailable: When the storage cannot take them.
        """
        ...

    async def find(self, query: CallQuery) -> list[CallRecord]:
        """Return the records ``query`` selects, newest first."""
        ...

    async def get(self, record_id: str) -> CallRecord | None:
        """Return one record, or None."""
        ...

    async def timings(
        self, since: datetime | None, agent_ids: frozenset[str] | None = None
    ) -> list[CallTiming]:
        """Return every call started at or after ``since`` (all when None), of these agents."""
        ...

    async def prune(self, before: datetime) -> int:
        """Delete the records of calls started before ``before``; return how many."""
        ...
