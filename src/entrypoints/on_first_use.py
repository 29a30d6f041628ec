"""Ports whose adapter is built, and its library imported, when a use case first calls it.

A service is built with every port it may use, but most commands use few: ``tools list``
builds the tool service, which lists MCP servers only for ``define`` and ``refresh`` and
asks the target model's verdict only for what it stores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from application.ports import McpToolLister, ModelCompatibility

if TYPE_CHECKING:
    from application.ports import CompatibilityVerdict
    from application.ports.mcp import ListedMcpFunction
    from domain.injection import ConfigInjection
    from domain.schema.function_schema import FunctionSchema
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


class CompatibilityOnFirstUse(ModelCompatibility):
    """The target model's verdicts from the checker ``build`` returns, built when first asked.

    Args:
        build: Builds the real checker (Gemini's loads its schema offering).
    """

    def __init__(self, build: Callable[[], ModelCompatibility]) -> None:
        self._build = build

    @property
    def target(self) -> str:
        """The real checker's target model family."""
        return self._build().target

    def check(self, function: FunctionSchema) -> CompatibilityVerdict:
        """The real checker's verdict on ``function``."""
        return self._build().check(function)
