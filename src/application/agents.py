"""Use cases of agents: create, update, delete, list, show."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from application.clock import IdFactory, new_id
from application.lookup import find_agent
from application.ports import UnitOfWorkFactory
from domain.agents import AuditPayloads, ModelSettings, VoiceAgent, check_agent_name
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
        audit_payloads: AuditPayloads = AuditPayloads.NONE,
    ) -> VoiceAgent:
        """Create an agent with a unique name.

        ``audit_payloads`` says how much of its calls' values the call audit keeps.

        Raises:
            Conflict: When the name is taken.
            InvalidAgent: When a field breaks a rule.
        """
        check_agent_name(name)
        agent = VoiceAgent(
            self._ids(), name, instructions, model or ModelSettings(), owner_id, audit_payloads
        )
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
        model: str | None = None,
        voice: str | None = None,
        temperature: float | None = None,
        audit_payloads: AuditPayloads | None = None,
    ) -> VoiceAgent:
        """Change some of an agent's fields; each one left None keeps its stored value.

        The model settings are merged with the stored ones in the same transaction, so
        changing the voice keeps the model and the temperature. A stored name that
        breaks today's rules may be kept while other fields change, or replaced.

        Args:
            reference: The agent's id or name.
            name: A new unique name.
            instructions: New system instructions.
            model: A new model name.
            voice: A new voice name.
            temperature: A new sampling temperature.
            audit_payloads: How much of its calls' values the call audit keeps from now.

        Returns:
            The agent as stored now.

        Raises:
            NotFound: When no agent has that id or name.
            Conflict: When the new name is taken.
            InvalidAgent: When a new value breaks a rule.
        """
        if name is not None:
            check_agent_name(name)
        async with self._unit_of_work() as uow:
            agent = await find_agent(uow.agents, reference)
            stored = agent.model
            updated = dataclasses.replace(
                agent,
                name=agent.name if name is None else name,
                instructions=agent.instructions if instructions is None else instructions,
                model=ModelSettings(
                    stored.model if model is None else model,
                    stored.voice if voice is None else voice,
                    stored.temperature if temperature is None else temperature,
                ),
                audit_payloads=agent.audit_payloads if audit_payloads is None else audit_payloads,
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
