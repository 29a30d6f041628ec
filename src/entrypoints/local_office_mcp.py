"""The demo's MCP server: the office's opening hours and rooms, the ``mcp`` package's own.

``tool-platform demo`` serves it on 127.0.0.1 with :class:`LocalMcpServer` (a bearer
token required), defines the ``office`` tool by listing it, and the scripted LLM calls
``opening_hours``.
"""

from __future__ import annotations

from typing import Literal

from mcp.server.mcpserver import MCPServer
from mcp_types import ToolAnnotations

Day = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

HOURS: dict[str, str] = {
    **dict.fromkeys(["monday", "tuesday", "wednesday", "thursday", "friday"], "08:30-18:00"),
    "saturday": "09:00-13:00",
    "sunday": "closed",
}
ROOMS = ("Atlas (8 seats)", "Borealis (4 seats)")

READ_ONLY = ToolAnnotations(readOnlyHint=True, idempotentHint=True, destructiveHint=False)


def opening_hours(day: Day) -> str:
    """The front desk's opening hours on one day of the week."""
    return f"{day}: {HOURS[day]}"


def meeting_rooms() -> list[str]:
    """The meeting rooms visitors can book."""
    return list(ROOMS)


def office_mcp_server() -> MCPServer:
    """A new MCP server offering ``opening_hours`` and ``meeting_rooms``."""
    server = MCPServer("office", log_level="WARNING")
    server.add_tool(opening_hours, annotations=READ_ONLY)
    server.add_tool(meeting_rooms, annotations=READ_ONLY)
    return server
