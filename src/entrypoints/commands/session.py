"""Running one command's work against the configured storage, opened and closed around it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from application.ports import SecretsAtRest, Storage
from entrypoints.commands.output import CliError
from entrypoints.container import Container

T = TypeVar("T")


def run(work: Callable[[Container], Awaitable[T]]) -> T:
    """Open the configured storage, await ``work`` on the container, close the storage.

    One event loop per command: everything tied to it (the database engine) is opened
    and closed inside it.

    Args:
        work: The command's use-case calls; the container's services use the storage.

    Returns:
        What ``work`` returned.
    """
    return asyncio.run(_within_storage(Container(), work))


async def _within_storage(container: Container, work: Callable[[Container], Awaitable[T]]) -> T:
    storage: Storage = container.storage()
    await storage.open()
    try:
        return await work(container)
    finally:
        await storage.close()


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
