"""The MCP listing port: what a server offers, read when a tool is defined or refreshed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from domain.injection import ConfigInjection
from domain.json_types import JsonObject
from domain.tools.run_specs import McpFunctionHints, McpServerSpec


@dataclass(frozen=True)
class ListedMcpFunction:
    """One entry of a server's ``tools/list``, as the server wrote it.

    Attributes:
        name: The server's name for the tool.
        description: Its description ("" when the server gives none).
        input_schema: Its ``inputSchema`` (any JSON Schema draft its ``$schema`` names).
        annotations: Its ``readOnlyHint``, ``idempotentHint`` and ``destructiveHint``.
    """

    name: str
    description: str
    input_schema: JsonObject
    annotations: McpFunctionHints = field(default_factory=McpFunctionHints)


class McpToolLister(Protocol):
    """Connects to an MCP server and lists its tools."""

    async def list_functions(
        self, server: McpServerSpec, injection: ConfigInjection
    ) -> Sequence[ListedMcpFunction]:
        """List every tool ``server`` offers, in the server's order.

        Args:
            server: The server, as a tool document describes it.
            injection: The config and secrets its URL, headers or environment use.

        Returns:
            The listed tools.

        Raises:
            McpServerUnavailable: When the server cannot be reached, refuses the
                connection or its auth, or does not answer as an MCP server should;
                the message names the server, never a secret.
        """
        ...
