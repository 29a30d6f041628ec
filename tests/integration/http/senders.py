"""Sending through the pool's guarded aiohttp session as the ``http`` executor does."""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp
from yarl import URL

from adapters.http.pool import HttpClientPool
from adapters.http.sessions import guarded_request


async def through_session(
    pool: HttpClientPool,
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    data: bytes | None = None,
    sensitive: frozenset[str] = frozenset(),
) -> tuple[int, bytes, int]:
    """Send one request through ``pool.session()``: its status, body and redirects."""
    session = pool.session()
    assert session is not None
    async with guarded_request(
        session,
        pool.guard,
        method,
        URL(url, encoded=True),
        headers=headers or {},
        data=data,
        sensitive_headers=sensitive,
        timeout=aiohttp.ClientTimeout(total=2),
    ) as response:
        return response.status, await response.read(), len(response.history)
