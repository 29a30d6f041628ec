"""``SqlAlchemyCallLog``: call records in the ``tool_calls`` table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from adapters.sqlalchemy.errors import unavailable
from adapters.sqlalchemy.storage import SqlAlchemyStorage
from adapters.sqlalchemy.tables import tool_calls
from adapters.storage_common.call_rows import call_columns, read_call
from application.ports.call_log import CallLog, CallQuery, CallTiming
from domain.call_records import CallRecord
from domain.call_status import CallStatus


class SqlAlchemyCallLog(CallLog):
    """Call records in the SQL storage's ``tool_calls`` table.

    Args:
        storage: The open SQL storage (its engine and connection pool).
    """

    def __init__(self, storage: SqlAlchemyStorage) -> None:
        self._storage = storage

    async def append(self, records: Sequence[CallRecord]) -> None:
        """Insert a batch of records in one transaction.

        Raises:
            StorageUnavailable: When the database fails.
        """
        if records:
            await self._run(tool_calls.insert(), [call_columns(record) for record in records])

    async def find(self, query: CallQuery) -> list[CallRecord]:
        """The records ``query`` selects, newest first."""
        statement = (
            tool_calls.select()
            .where(*_filters(query))
            .order_by(tool_calls.c.started_at.desc(), tool_calls.c.id.desc())
            .limit(query.limit)
        )
        return [read_call(row) for row in await self._rows(statement)]

    async def get(self, record_id: str) -> CallRecord | None:
        """One record, or None."""
        rows = await self._rows(tool_calls.select().where(tool_calls.c.id == record_id))
        return read_call(rows[0]) if rows else None

    async def timings(
        self, since: datetime | None, agent_ids: frozenset[str] | None = None
    ) -> list[CallTiming]:
        """Every call since ``since`` of these agents: tool, function, outcome, duration."""
        columns = tool_calls.c
        statement = sa.select(
            columns.tool, columns.function, columns.outcome, columns.duration_ms
        ).where(*_filters(CallQuery(agent_ids=agent_ids, since=since)))
        return [
            CallTiming(row["tool"], row["function"], CallStatus(row["outcome"]), row["duration_ms"])
            for row in await self._rows(statement)
        ]

    async def prune(self, before: datetime) -> int:
        """Delete the records of calls started before ``before``; return how many."""
        result = await self._run(tool_calls.delete().where(tool_calls.c.started_at < before))
        return int(result.rowcount)

    async def _rows(self, statement: sa.Select[Any]) -> list[Mapping[str, Any]]:
        try:
            async with self._storage.transaction(read_only=True) as connection:
                result = await connection.execute(statement)
                return [dict(row._mapping) for row in result.all()]
        except SQLAlchemyError as error:
            raise unavailable("reading call records failed", error) from None

    async def _run(self, statement: sa.Executable, rows: list[dict[str, Any]] | None = None) -> Any:
        try:
            async with self._storage.transaction() as connection:
                return await connection.execute(statement, rows)
        except SQLAlchemyError as error:
            raise unavailable("writing call records failed", error) from None


def _filters(query: CallQuery) -> list[sa.ColumnElement[bool]]:
    columns = tool_calls.c
    filters: list[sa.ColumnElement[bool]] = []
    if query.agent_ids is not None:
        filters.append(columns.agent_id.in_(sorted(query.agent_ids)))
    if query.tool is not None:
        filters.append(columns.tool == query.tool)
    if query.function is not None:
        filters.append(columns.function == query.function)
    if query.outcome is not None:
        filters.append(columns.outcome == str(query.outcome))
    if query.since is not None:
        filters.append(columns.started_at >= query.since)
    return filters
