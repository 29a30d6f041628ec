"""The outbound guard on aiohttp: a resolver that pins, a middleware that checks each hop.

The ``http`` executor sends through an ``aiohttp.ClientSession`` (built only by
:class:`adapters.http.pool.HttpClientPool`): on loopback a pooled aiohttp request costs
a fraction of an httpx one (``docs/performance.md``). The guard's promises hold as on
the httpx client (``docs/outbound.md``):

- :class:`GuardedResolver` is the connector's resolver: a new connection's host is
  resolved once, every address checked, and the connector connects only to those
  addresses (TLS still verifies the URL's host name). aiohttp does not ask a resolver
  about an address literal; the hop check below covers those.
- :func:`guarded_request` sends every request: it checks the URL's scheme and host
  (numeric spellings, address literals) before anything else, follows at most
  ``MAX_REDIRECTS`` redirects, and passes :func:`guarded_hops`, a middleware run for
  each redirect hop: the hop is checked the same way, and once a hop changes origin the
  headers the request marked as sensitive are dropped from it and every later hop
  (aiohttp itself drops ``Authorization``, ``Proxy-Authorization`` and ``Cookie``).
  aiohttp refuses a redirect to a scheme other than http(s) before it sends anything;
  the guard then gives its own refusal.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager

import httpx
from aiohttp import (
    ClientRequest,
    ClientResponse,
    ClientSession,
    ClientTimeout,
    NonHttpUrlRedirectClientError,
)
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from adapters.http.client import MAX_REDIRECTS
from adapters.http.guard import OutboundGuard, UnresolvableHost

_ENCODED_BY_HTTPX = frozenset(' "<>`{}#')
"""Characters httpx percent-encodes in a URL's path (so does it with non-ASCII)."""

Handler = Callable[[ClientRequest], Awaitable[ClientResponse]]
Middleware = Callable[[ClientRequest, Handler], Awaitable[ClientResponse]]


def wire_url(text: str) -> URL:
    """The URL ``text`` as httpx puts it on the wire, for aiohttp to send as it is.

    Given a URL to encode, yarl would also normalize it (``/a/%2e%2e/b`` sent as
    ``/b``), which defeats the one-segment-per-placeholder rule. httpx sends the path
    as given, percent-encoding only what may not appear in it (spaces, non-ASCII...),
    with the host in lower case (IDNA for a non-ASCII name): a URL without those is
    taken as it is, any other is encoded by httpx's own parser.
    """
    authority = text.partition("://")[2].partition("/")[0]
    if text.isascii() and authority == authority.lower() and _ENCODED_BY_HTTPX.isdisjoint(text):
        return URL(text, encoded=True)
    return URL(str(httpx.URL(text)), encoded=True)


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver seam, answered by the outbound guard.

    Args:
        guard: The outbound guard (and through it, its resolver).
    """

    def __init__(self, guard: OutboundGuard) -> None:
        self._guard = guard

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Every address of ``host``, each one checked by the guard.

        Raises:
            OutboundRefused: When the guard refuses any address of ``host``.
            OSError: When the name does not resolve (aiohttp's connect error follows).
        """
        try:
            addresses = await self._guard.admitted_addresses(host, port)
        except UnresolvableHost as error:
            raise OSError(str(error)) from None
        return [
            {
                "hostname": host,
                "host": str(address),
                "port": port,
                "family": socket.AF_INET6 if address.version == 6 else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for address in addresses
        ]

    async def close(self) -> None:
        """Nothing to release."""


@asynccontextmanager
async def guarded_request(
    session: ClientSession,
    guard: OutboundGuard,
    method: str,
    url: URL,
    *,
    headers: Mapping[str, str],
    data: bytes | None,
    sensitive_headers: frozenset[str],
    timeout: ClientTimeout | None,
) -> AsyncIterator[ClientResponse]:
    """Send one request through the pool's session, every hop guarded; yield the response.

    Args:
        session: :meth:`adapters.http.pool.HttpClientPool.session`.
        guard: Its outbound guard.
        method: The HTTP method.
        url: The URL, sent as it is.
        headers: The request's headers.
        data: The body, or None.
        sensitive_headers: The headers (lower case) that came from a secret or from
            auth: dropped once a redirect changes origin.
        timeout: The request's timeout (None: the session's).

    Raises:
        OutboundRefused: When the guard refuses the URL, a redirect hop, or an address.
    """
    guard.check_origin(url.scheme, url.raw_host or "")
    try:
        async with session.request(
            method,
            url,
            headers=headers,
            data=data,
            max_redirects=MAX_REDIRECTS + 1,  # aiohttp counts the redirect it refuses
            middlewares=(guarded_hops(guard, url, sensitive_headers),),
            timeout=timeout,
        ) as response:
            yield response
    except NonHttpUrlRedirectClientError as error:
        target = URL(str(error.args[0]))
        guard.check_origin(target.scheme, target.raw_host or "")
        raise


def guarded_hops(guard: OutboundGuard, url: URL, sensitive_headers: frozenset[str]) -> Middleware:
    """The middleware of one request to ``url``: check each redirect hop, drop secrets.

    aiohttp runs it for the request (whose URL :func:`guarded_request` has checked) and
    for each redirect hop.

    Args:
        guard: The outbound guard.
        url: The request's own URL.
        sensitive_headers: The request's headers (lower case) that came from a secret
            or from auth.
    """
    previous = (url.scheme, url.raw_host, url.port)
    first = True
    crossed = False

    async def middleware(request: ClientRequest, handler: Handler) -> ClientResponse:
        nonlocal previous, first, crossed
        hop = request.url
        if not first:
            guard.check_origin(hop.scheme, hop.raw_host or "")
        first = False
        origin = (hop.scheme, hop.raw_host, hop.port)
        crossed = crossed or origin != previous
        previous = origin
        if crossed:
            for name in sensitive_headers:
                request.headers.popall(name, None)
        return await handler(request)

    return middleware
