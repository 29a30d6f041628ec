"""Serving a stand-in API on a free loopback port (the demo's and the tests')."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def serve_on_loopback(handler: Handler) -> tuple[web.AppRunner, str]:
    """Serve every method and path (even one holding a line break) with ``handler``.

    Returns:
        The runner (``await runner.cleanup()`` stops it) and ``http://127.0.0.1:PORT``.
    """
    app = web.Application()
    app.router.add_route("*", r"/{tail:[\s\S]*}", handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    return runner, f"http://127.0.0.1:{sock.getsockname()[1]}"
