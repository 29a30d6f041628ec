"""Reading response bodies without trusting their size."""

from __future__ import annotations

from collections.abc import AsyncIterable

import httpx


async def read_capped(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """Read a streamed response body, up to ``limit`` bytes.

    Args:
        response: A response opened with ``client.stream(...)``.
        limit: The most bytes to keep.

    Returns:
        The body (at most ``limit`` bytes) and whether it was cut short.
    """
    return await read_chunks_capped(response.aiter_bytes(), limit)


async def read_chunks_capped(chunks: AsyncIterable[bytes], limit: int) -> tuple[bytes, bool]:
    """Read a body arriving in ``chunks`` (any client's), up to ``limit`` bytes.

    Returns:
        The body (at most ``limit`` bytes) and whether it was cut short; nothing more
        is read once the cap is passed.
    """
    kept: list[bytes] = []
    size = 0
    async for chunk in chunks:
        if size + len(chunk) > limit:
            kept.append(chunk[: limit - size])
            return b"".join(kept), True
        kept.append(chunk)
        size += len(chunk)
    return b"".join(kept), False
