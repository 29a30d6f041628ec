"""``python -m benchmarks.json_server``: a local JSON server for the HTTP benchmark.

It runs in its own process (a server on a thread of the measuring process would make
each request wait for the GIL's switch interval) and prints its base URL on one line.
"""

import asyncio
import sys

from aiohttp import web

from entrypoints.local_server import serve_on_loopback

BODY = b'{"id": "42", "name": "Ada", "tier": "gold"}'


async def _serve() -> None:
    async def handle(request: web.Request) -> web.Response:
        return web.Response(body=BODY, content_type="application/json")

    runner, base_url = await serve_on_loopback(handle)
    print(base_url, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    try:
        asyncio.run(_serve())
    except KeyboardInterrupt:
        sys.exit(0)
