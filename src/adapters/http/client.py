"""``GuardedClient``: the platform's HTTP client, an ``httpx.AsyncClient`` that guards.

It follows at most :data:`MAX_REDIRECTS` redirects, each hop sent through the guarded
transport (so checked like the first request). When a hop changes origin (scheme, host
or port), every header the request marked as sensitive is dropped, and so are
``Authorization``, ``Proxy-Authorization`` and ``Cookie``. A request marks the names of the headers
that came from a secret or from auth in its extensions::

    client.request("GET", url, headers=headers,
                   extensions={SENSITIVE_HEADERS: frozenset({"X-Api-Key"})})
"""

from __future__ import annotations

import httpx

SENSITIVE_HEADERS = "tool_platform.sensitive_headers"
"""The request extension naming (case-insensitively) the headers from secrets or auth."""

MAX_REDIRECTS = 5

_ALWAYS_SENSITIVE = ("Authorization", "Proxy-Authorization", "Cookie")


class GuardedClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` whose redirects drop sensitive headers across origins.

    Build it only through :class:`adapters.http.pool.HttpClientPool`, with a
    :class:`adapters.http.transport.GuardedTransport`.
    """

    def _redirect_headers(
        self, request: httpx.Request, url: httpx.URL, method: str
    ) -> httpx.Headers:
        headers = super()._redirect_headers(request, url, method)
        if (url.scheme, url.host, url.port) != (
            request.url.scheme,
            request.url.host,
            request.url.port,
        ):
            for name in (*request.extensions.get(SENSITIVE_HEADERS, ()), *_ALWAYS_SENSITIVE):
                headers.pop(name, None)
        return headers
