"""The admin app served by uvicorn on loopback, in a thread with its own event loop.

The container's resources open on that loop (the app's lifespan), and a stand-in
upstream API runs on it too, echoing what it receives (the secret header included, so
the pipeline's scrubbing is exercised). The browser tests and scripts/ui_screenshots.py
use it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import uvicorn
from aiohttp import web

from entrypoints.api.app import create_app
from entrypoints.container import Container
from entrypoints.local_server import serve_on_loopback

T = TypeVar("T")


@dataclass
class LiveAdmin:
    """The admin app served on loopback, and a way to run coroutines on its loop.

    Attributes:
        url: ``http://127.0.0.1:PORT``.
        upstream: The stand-in upstream API's ``http://127.0.0.1:PORT``.
        container: The app's services.
        loop: The server's event loop.
        upstream_requests: What the upstream received, one dict per request.
    """

    url: str
    upstream: str
    container: Container
    loop: asyncio.AbstractEventLoop
    upstream_requests: list[dict[str, Any]] = field(default_factory=list)

    def run(self, work: Callable[[Container], Awaitable[T]]) -> T:
        """Await ``work(container)`` on the server's loop, from the test's thread."""

        async def within() -> T:
            return await work(self.container)

        return asyncio.run_coroutine_threadsafe(within(), self.loop).result(timeout=30)


def _free_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serve_admin(container: Container) -> Iterator[LiveAdmin]:
    """Serve the admin UI over ``container`` on a free loopback port, with an upstream."""
    server = uvicorn.Server(
        uvicorn.Config(create_app(container), log_level="warning", lifespan="on")
    )
    sock = _free_socket()
    ready = threading.Event()
    holder: dict[str, Any] = {}

    async def upstream_handler(request: web.Request) -> web.Response:
        seen = {
            "method": request.method,
            "path": request.path,
            "query": dict(request.query),
            "headers": dict(request.headers),
        }
        holder["requests"].append(seen)
        # Echoes what it got, the secret header included: the pipeline must scrub it.
        return web.json_response({"forecast": "sunny", "echo": seen})

    async def main() -> None:
        holder["loop"] = asyncio.get_running_loop()
        holder["requests"] = []
        runner, holder["upstream"] = await serve_on_loopback(upstream_handler)
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not serving.done():
            await asyncio.sleep(0.02)
        ready.set()
        try:
            await serving
        finally:
            await runner.cleanup()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(30), "the admin app did not start"
    port = sock.getsockname()[1]
    yield LiveAdmin(
        f"http://127.0.0.1:{port}",
        holder["upstream"],
        container,
        holder["loop"],
        holder["requests"],
    )
    server.should_exit = True
    thread.join(30)
    sock.close()
