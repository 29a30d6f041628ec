"""Reading response bodies without trusting their size."""

from __future__ import annotations

import httpx


async def read_capped(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """Read a streamed response body, up to ``limit`` bytes.

    Args:
        response: A response opened with ``client.stream(...)``.
        limit: The most bytes to keep.

    Returns:
        The body (at most ``limit`` bytes) and whether it was cut short.
    """
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > limit:
            chunks.append(chunk[: limit - size])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False
