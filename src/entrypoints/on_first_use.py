"""Ports whose adapter is built, and its library imported, when a use case first calls it.

A service is built with every port it may use, but most commands use few: ``tools list``
builds the tool service, which lists MCP servers only for ``define`` and ``refresh``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from application.ports import McpToolLister

if TYPE_CHECKING:
    from application.ports.mcp import ListedMcpFunction
    from domain.injection import ConfigInjection
    from domain.tools.run_specs import McpServerSpec


class McpListerOnFirstUse(McpToolLister):
    """Lists MCP servers through the lister ``build`` returns, built on the first listing.

    Args:
        build: Builds the real lister (the MCP SDK's, which imports the SDK).
    """

    def __init__(self, build: Callable[[], McpToolLister]) -> None:
        self._build = build

    async def list_functions(
        self, server: McpServerSpec, injection: ConfigInjection
    ) -> Sequence[ListedMcpFunction]:
        """List ``server``'s tools with the real lister (see :class:`McpToolLister`)."""
        return await self._build().list_functions(server, injection)
