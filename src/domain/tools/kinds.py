"""How a platform tool runs."""

from enum import StrEnum


class ToolKind(StrEnum):
    """The three sources of platform tools."""

    PYTHON = "python"
    """An ``async def`` in an allowlisted Python package (a code tool or a handler)."""
    HTTP = "http"
    """An HTTP request built from a template per function."""
    MCP = "mcp"
    """Functions offered by an MCP server."""
