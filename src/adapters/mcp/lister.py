"""``SdkMcpToolLister``: the :class:`McpToolLister` port over :class:`McpConnector`.

``tools define`` and ``tools refresh`` list a server with it: one connection, as the
operator, closed as soon as the list is read. Connecting and listing are each bounded
by the server's ``timeout_seconds``; every failure is one ``McpServerUnavailable`` line
that names the server and holds no secret.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from mcp import types

from adapters.mcp.connector import McpConnector, list_server_tools
from application.ports.mcp import ListedMcpFunction, McpToolLister
from domain.errors import McpServerUnavailable
from domain.injection import ConfigInjection
from domain.scrubbing import scrub
from domain.tools.run_specs import McpFunctionHints, McpServerSpec


class SdkMcpToolLister(McpToolLister):
    """Lists a server's tools through the MCP SDK's client session.

    Args:
        connector: Opens the initialized session (guarded HTTP, or the operator's stdio
            command).
    """

    def __init__(self, connector: McpConnector) -> None:
        self._connector = connector

    async def list_functions(
        self, server: McpServerSpec, injection: ConfigInjection
    ) -> Sequence[ListedMcpFunction]:
        """List every tool ``server`` offers, in the server's order.

        Raises:
            McpServerUnavailable: When the server cannot be connected or listed in time.
        """
        async with self._connector.connect(server, injection) as session:
            try:
                async with asyncio.timeout(server.timeout_seconds):
                    tools = await list_server_tools(session)
            except TimeoutError:
                raise McpServerUnavailable(
                    f"MCP server {server.address}: did not list its tools within its "
                    f"timeout_seconds ({server.timeout_seconds:g} s)"
                ) from None
            except McpServerUnavailable as failed:
                reason = scrub(str(failed), injection.secret_values())
                raise McpServerUnavailable(f"MCP server {server.address}: {reason}") from None
        return [_listed(tool) for tool in tools]


def _listed(tool: types.Tool) -> ListedMcpFunction:
    hints = tool.annotations
    return ListedMcpFunction(
        name=tool.name,
        description=tool.description or "",
        input_schema=tool.input_schema,
        annotations=McpFunctionHints(
            read_only=hints.read_only_hint if hints else None,
            idempotent=hints.idempotent_hint if hints else None,
            destructive=hints.destructive_hint if hints else None,
        ),
    )
