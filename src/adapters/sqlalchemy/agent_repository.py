"""``SqlAlchemyAgentRepository``: the ``agents`` table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy.errors import execute
from adapters.sqlalchemy.tables import agents
from adapters.storage_common.agent_rows import agent_columns, read_agent
from application.ports import AgentRepository
from domain.agents import VoiceAgent
from domain.errors import Conflict, NotFound


class SqlAlchemyAgentRepository(AgentRepository):
    """Agents in the ``agents`` table.

    Args:
        connection: The unit of work's connection (inside its transaction).
        clock: The time written into rows.
    """

    def __init__(self, connection: AsyncConnection, clock: Callable[[], datetime]) -> None:
        self._connection = connection
        self._clock = clock

    async def get(self, agent_id: str) -> VoiceAgent | None:
        """Return the agent with this id, or None."""
        row = (
            await execute(self._connection, agents.select().where(agents.c.id == agent_id))
        ).first()
        return None if row is None else read_agent(row._mapping)

    async def find_by_name(self, name: str) -> VoiceAgent | None:
        """Return the agent with this name, or None."""
        row = (
            await execute(self._connection, agents.select().where(agents.c.name == name))
        ).first()
        return None if row is None else read_agent(row._mapping)

    async def list_all(self) -> list[VoiceAgent]:
        """Return every agent, sorted by name."""
        rows = await execute(self._connection, agents.select().order_by(agents.c.name))
        return [read_agent(row._mapping) for row in rows]

    async def add(self, agent: VoiceAgent) -> None:
        """Store a new agent.

        Raises:
            Conflict: When the id or the name is taken.
        """
        now = self._clock()
        try:
            await execute(
                self._connection,
                agents.insert().values(
                    id=agent.id, created_at=now, updated_at=now, **agent_columns(agent)
                ),
            )
        except IntegrityError:
            raise Conflict(
                f"an agent named {agent.name!r} (or with its id) already exists"
            ) from None

    async def update(self, agent: VoiceAgent) -> None:
        """Replace a stored agent.

        Raises:
            NotFound: When no agent has this id.
            Conflict: When the new name is taken.
        """
        try:
            result = await execute(
                self._connection,
                agents.update()
                .where(agents.c.id == agent.id)
                .values(updated_at=self._clock(), **agent_columns(agent)),
            )
        except IntegrityError:
            raise Conflict(f"an agent named {agent.name!r} already exists") from None
        if result.rowcount == 0:
            raise NotFound(f"no agent has the id {agent.id!r}")

    async def delete(self, agent_id: str) -> None:
        """Remove an agent (its bindings go with it: ``ON DELETE CASCADE``)."""
        await execute(self._connection, agents.delete().where(agents.c.id == agent_id))
