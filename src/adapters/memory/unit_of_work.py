"""``InMemoryUnitOfWork``: transactions over the in-memory storage."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from adapters.memory.repositories import (
    InMemoryAgentRepository,
    InMemoryBindingRepository,
    InMemoryToolCatalog,
)
from adapters.memory.state import Change, MemoryState
from application.ports import SecretCipher, Storage, UnitOfWork


class InMemoryStorage(Storage):
    """The shared, committed state of one in-memory storage.

    Args:
        cipher: Encrypts binding secrets, so nothing holds them in plaintext at rest.
    """

    def __init__(self, cipher: SecretCipher) -> None:
        self.state = MemoryState()
        self.cipher = cipher

    def unit_of_work(self, *, read_only: bool = False) -> InMemoryUnitOfWork:
        """Open a new unit of work (the ``UnitOfWorkFactory`` of this storage).

        ``read_only`` changes nothing here: commits never wait for one another.
        """
        return InMemoryUnitOfWork(self)

    async def open(self) -> None:
        """Nothing to open: the state lives in this object."""

    async def close(self) -> None:
        """Nothing to close; the state is dropped with this object."""

    async def upgrade(self) -> str:
        """Nothing to migrate: in-memory storage has no schema."""
        return "in-memory storage has no schema to migrate"


class InMemoryUnitOfWork(UnitOfWork):
    """A transaction: works on a private copy, and commits by replaying its changes.

    Commit replays the recorded changes on a copy of the committed state, checking the
    same rules as a database (next version number, unique names), and swaps it in only
    if all of them apply; so concurrent units of work never lose each other's writes
    and a failed commit changes nothing.

    Args:
        storage: The storage to work on.
    """

    def __init__(self, storage: InMemoryStorage) -> None:
        self._storage = storage
        self._changes: list[Change] = []
        self._working = storage.state.copy()
        self._tools = InMemoryToolCatalog(self._working, self._record)
        self._agents = InMemoryAgentRepository(self._working, self._record)
        self._bindings = InMemoryBindingRepository(self._working, self._record, storage.cipher)

    @property
    def tools(self) -> InMemoryToolCatalog:
        """The tool catalog, inside this transaction."""
        return self._tools

    @property
    def agents(self) -> InMemoryAgentRepository:
        """The agents, inside this transaction."""
        return self._agents

    @property
    def bindings(self) -> InMemoryBindingRepository:
        """The bindings, inside this transaction."""
        return self._bindings

    def _record(self, change: Change) -> None:
        change(self._working)
        self._changes.append(change)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._changes.clear()

    async def commit(self) -> None:
        """Apply the recorded changes to the committed state, all or none."""
        candidate = self._storage.state.copy()
        for change in self._changes:
            change(candidate)
        self._storage.state = candidate
        self._changes.clear()
