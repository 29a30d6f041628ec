"""``SqlAlchemyToolCatalog``: tool versions in ``platform_tools`` and their history."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy.execution import execute
from adapters.sqlalchemy.tables import platform_tool_versions, platform_tools
from application.ports import ToolCatalog
from domain.errors import Conflict, StorageBusy, VersionConflict
from domain.schema.limits import SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.document import read_tool_document

CONTENT_COLUMNS = (
    "name",
    "display_name",
    "description",
    "kind",
    "config_schema",
    "auth_type",
    "auth_config",
    "secret_names",
    "tool_functions_schema",
    "run",
    "version",
)
"""The ``platform_tools`` columns that make up a tool document."""


def tool_from_row(row: sa.Row[Any], limits: SchemaLimits, prefix: str = "") -> ToolDefinition:
    """Read a tool from a row holding the :data:`CONTENT_COLUMNS` (labelled ``prefix + name``)."""
    mapping = row._mapping  # SQLAlchemy's public row mapping
    document = {column: mapping[prefix + column] for column in CONTENT_COLUMNS}
    return read_tool_document(document, limits).tool


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
        """Return the latest version of the tool called ``name``, or None."""
        row = (
            await execute(
                self._connection,
                sa.select(*(platform_tools.c[c] for c in CONTENT_COLUMNS)).where(
                    platform_tools.c.name == name
                ),
            )
        ).first()
        return None if row is None else tool_from_row(row, self._limits)

    async def version(self, name: str, version: int) -> ToolDefinition | None:
        """Return one stored version, or None."""
        row = (
            await execute(
                self._connection,
                sa.select(platform_tool_versions.c.document)
                .join(platform_tools, platform_tools.c.id == platform_tool_versions.c.tool_id)
                .where(platform_tools.c.name == name, platform_tool_versions.c.version == version),
            )
        ).first()
        return None if row is None else read_tool_document(row.document, self._limits).tool

    async def versions(self, name: str) -> list[ToolDefinition]:
        """Return every stored version of a tool, oldest first."""
        rows = await execute(
            self._connection,
            sa.select(platform_tool_versions.c.document)
            .join(platform_tools, platform_tools.c.id == platform_tool_versions.c.tool_id)
            .where(platform_tools.c.name == name)
            .order_by(platform_tool_versions.c.version),
        )
        return [read_tool_document(row.document, self._limits).tool for row in rows]

    async def list_latest(self) -> list[ToolDefinition]:
        """Return the latest version of every tool, sorted by name."""
        rows = await execute(
            self._connection,
            sa.select(*(platform_tools.c[c] for c in CONTENT_COLUMNS)).order_by(
                platform_tools.c.name
            ),
        )
        return [tool_from_row(row, self._limits) for row in rows]

    async def add_version(self, tool: ToolDefinition) -> None:
        """Store ``tool`` as the next version of its name.

        Version 1 inserts the tool; a later version updates the latest row only if it
        still holds the version before (optimistic concurrency), then appends the
        history row, whose primary key (tool, version) rules out duplicates.

        Raises:
            VersionConflict: When another writer stored this version first.
        """
        now = self._clock()
        document = tool.to_document()
        content = {column: document[column] for column in CONTENT_COLUMNS}
        content["fingerprint"] = document["fingerprint"]
        try:
            if tool.version == 1:
                tool_id = str(uuid.uuid4())
                await execute(
                    self._connection,
                    platform_tools.insert().values(
                        id=tool_id, created_at=now, updated_at=now, **content
                    ),
                )
            else:
                tool_id = await self._advance(tool, content, now)
            await execute(
                self._connection,
                platform_tool_versions.insert().values(
                    tool_id=tool_id,
                    version=tool.version,
                    document=document,
                    fingerprint=document["fingerprint"],
                    created_at=now,
                ),
            )
        except (IntegrityError, StorageBusy):
            raise VersionConflict(
                f"version {tool.version} of tool {tool.name!r} is taken"
            ) from None

    async def _advance(self, tool: ToolDefinition, content: dict[str, Any], now: datetime) -> str:
        result = await execute(
            self._connection,
            platform_tools.update()
            .where(platform_tools.c.name == tool.name, platform_tools.c.version == tool.version - 1)
            .values(updated_at=now, **content)
            .returning(platform_tools.c.id),
        )
        row = result.first()
        if row is None:
            raise VersionConflict(f"version {tool.version} of tool {tool.name!r} is taken")
        return str(row.id)

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
