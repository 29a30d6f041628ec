"""Use case: the catalog at a glance, each tool with the agents bound to it."""

from __future__ import annotations

from dataclasses import dataclass

from application.catalog import ToolFilter
from application.ports import UnitOfWorkFactory
from domain.agents import VoiceAgent
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool


@dataclass(frozen=True)
class CatalogEntry:
    """One tool of the catalog and who uses it.

    Attributes:
        tool: Its latest version (or why today's rules cannot read it).
        bound_by: The agents bound to it, by name.
    """

    tool: ToolDefinition | UnreadableTool
    bound_by: tuple[VoiceAgent, ...]


class CatalogOverview:
    """Lists the catalog with the agents bound to each tool.

    Args:
        unit_of_work: Opens transactions over the repositories.
    """

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._unit_of_work = unit_of_work

    async def entries(self, tool_filter: ToolFilter | None = None) -> list[CatalogEntry]:
        """Every tool the filter admits (all of them without one), by name."""
        admits = (tool_filter or ToolFilter()).admits
        async with self._unit_of_work(read_only=True) as uow:
            agents = {agent.id: agent for agent in await uow.agents.list_all()}
            entries = []
            for tool in await uow.tools.list_latest():
                if not admits(tool):
                    continue
                bindings = await uow.bindings.for_tool(tool.name)
                bound_by = [agents[b.agent_id] for b in bindings if b.agent_id in agents]
                entries.append(CatalogEntry(tool, tuple(sorted(bound_by, key=_name))))
        return entries


def _name(agent: VoiceAgent) -> str:
    return agent.name
