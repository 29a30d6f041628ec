"""Reading the catalog a page at a time: filters and a cursor over the tools by name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool

StoredTool = ToolDefinition | UnreadableTool


@dataclass(frozen=True)
class ToolFilter:
    """Which tools a listing shows.

    Attributes:
        kind: Only tools of this kind (``python``, ``http``, ``mcp``); None for all.
        text: Only tools whose name, display name or description holds this text,
            ignoring case; None for all.
    """

    kind: str | None = None
    text: str | None = None

    def admits(self, tool: StoredTool) -> bool:
        """Whether ``tool`` passes the filter (an unreadable tool has no kind)."""
        if isinstance(tool, UnreadableTool):
            return self.kind is None and _holds(tool.name, self.text)
        if self.kind is not None and str(tool.kind) != self.kind:
            return False
        return _holds(f"{tool.name}\n{tool.display_name}\n{tool.description}", self.text)


@dataclass(frozen=True)
class ToolPage:
    """One page of a listing, by name.

    Attributes:
        tools: The tools of the page.
        next_after: The name to continue after, or None on the last page.
    """

    tools: tuple[StoredTool, ...]
    next_after: str | None


def page_of_tools(
    tools: Sequence[StoredTool], tool_filter: ToolFilter, *, after: str | None, limit: int
) -> ToolPage:
    """The tools past ``after`` (by name) that pass the filter, at most ``limit`` of them."""
    chosen = [
        tool
        for tool in sorted(tools, key=lambda tool: tool.name)
        if (after is None or tool.name > after) and tool_filter.admits(tool)
    ]
    page = tuple(chosen[:limit])
    more = len(chosen) > limit
    return ToolPage(page, page[-1].name if more and page else None)


def _holds(text: str, wanted: str | None) -> bool:
    return wanted is None or wanted.casefold() in text.casefold()
