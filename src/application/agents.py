"""Use cases of agents: create, update, delete, list, show."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from application.clock import IdFactory, new_id
from application.lookup import find_agent
from application.ports import UnitOfWorkFactory
from domain.agents import ModelSettings, VoiceAgent
from domain.bindings import AgentToolBinding
from domain.errors import Conflict


@dataclass(frozen=True)
class AgentDetails:
    """An agent and its bindings (bindings expose secret names, never values)."""

    agent: VoiceAgent
    bindings: tuple[AgentToolBinding, ...]


class AgentService:
    """Creates, changes and reads agents.

    Args:
        unit_of_work: Opens transactions over the repositories.
        ids: Makes new agent ids.
    """

    def __init__(self, unit_of_work: UnitOfWorkFactory, ids: IdFactory = new_id) -> None:
        self._unit_of_work = unit_of_work
        self._ids = ids

    async def create(
        self,
        name: str,
        instructions: str = "",
        model: ModelSettings | None = None,
        owner_id: str | None = None,
    ) -> VoiceAgent:
        """Create an agent with a unique name.

        Raises:
            Conflict: When the name is taken.
            InvalidAgent: When a field breaks a rule.
        """
        agent = VoiceAgent(self._ids(), name, instructions, model or ModelSettings(), owner_id)
        async with self._unit_of_work() as uow:
            if await uow.agents.find_by_name(name) is not None:
                raise Conflict(f"an agent named {name!r} already exists")
            await uow.agents.add(agent)
            await uow.commit()
        return agent

    async def update(
        self,
        reference: str,
        *,
        name: str | None = None,
        instructions: str | None = None,
        model: ModelSettings | None = None,
    ) -> VoiceAgent:
        """Change an agent's name, instructions or model settings (None keeps a field).

        Raises:
            NotFound: When no agent has that id or name.
            Conflict: When the new name is taken.
        """
        async with self._unit_of_work() as uow:
            agent = await find_agent(uow.agents, reference)
            updated = dataclasses.replace(
                agent,
                name=agent.name if name is None else name,
                instructions=agent.instructions if instructions is None else instructions,
                model=agent.model if model is None else model,
            )
            other = await uow.agents.find_by_name(updated.name)
            if other is not None and other.id != agent.id:
                raise Conflict(f"an agent named {updated.name!r} already exists")
            await uow.agents.update(updated)
            await uow.commit()
        return updated

    async def delete(self, reference: str) -> VoiceAgent:
        """Delete an agent with its bindings and their secrets, in one transaction.

        Raises:
            NotFound: When no agent has that id or name.
        """
        async with self._unit_of_work() as uow:
            agent = await find_agent(uow.agents, reference)
            await uow.bindings.delete_for_agent(agent.id)
            await uow.agents.delete(agent.id)
            await uow.commit()
        return agent

    async def list_all(self) -> list[VoiceAgent]:
        """Return every agent, by name."""
        async with self._unit_of_work() as uow:
            return await uow.agents.list_all()

    async def show(self, reference: str) -> AgentDetails:
        """Return an agent with its bindings.

        Raises:
            NotFound: When no agent has that id or name.
        """
        async with self._unit_of_work() as uow:
            agent = await find_agent(uow.agents, reference)
            bindings = await uow.bindings.for_agent(agent.id)
        return AgentDetails(agent, tuple(bindings))
