"""Use case: everything about one agent at once, for an operator or an admin screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from application.agents import AgentService
from application.offering import OfferAsStored
from application.ports.offering import SchemaOffering
from application.toolsets import ToolsetLoader
from domain.agents import VoiceAgent
from domain.bindings import AgentToolBinding
from domain.schema.function_schema import FunctionSchema
from domain.toolset import AgentToolset, LeftOut

DISABLED_REASON = "the binding is disabled"


@dataclass(frozen=True)
class AgentOverview:
    """An agent, its bindings, what its next session offers, and what it goes without.

    Attributes:
        agent: The agent.
        bindings: Every binding, enabled or not, oldest first (secret names, never values).
        toolset: What the agent's next session offers (enabled bindings only).
        left_out: Every binding or function the session goes without, with the reason:
            the toolset's own, then each disabled binding.
        offered: The schema the model is offered for each function of the toolset, in
            its order (the stored schema, or the target model's adaptation of it).
    """

    agent: VoiceAgent
    bindings: tuple[AgentToolBinding, ...]
    toolset: AgentToolset
    left_out: tuple[LeftOut, ...]
    offered: tuple[FunctionSchema, ...]


class AgentOverviews:
    """Reads an agent together with its bindings and its toolset.

    Args:
        agents: Reads the agent and its bindings.
        toolsets: Loads the toolset as a session would.
        offering: What the target model is offered for each function (as a session
            offers it).
    """

    def __init__(
        self,
        agents: AgentService,
        toolsets: ToolsetLoader,
        offering: SchemaOffering | None = None,
    ) -> None:
        self._agents = agents
        self._toolsets = toolsets
        self._offering = offering or OfferAsStored()

    async def overview(self, reference: str) -> AgentOverview:
        """Return the overview of the agent with this id or name.

        Reading bindings decrypts nothing: a binding whose secrets cannot be read is
        listed, and left out of the toolset with the reason.

        Raises:
            NotFound: When no agent has that id or name.
        """
        details = await self._agents.show(reference)
        toolset = await self._toolsets.load(details.agent.id)
        left_out = toolset.left_out + _disabled(details.bindings)
        offered = tuple(self._offering.offer(f.schema).schema for f in toolset.functions)
        return AgentOverview(details.agent, details.bindings, toolset, left_out, offered)


def _disabled(bindings: Sequence[AgentToolBinding]) -> tuple[LeftOut, ...]:
    return tuple(
        LeftOut(binding.tool_name, binding.id, DISABLED_REASON)
        for binding in bindings
        if not binding.enabled
    )
