"""Use case: the catalog at a glance, each tool with the agents bound to it."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports import UnitOfWorkFactory
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool


@dataclass(frozen=True)
class CatalogEntry:
    """One tool of the catalog and who uses it.

    Attributes:
        tool: Its latest version (or why today's rules cannot read it).
        bound_by: The names of the agents bound to it, sorted.
    """

    tool: ToolDefinition | UnreadableTool
    bound_by: tuple[str, ...]


class CatalogOverview:
    """Lists the catalog with the agents bound to each tool.

    Args:
        unit_of_work: Opens transactions over the repositories.
    """

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._unit_of_work = unit_of_work

    async def entries(self, search: str = "", kind: str = "") -> list[CatalogEntry]:
        """Every tool whose name, display name or description contains ``search``.

        Args:
            search: Text to look for, case-insensitively (empty: every tool).
            kind: Only tools of this kind (``python``, ``http``, ``mcp``; empty: all).

        Returns:
            The entries, by tool name.
        """
        wanted = search.casefold()
        async with self._unit_of_work(read_only=True) as uow:
            names = {agent.id: agent.name for agent in await uow.agents.list_all()}
            entries = []
            for tool in await uow.tools.list_latest():
                if not _matches(tool, wanted, kind):
                    continue
                bindings = await uow.bindings.for_tool(tool.name)
                bound_by = sorted(names.get(b.agent_id, b.agent_id) for b in bindings)
                entries.append(CatalogEntry(tool, tuple(bound_by)))
        return entries


def _matches(tool: ToolDefinition | UnreadableTool, search: str, kind: str) -> bool:
    if isinstance(tool, UnreadableTool):
        return not kind and search in tool.name.casefold()
    if kind and str(tool.kind) != kind:
        return False
    text = " ".join((tool.name, tool.display_name, tool.description)).casefold()
    return search in text
