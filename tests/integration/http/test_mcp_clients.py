"""The guarded httpx2 clients the MCP SDK's transports get from the pool."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import httpx2
import pytest
from aiohttp import web
from mcp.client.sse import sse_client

from adapters.http.allowlist import OutboundAllowlist
from adapters.http.guard import OutboundGuard, OutboundRefused
from adapters.http.pool import HttpClientPool
from tests.builders import CANARY
from tests.integration.http.servers import LocalServer, RecordingServer, ScriptedResolver

DNS = {"mcp.test": [["127.0.0.1"]], "localhost": [["127.0.0.1"]]}


def pool(*allow: str, resolver: ScriptedResolver | None = None) -> HttpClientPool:
    guard = OutboundGuard(
        OutboundAllowlist.parse(allow), resolver=resolver or ScriptedResolver(DNS)
    )
    return HttpClientPool(guard)


async def test_an_mcp_client_reaches_an_admitted_server_resolving_it_once(
    recorder: RecordingServer,
) -> None:
    resolver = ScriptedResolver(DNS)
    async with pool("mcp.test", resolver=resolver).mcp_client(
        headers={"Authorization": f"Bearer {CANARY}"}
    ) as client:
        first = await client.get(f"http://mcp.test:{recorder.port}/mcp")
        second = await client.post(f"http://mcp.test:{recorder.port}/mcp", json={"a": 1})

    assert (first.text, second.text) == ("recorded", "recorded")
    assert [r.headers["Authorization"] for r in recorder.received] == [f"Bearer {CANARY}"] * 2
    assert resolver.lookups == ["mcp.test"]


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:{port}/mcp",
        "http://127.0.0.1:{port}/mcp",
        "http://2130706433:{port}/mcp",
        "http://[::ffff:127.0.0.1]:{port}/mcp",
    ],
)
async def test_an_mcp_client_refuses_what_the_guard_refuses(
    url: str, recorder: RecordingServer
) -> None:
    async with pool().mcp_client() as client:
        with pytest.raises(OutboundRefused):
            await client.get(url.format(port=recorder.port))

    assert recorder.received == []


async def test_the_sdk_transport_given_the_pool_factory_sends_nothing_to_a_refused_server(
    recorder: RecordingServer,
) -> None:
    with pytest.raises(BaseException) as failure:  # noqa: PT011 - the SDK wraps it in a group
        async with sse_client(
            f"http://localhost:{recorder.port}/sse", httpx_client_factory=pool().mcp_client
        ):
            pass

    assert _contains(failure.value, OutboundRefused)
    assert recorder.received == []


async def test_mcp_clients_keep_the_sdk_timeouts_unless_given_others() -> None:
    built = pool()
    async with (
        built.mcp_client() as default,
        built.mcp_client(timeout=httpx2.Timeout(5.0)) as given,
    ):
        assert default.timeout.read == 300.0
        assert given.timeout.read == 5.0


def _contains(error: BaseException, kind: type[BaseException]) -> bool:
    if isinstance(error, kind):
        return True
    if isinstance(error, BaseExceptionGroup):
        return any(_contains(inner, kind) for inner in error.exceptions)
    return _contains(error.__cause__, kind) if error.__cause__ is not None else False


async def test_every_mcp_client_shares_one_verifying_ssl_context() -> None:
    clients = [pool("mcp.test").mcp_client(), pool("mcp.test").mcp_client()]
    try:
        contexts = [client._transport._pool._ssl_context for client in clients]  # type: ignore[attr-defined]
    finally:
        for client in clients:
            await client.aclose()

    assert contexts[0] is contexts[1]
    assert contexts[0].verify_mode == ssl.CERT_REQUIRED
    assert contexts[0].check_hostname


class EventStreams(LocalServer):
    """``/events/N``: an event stream of one event, ended ``N`` seconds after it.

    Keeps the client port of each request: one port, one connection.
    """

    def __init__(self) -> None:
        self.client_ports: list[int] = []
        app = web.Application()
        app.router.add_get("/events/{seconds}", self._events)
        app.router.add_post("/accepted", self._accepted)
        super().__init__(app)

    async def _events(self, request: web.Request) -> web.StreamResponse:
        self.client_ports.append(request.transport.get_extra_info("peername")[1])  # type: ignore[union-attr]
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(b'event: message\ndata: {"id": 1}\n\n')
        await asyncio.sleep(float(request.match_info["seconds"]))
        await response.write_eof()
        return response

    async def _accepted(self, request: web.Request) -> web.Response:
        self.client_ports.append(request.transport.get_extra_info("peername")[1])  # type: ignore[union-attr]
        return web.Response(status=202)


@pytest.fixture
async def event_streams() -> AsyncIterator[EventStreams]:
    """A server of short and long event streams."""
    async with EventStreams() as server:
        yield server


async def _first_chunk_then_close(client: httpx2.AsyncClient, url: str) -> bytes:
    """Read one chunk of the response and close it, as the MCP SDK does with an event stream."""
    async with client.stream("GET", url) as response:
        async for chunk in response.aiter_raw():
            return chunk
    return b""


async def test_a_response_closed_before_its_short_end_leaves_its_connection_open(
    event_streams: EventStreams,
) -> None:
    base = f"http://mcp.test:{event_streams.port}"
    async with pool("mcp.test").mcp_client() as client:
        first = await _first_chunk_then_close(client, f"{base}/events/0")
        second = await _first_chunk_then_close(client, f"{base}/events/0")
        accepted = await client.send(client.build_request("POST", f"{base}/accepted"), stream=True)
        await accepted.aclose()  # unread, as the SDK leaves a 202
        await _first_chunk_then_close(client, f"{base}/events/0")

    assert first == second == b'event: message\ndata: {"id": 1}\n\n'
    assert len(set(event_streams.client_ports)) == 1


async def test_a_response_that_goes_on_is_closed_with_its_connection(
    event_streams: EventStreams,
) -> None:
    base = f"http://mcp.test:{event_streams.port}"
    async with pool("mcp.test").mcp_client() as client:
        await _first_chunk_then_close(client, f"{base}/events/2")
        await _first_chunk_then_close(client, f"{base}/events/0")

    assert len(set(event_streams.client_ports)) == 2
