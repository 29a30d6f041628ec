"""Running one command's work inside the container's lifespan (storage, HTTP pool)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from application.ports import SecretsAtRest
from entrypoints.commands.output import CliError
from entrypoints.container import Container
from entrypoints.lifespan import lifespan

T = TypeVar("T")


def run(work: Callable[[Container], Awaitable[T]]) -> T:
    """Open the container's resources, await ``work`` on the container, close them.

    One event loop per command: everything tied to it (the database engine, the HTTP
    client pool) is opened and closed inside it, by :func:`entrypoints.lifespan.lifespan`.

    Args:
        work: The command's use-case calls; the container's services use the storage.

    Returns:
        What ``work`` returned.
    """
    return asyncio.run(_within_lifespan(Container(), work))


async def _within_lifespan(container: Container, work: Callable[[Container], Awaitable[T]]) -> T:
    async with lifespan(container):
        return await work(container)


def secrets_at_rest(container: Container) -> SecretsAtRest:
    """Return the configured storage when it keeps secrets at rest.

    Raises:
        CliError: When it does not (the in-memory storage keeps nothing).
    """
    storage = container.storage()
    if not isinstance(storage, SecretsAtRest):
        raise CliError(
            "the configured storage keeps no secrets at rest; set TOOL_PLATFORM_STORAGE=sqlalchemy"
        )
    return storage
