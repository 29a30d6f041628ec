"""The MCP server the define and refresh tests list: the ``mcp`` package's own server.

``DocsServer`` offers ``search_docs`` (read-only, idempotent) and ``delete_doc``
(destructive). A test changes what it lists between define and refresh with
``add_tool``/``remove_tool`` and :attr:`DocsServer.schemas` (a tool's ``inputSchema``
as listed, written by hand: a ``$schema`` draft, a schema the platform refuses).
Run as a script, it serves itself over stdio (the stdio tests' server).
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp_types import Tool, ToolAnnotations

READ_ONLY = ToolAnnotations(readOnlyHint=True, idempotentHint=True)
DESTRUCTIVE = ToolAnnotations(destructiveHint=True)


def search_docs(query: str, limit: int = 5) -> str:
    """Search the documentation."""
    return f"{limit} results for {query}"


def delete_doc(doc_id: str) -> str:
    """Delete a document."""
    return f"deleted {doc_id}"


def count_docs() -> int:
    """Count the documents."""
    return 42


class DocsServer(MCPServer):
    """An MCP server whose tool list a test can change while it serves.

    Attributes:
        schemas: Tool name -> the ``inputSchema`` listed for it instead of the one the
            SDK derives from the function.
        listings: How many times the tools were listed.
    """

    def __init__(self) -> None:
        super().__init__("docs", log_level="WARNING")
        self.schemas: dict[str, dict[str, Any]] = {}
        self.listings = 0
        self.add_tool(search_docs, annotations=READ_ONLY)
        self.add_tool(delete_doc, annotations=DESTRUCTIVE)

    async def list_tools(self) -> list[Tool]:
        """The tools, with :attr:`schemas` in place of the derived ones."""
        self.listings += 1
        return [
            tool.model_copy(update={"input_schema": self.schemas.get(tool.name, tool.input_schema)})
            for tool in await super().list_tools()
        ]


if __name__ == "__main__":
    DocsServer().run("stdio")
