"""``SqlAlchemyToolCatalog``: tool versions in ``platform_tools`` and their history."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy.errors import execute
from adapters.sqlalchemy.tables import platform_tool_versions, platform_tools
from adapters.storage_common.tool_rows import (
    CONTENT_COLUMNS,
    read_stored_tool,
    readable,
    tool_columns,
)
from application.ports import ToolCatalog
from domain.errors import Conflict, VersionConflict
from domain.schema.limits import SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool

TOOL_LOCKS = 0x7470  # "tp": the advisory lock space of tool definitions on PostgreSQL
_CONTENT = tuple(platform_tools.c[column] for column in CONTENT_COLUMNS)


class SqlAlchemyToolCatalog(ToolCatalog):
    """Tool versions: the latest in ``platform_tools``, all in ``platform_tool_versions``.

    Args:
        connection: The unit of work's connection (inside its transaction).
        limits: Schema limits for reading stored tools.
        clock: The time written into rows.
    """

    def __init__(
        self, connection: AsyncConnection, limits: SchemaLimits, clock: Callable[[], datetime]
    ) -> None:
        self._connection = connection
        self._limits = limits
        self._clock = clock

    async def latest(self, name: str) -> ToolDefinition | None:
        """Return the latest version of the tool called ``name``, or None.

        Raises:
            StoredToolUnreadable: When today's settings or rules refuse it.
        """
        row = (
            await execute(
                self._connection, sa.select(*_CONTENT).where(platform_tools.c.name == name)
            )
        ).first()
        return None if row is None else readable(read_stored_tool(row._mapping, self._limits))

    async def version(self, name: str, version: int) -> ToolDefinition | None:
        """Return one stored version, or None.

        Raises:
            StoredToolUnreadable: When today's settings or rules refuse it.
        """
        rows = await self._history(platform_tool_versions.c.version == version, name=name)
        return rows[0] if rows else None

    async def versions(self, name: str) -> list[ToolDefinition]:
        """Return every stored version of a tool, oldest first.

        Raises:
            StoredToolUnreadable: When today's settings or rules refuse one of them.
        """
        return await self._history(name=name)

    async def list_latest(self) -> list[ToolDefinition | UnreadableTool]:
        """Return the latest version of every tool, sorted by name (unreadable ones too)."""
        rows = await execute(self._connection, sa.select(*_CONTENT).order_by(platform_tools.c.name))
        return [read_stored_tool(row._mapping, self._limits) for row in rows]

    async def lock_for_new_version(self, name: str) -> None:
        """Take the tool's advisory lock on PostgreSQL until the transaction ends.

        It works before the tool's first row exists. SQLite needs nothing: its writers
        hold the database's write lock from their first statement.
        """
        if self._connection.dialect.name == "postgresql":
            await execute(
                self._connection,
                sa.select(sa.func.pg_advisory_xact_lock(TOOL_LOCKS, sa.func.hashtext(name))),
            )

    async def add_version(self, tool: ToolDefinition) -> None:
        """Store ``tool`` as the next version of its name.

        Version 1 inserts the tool; a later version updates the latest row only if it
        still holds the version before, then appends the history row, whose primary key
        (tool, version) rules out duplicates.

        Raises:
            VersionConflict: When another writer stored this version first.
        """
        now = self._clock()
        columns = tool_columns(tool)
        try:
            if tool.version == 1:
                tool_id = str(uuid.uuid4())
                await execute(
                    self._connection,
                    platform_tools.insert().values(
                        id=tool_id, created_at=now, updated_at=now, **columns
                    ),
                )
            else:
                tool_id = await self._advance(tool, columns, now)
            await execute(
                self._connection,
                platform_tool_versions.insert().values(
                    tool_id=tool_id,
                    version=tool.version,
                    document=tool.to_document(),
                    fingerprint=columns["fingerprint"],
                    created_at=now,
                ),
            )
        except IntegrityError:
            raise VersionConflict(
                f"version {tool.version} of tool {tool.name!r} is taken"
            ) from None

    async def _advance(self, tool: ToolDefinition, columns: dict[str, Any], now: datetime) -> str:
        result = await execute(
            self._connection,
            platform_tools.update()
            .where(platform_tools.c.name == tool.name, platform_tools.c.version == tool.version - 1)
            .values(updated_at=now, **columns)
            .returning(platform_tools.c.id),
        )
        row = result.first()
        if row is None:
            raise VersionConflict(f"version {tool.version} of tool {tool.name!r} is taken")
        return str(row.id)

    async def _history(
        self, *conditions: sa.ColumnElement[bool], name: str
    ) -> list[ToolDefinition]:
        rows = await execute(
            self._connection,
            sa.select(platform_tool_versions.c.document)
            .join(platform_tools, platform_tools.c.id == platform_tool_versions.c.tool_id)
            .where(platform_tools.c.name == name, *conditions)
            .order_by(platform_tool_versions.c.version),
        )
        return [readable(read_stored_tool(row.document, self._limits)) for row in rows]

    async def delete(self, name: str) -> None:
        """Remove a tool with all its versions.

        Raises:
            Conflict: When bindings still use it (the database refuses the delete).
        """
        try:
            await execute(
                self._connection, platform_tools.delete().where(platform_tools.c.name == name)
            )
        except IntegrityError:
            raise Conflict(f"tool {name!r} is still bound to agents; unbind it first") from None
