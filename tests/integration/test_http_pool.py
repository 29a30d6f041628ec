"""``HttpClientPool``: one pooled client per lifecycle, the one tool code gets from
``tool_platform.http_client()`` while a call runs, closed when the lifecycle ends."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from adapters.http.pool import HttpClientPool
from adapters.http.reading import read_capped
from adapters.tool_context import CallScope, in_call
from domain.injection import ConfigInjection
from tests.builders import local_guard
from tool_platform import http_client


@pytest.fixture
async def peer_server() -> AsyncIterator[tuple[str, list[object]]]:
    """A server on 127.0.0.1 that records the client address of each request."""
    peers: list[object] = []

    async def handle(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername") if request.transport else None)
        return web.Response(text="x" * 1000)

    app = web.Application()
    app.router.add_get("/", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/", peers
    await runner.cleanup()


async def test_a_pool_opens_its_client_on_first_use_and_keeps_it_until_closed() -> None:
    pool = HttpClientPool(local_guard())
    first = pool.client()

    same = pool.client()
    await pool.aclose()
    reopened = pool.client()
    await pool.aclose()

    assert same is first
    assert first.is_closed
    assert reopened is not first
    assert reopened.is_closed


async def test_requests_share_pooled_connections(peer_server: tuple[str, list[object]]) -> None:
    url, peers = peer_server
    pool = HttpClientPool(local_guard())

    for _ in range(3):
        response = await pool.client().get(url, timeout=2)
        assert response.status_code == 200
    await pool.aclose()

    assert len(peers) == 3
    assert len(set(peers)) == 1  # one connection, kept alive


def test_each_lifecycle_on_its_own_event_loop_has_its_own_client() -> None:
    clients: dict[str, httpx.AsyncClient] = {}
    closed: dict[str, bool] = {}

    def job(name: str) -> None:
        async def run() -> None:
            pool = HttpClientPool(local_guard())
            clients[name] = pool.client()
            await asyncio.sleep(0.01)
            assert pool.client() is clients[name]
            await pool.aclose()
            closed[name] = clients[name].is_closed

        asyncio.run(run())

    threads = [threading.Thread(target=job, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert clients["a"] is not clients["b"]
    assert closed == {"a": True, "b": True}


async def test_tool_code_gets_the_pool_of_the_call_it_runs_in() -> None:
    pool = HttpClientPool(local_guard())
    injection = ConfigInjection(agent_id="a", binding_id="b", tool_name="t", tool_version=1)

    with in_call(CallScope(injection, pool)):
        inside = http_client()
    await pool.aclose()

    assert inside.is_closed
    with pytest.raises(LookupError, match="no platform tool call"):
        http_client()


async def test_closing_a_pool_that_never_opened_a_client_does_nothing() -> None:
    pool = HttpClientPool(local_guard())

    await pool.aclose()

    assert pool.client().is_closed is False
    await pool.aclose()


async def test_read_capped_cuts_a_long_body(peer_server: tuple[str, list[object]]) -> None:
    url, _ = peer_server
    pool = HttpClientPool(local_guard())
    try:
        async with pool.client().stream("GET", url, timeout=2) as response:
            cut = await read_capped(response, 100)
        async with pool.client().stream("GET", url, timeout=2) as response:
            whole = await read_capped(response, 1000)
    finally:
        await pool.aclose()

    assert cut == (b"x" * 100, True)
    assert whole == (b"x" * 1000, False)
