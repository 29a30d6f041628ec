"""A recording HTTP server on 127.0.0.1 for the ``http`` executor's tests.

It records every request exactly as it arrived (method, raw request target, raw header
lines, body), answers from a script of replies (else it echoes the request back as
JSON), serves an OAuth token endpoint that counts its requests, and guards
``/secure/...`` with the tokens it issued.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from entrypoints.local_server import serve_on_loopback


@dataclass(frozen=True)
class Received:
    """One request as it arrived."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def path(self) -> str:
        """The raw path, without the query."""
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        """The raw query."""
        return self.target.partition("?")[2]

    def header(self, name: str) -> str | None:
        """The first value of header ``name``."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def header_names(self) -> set[str]:
        """Every header name received, lowercased."""
        return {name.lower() for name, _ in self.headers}


@dataclass
class Reply:
    """A scripted answer."""

    status: int = 200
    body: bytes | str | Any = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False
    """Close the connection without answering."""


@dataclass
class Upstream:
    """The server's state; ``async with Upstream() as upstream`` serves it."""

    received: list[Received] = field(default_factory=list)
    script: deque[Reply] = field(default_factory=deque)
    token_requests: list[Received] = field(default_factory=list)
    token_lifetime: float = 3600
    valid_tokens: set[str] = field(default_factory=set)
    refuse_every_token: bool = False
    base_url: str = ""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None

    def reply(self, *replies: Reply) -> None:
        """Answer the next requests with ``replies``, in order."""
        self.script.extend(replies)

    async def __aenter__(self) -> Upstream:
        self._runner, self.base_url = await serve_on_loopback(self._handle)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        received = Received(
            request.method,
            request.raw_path,
            tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in request.raw_headers),
            await request.read(),
        )
        if received.path == "/token":
            self.token_requests.append(received)
            token = f"token-{next(self._ids)}"
            self.valid_tokens.add(token)
            return web.json_response(
                {"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime}
            )
        self.received.append(received)
        if received.path.startswith("/secure/"):
            sent = (received.header("Authorization") or "").removeprefix("Bearer ")
            if sent not in self.valid_tokens or self.refuse_every_token:
                return web.json_response({"error": "invalid_token"}, status=401)
        if self.script:
            reply = self.script.popleft()
            if reply.drop and request.transport is not None:
                request.transport.abort()
            return await _scripted(reply)
        return web.json_response(
            {
                "method": received.method,
                "target": received.target,
                "headers": dict(received.headers),
                "body": received.body.decode("utf-8", errors="replace"),
            }
        )


async def _scripted(reply: Reply) -> web.StreamResponse:
    if reply.delay:
        await asyncio.sleep(reply.delay)
    body = reply.body
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    data = body.encode() if isinstance(body, str) else body
    return web.Response(
        status=reply.status,
        body=data,
        content_type=None,
        headers={"Content-Type": reply.content_type, **reply.headers},
    )
