"""Running one command's work against the configured storage, opened and closed around it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar, runtime_checkable

from entrypoints.commands.output import CliError
from entrypoints.container import Container

T = TypeVar("T")


class Storage(Protocol):
    """What the command line needs of any storage: a lifecycle and migrations."""

    async def open(self) -> None:
        """Connect (an engine, a pool); nothing is opened at import or construction."""

    async def close(self) -> None:
        """Release what :meth:`open` took."""

    async def upgrade(self) -> str:
        """Bring the schema up to date; return what was done, in words."""


@runtime_checkable
class SecretsAtRest(Protocol):
    """A storage that keeps encrypted secrets at rest (the SQL storage)."""

    async def rotate_secrets(self) -> int:
        """Re-encrypt every stored secret under the first key; return how many."""

    async def encrypt_plaintext_secrets(self) -> int:
        """Encrypt the secrets stored in plaintext (as the seed stored them); return how many."""


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
