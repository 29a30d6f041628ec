"""Local servers for the outbound guard's tests, on 127.0.0.1: a recorder and a redirector.

:class:`RecordingServer` answers every request with 200 and records it (method, path,
headers). :class:`Redirector` answers ``/to?url=X&status=N`` with a redirect to ``X``,
and ``/chain/N?url=X`` with ``N`` redirects to itself before one to ``X``.
:class:`ScriptedResolver` is the guard's resolver seam: fixed answers per name, in order
(the last one repeats), and ``OSError`` for any other name: no real DNS.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType

from aiohttp import web

from adapters.http.addresses import IPAddress, literal_address
from adapters.http.resolver import Resolver


@dataclass(frozen=True)
class Received:
    """One request a local server received."""

    method: str
    path: str
    headers: Mapping[str, str]


class LocalServer:
    """An aiohttp app on 127.0.0.1 on a free port, for ``async with``."""

    def __init__(self, app: web.Application) -> None:
        self._runner = web.AppRunner(app, access_log=None)
        self.port = 0

    async def __aenter__(self) -> LocalServer:
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._runner.cleanup()


class RecordingServer(LocalServer):
    """Answers 200 ``recorded`` (with a cookie, and ``X-Api-Key`` echoed back as ``X-Echoed``)
    to every request, and keeps what it received."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._record)
        super().__init__(app)

    async def _record(self, request: web.Request) -> web.Response:
        self.received.append(Received(request.method, request.path_qs, dict(request.headers)))
        headers = {"Set-Cookie": "session=s3cr3t; Path=/"}
        if "X-Api-Key" in request.headers:  # an upstream that echoes the credential
            headers["X-Echoed"] = request.headers["X-Api-Key"]
        return web.Response(text="recorded", headers=headers)


class Redirector(LocalServer):
    """Redirects: ``/to?url=X&status=302`` and ``/chain/N?url=X`` (N hops to itself first)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        app = web.Application()
        app.router.add_route("*", "/to", self._to)
        app.router.add_route("*", "/chain/{hops}", self._chain)
        super().__init__(app)

    async def _to(self, request: web.Request) -> web.Response:
        self.received.append(Received(request.method, request.path_qs, dict(request.headers)))
        status = int(request.query.get("status", "302"))
        return web.Response(status=status, headers={"Location": request.query["url"]})

    async def _chain(self, request: web.Request) -> web.Response:
        self.received.append(Received(request.method, request.path_qs, dict(request.headers)))
        hops = int(request.match_info["hops"])
        target = request.query["url"]
        if hops > 0:
            location = str(request.url.with_path(f"/chain/{hops - 1}").with_query(request.query))
        else:
            location = target
        return web.Response(status=302, headers={"Location": location})


@dataclass
class ScriptedResolver(Resolver):
    """Answers from a script: name -> one answer per lookup (the last repeats)."""

    answers: Mapping[str, Sequence[Sequence[str]]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """The scripted answer for this lookup of ``host``; OSError for unknown names."""
        self.lookups.append(host)
        script = self.answers.get(host.lower())
        if not script:
            raise OSError(f"{host} is not in the test's DNS script")
        answer = script[min(self.lookups.count(host) - 1, len(script) - 1)]
        addresses = [literal_address(text) for text in answer]
        return [address for address in addresses if address is not None]
