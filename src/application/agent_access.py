"""Agents as a caller of the admin API may see them: the permission check applied to agents."""

from __future__ import annotations

from application.authorization import Action, authorize, owns
from application.lookup import find_agent
from application.ports import UnitOfWorkFactory
from application.principals import Principal
from domain.agents import VoiceAgent
from domain.errors import Forbidden


class AgentAccess:
    """Finds agents for a caller, refusing those they may not act on.

    Args:
        unit_of_work: Opens transactions over the repositories.
    """

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._unit_of_work = unit_of_work

    async def agent(self, principal: Principal, action: Action, reference: str) -> VoiceAgent:
        """The agent with this id or name, if ``principal`` may do ``action`` on it.

        Raises:
            NotFound: When no agent has that id or name, or a user does not own it.
            Forbidden: When the caller may not do ``action`` at all.
        """
        authorize(principal, action)
        async with self._unit_of_work(read_only=True) as uow:
            agent = await find_agent(uow.agents, reference)
        authorize(principal, action, agent, asked_as=reference)
        return agent

    async def visible(self, principal: Principal, action: Action) -> list[VoiceAgent]:
        """Every agent ``principal`` may do ``action`` on, by name (a user's own ones).

        Raises:
            Forbidden: When the caller may not do ``action`` at all.
        """
        authorize(principal, action)
        async with self._unit_of_work(read_only=True) as uow:
            agents = await uow.agents.list_all()
        return [agent for agent in agents if owns(principal, agent)]

    async def visible_ids(self, principal: Principal, action: Action) -> frozenset[str] | None:
        """The ids of the agents ``principal`` may do ``action`` on; None for every agent.

        Raises:
            Forbidden: When the caller may not do ``action`` at all.
        """
        authorize(principal, action)
        if principal.user_id is None:
            return None
        return frozenset(agent.id for agent in await self.visible(principal, action))

    def owner_for_new_agent(self, principal: Principal, asked: str | None) -> str | None:
        """The owner of an agent ``principal`` creates: a user's own id, always.

        Raises:
            Forbidden: When the caller may not create agents, or a user names another owner.
        """
        authorize(principal, Action.MANAGE_AGENTS)
        if principal.user_id is None:
            return asked
        if asked not in (None, principal.user_id):
            raise Forbidden("users create agents they own: leave owner_id out or give your own")
        return principal.user_id
