"""Pooled HTTP request timings of the candidate clients, on loopback, ratios in one run.

Usage: ``.venv/bin/python scripts/http_client_bench.py [--requests N] [--rounds R]
[--concurrency C]``. A small aiohttp server runs in a child process on 127.0.0.1 (so it
does not share the clients' event loop) and answers ``GET /`` with a short JSON body.
Each candidate sends ``N`` requests through one pooled client (after a warm-up), once
one after another and once ``C`` at a time; rounds interleave the candidates and the
best round counts. Candidates: aiohttp's ``ClientSession``, a plain
``httpx.AsyncClient``, the platform's guarded client (``HttpClientPool``: httpx with the
outbound guard's checks and pinned connections), and httpx over aiohttp
(``httpx-aiohttp``'s transport) when that package is installed.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import aiohttp
import httpx
from aiohttp import web

from adapters.http.allowlist import OutboundAllowlist
from adapters.http.guard import OutboundGuard
from adapters.http.pool import HttpClientPool

Send = Callable[[], Awaitable[Any]]


def serve(sock: socket.socket) -> None:
    """The server process: answer every GET / with a short JSON body."""

    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"id": "c-1", "name": "Ana", "tier": "gold"})

    app = web.Application()
    app.router.add_get("/", answer)
    web.run_app(app, sock=sock, print=None, access_log=None)


async def timed(send: Send, requests: int, concurrency: int) -> float:
    """Seconds per request for ``requests`` requests, ``concurrency`` at a time."""
    for _ in range(50):
        await send()
    left = requests

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await send()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return (time.perf_counter() - start) / requests


async def candidates(url: str, stack: AsyncExitStack) -> dict[str, Send]:
    """One pooled sender per candidate client, closed with ``stack``."""
    session = await stack.enter_async_context(aiohttp.ClientSession())

    async def aiohttp_get() -> Any:
        async with session.get(url) as response:
            return await response.read()

    plain = await stack.enter_async_context(httpx.AsyncClient())
    pool = HttpClientPool(OutboundGuard(OutboundAllowlist.parse(["127.0.0.1/32"])))
    stack.push_async_callback(pool.aclose)
    senders: dict[str, Send] = {
        "aiohttp ClientSession": aiohttp_get,
        "httpx AsyncClient": lambda: plain.get(url),
        "guarded client (httpx + guard)": lambda: pool.client().get(url),
    }
    try:
        from httpx_aiohttp import AiohttpTransport  # noqa: PLC0415
    except ImportError:
        print("httpx-aiohttp is not installed: pip install httpx-aiohttp to measure it")
    else:
        over = await stack.enter_async_context(httpx.AsyncClient(transport=AiohttpTransport()))
        senders["httpx over aiohttp (httpx-aiohttp)"] = lambda: over.get(url)
    return senders


async def measure(url: str, requests: int, rounds: int, concurrency: int) -> None:
    """Print the best per-request time of each candidate and its ratio to aiohttp's."""
    async with AsyncExitStack() as stack:
        senders = await candidates(url, stack)
        for parallel in (1, concurrency):
            best = {name: float("inf") for name in senders}
            for _ in range(rounds):
                for name, send in senders.items():
                    best[name] = min(best[name], await timed(send, requests, parallel))
            baseline = best["aiohttp ClientSession"]
            print(f"\n{requests} pooled GETs, {parallel} at a time, best of {rounds} rounds:")
            print(f"{'client':<38}{'us/request':>12}{'x aiohttp':>11}")
            for name, seconds in best.items():
                print(f"{name:<38}{seconds * 1e6:>12.1f}{seconds / baseline:>11.2f}")


def main() -> int:
    """Start the server process, measure, stop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=10)
    arguments = parser.parse_args()
    sock = socket.create_server(("127.0.0.1", 0))
    server = multiprocessing.get_context("fork").Process(target=serve, args=(sock,), daemon=True)
    server.start()
    try:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
        asyncio.run(measure(url, arguments.requests, arguments.rounds, arguments.concurrency))
    finally:
        server.terminate()
        server.join()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
