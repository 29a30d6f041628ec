"""Serving an MCP server on a free loopback port (the demo's and the tests').

The server is the ``mcp`` package's own (an ``MCPServer``), served in-process by
uvicorn over streamable HTTP (``/mcp``) or SSE (``/sse``). With a ``bearer_token``,
every HTTP request must carry ``Authorization: Bearer <token>`` (401 otherwise), so a
test can assert that the token a client was given reached the server.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from typing import Literal

import uvicorn
from mcp.server.mcpserver import MCPServer
from starlette.types import ASGIApp, Receive, Scope, Send

McpTransport = Literal["streamable_http", "sse"]

_PATHS: dict[McpTransport, str] = {"streamable_http": "/mcp", "sse": "/sse"}


@dataclass
class LocalMcpServer:
    """``async with LocalMcpServer(server) as local`` serves ``server`` at ``local.url``.

    Attributes:
        server: The MCP server to serve.
        transport: ``streamable_http`` or ``sse``.
        bearer_token: The token every request must carry (not shown in ``repr``);
            None serves without auth.
        refused: How many requests were answered 401 for a missing or wrong token.
        url: The URL a client connects to, while serving.
    """

    server: MCPServer
    transport: McpTransport = "streamable_http"
    bearer_token: str | None = field(default=None, repr=False)
    refused: int = 0
    url: str = ""
    _uvicorn: uvicorn.Server | None = field(default=None, repr=False)
    _serving: asyncio.Task[None] | None = field(default=None, repr=False)

    async def __aenter__(self) -> LocalMcpServer:
        if self.transport == "sse":
            app = self.server.sse_app()
        else:
            app = self.server.streamable_http_app()
        config = uvicorn.Config(self._guarded(app), log_level="warning", lifespan="on")
        self._uvicorn = uvicorn.Server(config)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self._serving = asyncio.create_task(self._uvicorn.serve(sockets=[sock]))
        while not self._uvicorn.started:
            if self._serving.done():
                await self._serving  # raises why it stopped
                raise RuntimeError("the local MCP server stopped while starting")
            await asyncio.sleep(0.01)
        port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}{_PATHS[self.transport]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._uvicorn is not None and self._serving is not None:
            self._uvicorn.should_exit = True
            await self._serving

    def _guarded(self, app: ASGIApp) -> ASGIApp:
        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and self.bearer_token is not None:
                headers = dict(scope["headers"])
                if headers.get(b"authorization") != f"Bearer {self.bearer_token}".encode():
                    self.refused += 1
                    await _unauthorized(send)
                    return
            await app(scope, receive, send)

        return guarded


async def _unauthorized(send: Send) -> None:
    body = b'{"error": "a valid bearer token is required"}'
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})
