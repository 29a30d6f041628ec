"""``http_client()``: one pooled client per event loop, closed by ``aclose_http_clients()``."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from adapters.tool_packages.http_clients import aclose_http_clients, http_client, read_capped


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


async def test_one_loop_gets_one_client_until_it_is_closed() -> None:
    first = http_client()

    same = http_client()
    await aclose_http_clients()
    reopened = http_client()
    await aclose_http_clients()

    assert same is first
    assert first.is_closed
    assert reopened is not first
    assert reopened.is_closed


async def test_requests_share_pooled_connections(peer_server: tuple[str, list[object]]) -> None:
    url, peers = peer_server

    for _ in range(3):
        response = await http_client().get(url, timeout=2)
        assert response.status_code == 200
    await aclose_http_clients()

    assert len(peers) == 3
    assert len(set(peers)) == 1  # one connection, kept alive


def test_each_event_loop_has_its_own_client() -> None:
    clients: dict[str, httpx.AsyncClient] = {}
    closed: dict[str, bool] = {}

    def job(name: str) -> None:
        async def run() -> None:
            clients[name] = http_client()
            await asyncio.sleep(0.01)
            assert http_client() is clients[name]
            await aclose_http_clients()
            closed[name] = clients[name].is_closed

        asyncio.run(run())

    threads = [threading.Thread(target=job, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert clients["a"] is not clients["b"]
    assert closed == {"a": True, "b": True}


def test_outside_an_event_loop_there_is_no_client() -> None:
    with pytest.raises(RuntimeError):
        http_client()


async def test_closing_a_loop_that_never_opened_a_client_does_nothing() -> None:
    await aclose_http_clients()


async def test_read_capped_cuts_a_long_body(peer_server: tuple[str, list[object]]) -> None:
    url, _ = peer_server
    try:
        async with http_client().stream("GET", url, timeout=2) as response:
            cut = await read_capped(response, 100)
        async with http_client().stream("GET", url, timeout=2) as response:
            whole = await read_capped(response, 1000)
    finally:
        await aclose_http_clients()

    assert cut == (b"x" * 100, True)
    assert whole == (b"x" * 1000, False)
