"""A database server that accepts connections and never answers fails fast, named."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator

import pytest

from domain.errors import StorageUnavailable
from entrypoints.container import Container
from entrypoints.settings import PlatformSettings

KEYS = "k1:" + base64.b64encode(bytes(32)).decode()


@pytest.fixture
async def silent_port() -> AsyncIterator[int]:
    """A port on loopback whose listener accepts every connection and never replies."""
    held: list[asyncio.StreamWriter] = []

    async def accept_and_say_nothing(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept_and_say_nothing, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_server_that_never_answers_fails_naming_the_host_and_the_setting(
    silent_port: int,
) -> None:
    container = Container()
    container.settings.override(
        PlatformSettings(
            database_url=f"postgresql+asyncpg://admin:hunter2@127.0.0.1:{silent_port}/tools",
            secret_keys=KEYS,  # type: ignore[arg-type]
            database_connect_timeout_seconds=0.3,
        )
    )
    storage = container.storage()
    await storage.open()
    try:
        with pytest.raises(StorageUnavailable) as refused:
            async with storage.unit_of_work():
                pass
    finally:
        await storage.close()

    message = str(refused.value)
    assert f"127.0.0.1:{silent_port} did not answer within 0.3 s" in message
    assert "TOOL_PLATFORM_DATABASE_CONNECT_TIMEOUT_SECONDS" in message
    assert "hunter2" not in message
