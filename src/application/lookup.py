"""Finding an agent by its id or its unique name."""

from __future__ import annotations

from application.ports import AgentRepository
from domain.agents import VoiceAgent
from domain.errors import NotFound


async def find_agent(agents: AgentRepository, reference: str) -> VoiceAgent:
    """Return the agent whose id, or else whose name, is ``reference``.

    Raises:
        NotFound: When no agent has that id or name.
    """
    agent = await agents.get(reference) or await agents.find_by_name(reference)
    if agent is None:
        raise unknown_agent(reference)
    return agent


def unknown_agent(reference: str) -> NotFound:
    """The error for a reference that is neither an agent's id nor its name."""
    return NotFound(f"no agent has the id or name {reference!r}")
