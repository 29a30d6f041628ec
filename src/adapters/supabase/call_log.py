"""``SupabaseCallLog``: call records in Supabase's ``tool_calls``, one RPC per request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from adapters.storage_common.call_rows import call_columns, read_call
from adapters.supabase.rpc import SupabaseRpc
from application.ports.call_log import CallLog, CallQuery, CallTiming
from domain.call_records import CallRecord
from domain.call_status import CallStatus
from domain.errors import StorageUnavailable


class SupabaseCallLog(CallLog):
    """Call records through the ``tool_platform_*_calls`` functions (docs/supabase.md).

    Args:
        rpc: The Supabase storage's client (opened and closed with it).
    """

    def __init__(self, rpc: SupabaseRpc) -> None:
        self._rpc = rpc

    async def append(self, records: Sequence[CallRecord]) -> None:
        """Store a batch of records in one request (one transaction).

        Raises:
            StorageUnavailable: When Supabase cannot be reached or used.
        """
        if records:
            rows = [_json_row(call_columns(record)) for record in records]
            await self._rpc.call("tool_platform_append_calls", {"records": rows})

    async def find(self, query: CallQuery) -> list[CallRecord]:
        """The records ``query`` selects, newest first."""
        args = _filters(query.agent_ids, query.since)
        args["limit"] = query.limit
        for name in ("tool", "function", "outcome"):
            value = getattr(query, name)
            if value is not None:
                args[name] = str(value)
        return [read_call(row) for row in await self._rows("tool_platform_find_calls", args)]

    async def get(self, record_id: str) -> CallRecord | None:
        """One record, or None."""
        rows = await self._rows("tool_platform_find_calls", {"id": record_id, "limit": 1})
        return read_call(rows[0]) if rows else None

    async def timings(
        self, since: datetime | None, agent_ids: frozenset[str] | None = None
    ) -> list[CallTiming]:
        """Every call since ``since`` of these agents: tool, function, outcome, duration."""
        rows = await self._rows("tool_platform_call_timings", _filters(agent_ids, since))
        return [
            CallTiming(row["tool"], row["function"], CallStatus(row["outcome"]), row["duration_ms"])
            for row in rows
        ]

    async def prune(self, before: datetime) -> int:
        """Delete the records of calls started before ``before``; return how many."""
        deleted = await self._rpc.call("tool_platform_prune_calls", {"before": before.isoformat()})
        return int(deleted)

    async def _rows(self, function: str, args: dict[str, Any]) -> list[dict[str, Any]]:
        rows = await self._rpc.call(function, {"args": args})
        if not isinstance(rows, list):
            raise StorageUnavailable(
                f"Supabase at {self._rpc.host} sent an answer that is not rows"
            )
        return rows


def _filters(agent_ids: frozenset[str] | None, since: datetime | None) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if agent_ids is not None:
        args["agent_ids"] = sorted(agent_ids)
    if since is not None:
        args["since"] = since.isoformat()
    return args


def _json_row(columns: dict[str, Any]) -> dict[str, Any]:
    return {**columns, "started_at": columns["started_at"].isoformat()}
