"""An MCP server for the tests, built on the ``mcp`` package's own ``MCPServer``.

Run as a program (``python server.py stdio`` or ``python server.py http|sse PORT``), in
its own process so a test can stop or crash it. Over HTTP, ``MCP_TEST_TOKENS`` (JSON:
token -> holder) makes every request need ``Authorization: Bearer TOKEN`` (401
otherwise), and ``whoami`` answers the holder of the token it received.

Tools: ``add`` (counted: ``calls`` says how many times it ran), ``whoami``, ``fail``
(``isError``), ``weather`` (structured content), ``picture`` (an image), ``links`` (a
resource link and an embedded blob), ``environment`` (the process's environment),
``crash`` (the process exits mid-call), ``announce`` (sends
``notifications/tools/list_changed``).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.utilities.types import Image
from mcp.types import (
    BlobResourceContents,
    CallToolResult,
    EmbeddedResource,
    ResourceLink,
    TextContent,
)

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 92
"""100 bytes that say they are a PNG."""

server = MCPServer("platform-tests")
counted = {"add": 0}


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    counted["add"] += 1
    return a + b


@server.tool()
def calls() -> int:
    """How many times add ran."""
    return counted["add"]


@server.tool()
def whoami(ctx: Context) -> str:
    """The holder of the token this request carried."""
    request: Any = ctx.request_context.request
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    return str(json.loads(os.environ.get("MCP_TEST_TOKENS", "{}")).get(token, "nobody"))


@server.tool()
def fail(reason: str) -> str:
    """Always fails, saying why."""
    raise ToolError(f"refused: {reason}")


@server.tool()
def weather(city: str) -> dict[str, Any]:
    """Structured weather."""
    return {"city": city, "celsius": 21}


@server.tool()
def picture() -> Image:
    """A small PNG image."""
    return Image(data=PNG_BYTES, format="png")


@server.tool()
def links() -> CallToolResult:
    """A resource link and an embedded blob."""
    return CallToolResult(
        content=[
            TextContent(text="two attachments"),
            ResourceLink(name="report", uri="https://files.example.com/report.pdf"),
            EmbeddedResource(
                resource=BlobResourceContents(
                    uri="file:///archive.zip", mime_type="application/zip", blob="AAECAw=="
                )
            ),
        ]
    )


@server.tool()
def environment() -> dict[str, str]:
    """This process's environment."""
    return dict(os.environ)


@server.tool()
def crash() -> str:
    """Ends the server process in the middle of the call."""
    os._exit(3)


@server.tool()
async def announce(ctx: Context) -> str:
    """Tells the client the tool list changed."""
    await ctx.request_context.session.send_tool_list_changed()
    return "announced"


def _with_tokens(app: Any) -> Any:
    tokens = json.loads(os.environ.get("MCP_TEST_TOKENS", "{}"))
    if not tokens:
        return app

    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            token = headers.get(b"authorization", b"").decode().removeprefix("Bearer ")
            if token not in tokens:
                await send({"type": "http.response.start", "status": 401, "headers": []})
                await send({"type": "http.response.body", "body": b"unauthorized"})
                return
        await app(scope, receive, send)

    return guarded


def main() -> None:
    """Serve over the transport the first argument names."""
    transport = sys.argv[1]
    if transport == "stdio":
        server.run()
        return
    import uvicorn

    app = server.streamable_http_app() if transport == "http" else server.sse_app()
    uvicorn.run(_with_tokens(app), host="127.0.0.1", port=int(sys.argv[2]), log_level="error")


if __name__ == "__main__":
    main()
