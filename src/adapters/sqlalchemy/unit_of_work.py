"""``SqlAlchemyUnitOfWork``: one database transaction over the three repositories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Self, TypeVar

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncTransaction

from adapters.sqlalchemy.agent_repository import SqlAlchemyAgentRepository
from adapters.sqlalchemy.binding_repository import SqlAlchemyBindingRepository
from adapters.sqlalchemy.connections import Connections
from adapters.sqlalchemy.errors import unavailable
from adapters.sqlalchemy.tool_catalog import SqlAlchemyToolCatalog
from application.ports import SecretCipher, UnitOfWork
from domain.errors import Conflict
from domain.schema.limits import SchemaLimits

ACCESS = "tool_platform_access"
"""The execution option saying whether a unit of work reads or writes (``read``,
``write``): SQLite begins a writer's transaction IMMEDIATE and makes a reader's
connection ``query_only``."""

_Repository = TypeVar("_Repository")


class SqlAlchemyUnitOfWork(UnitOfWork):
    """A transaction: a connection from the pool, committed or rolled back as a whole.

    Args:
        connections: Opens the transaction's connection.
        cipher: Seals binding secrets.
        limits: Schema limits for reading stored tools.
        clock: The time written into rows.
        read_only: Whether it promises to write nothing (a writer takes SQLite's
            write lock when it begins).
    """

    def __init__(
        self,
        connections: Connections,
        cipher: SecretCipher,
        limits: SchemaLimits,
        clock: Callable[[], datetime],
        *,
        read_only: bool = False,
    ) -> None:
        self._connections = connections
        self._cipher = cipher
        self._limits = limits
        self._clock = clock
        self._read_only = read_only
        self._connection: AsyncConnection | None = None
        self._transaction: AsyncTransaction | None = None
        self._tools: SqlAlchemyToolCatalog | None = None
        self._agents: SqlAlchemyAgentRepository | None = None
        self._bindings: SqlAlchemyBindingRepository | None = None

    @property
    def tools(self) -> SqlAlchemyToolCatalog:
        """The tool catalog of this transaction."""
        return _opened(self._tools)

    @property
    def agents(self) -> SqlAlchemyAgentRepository:
        """The agents of this transaction."""
        return _opened(self._agents)

    @property
    def bindings(self) -> SqlAlchemyBindingRepository:
        """The bindings of this transaction."""
        return _opened(self._bindings)

    @property
    def connection(self) -> AsyncConnection:
        """The transaction's connection (for stores outside the three repositories)."""
        return _opened(self._connection)

    async def __aenter__(self) -> Self:
        self._connection = await self._connections.connect()
        try:
            access = "read" if self._read_only else "write"
            await self._connection.execution_options(**{ACCESS: access})
            self._transaction = await self._connection.begin()
        except SQLAlchemyError as error:
            await self._release()
            raise unavailable("the database cannot be used", error) from None
        self._tools = SqlAlchemyToolCatalog(self._connection, self._limits, self._clock)
        self._agents = SqlAlchemyAgentRepository(self._connection, self._clock)
        self._bindings = SqlAlchemyBindingRepository(self._connection, self._cipher, self._limits)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._release()

    async def commit(self) -> None:
        """Commit the transaction.

        Raises:
            Conflict: When a uniqueness rule is broken at commit.
            StorageUnavailable: When the database fails to commit.
        """
        if self._transaction is None:
            raise RuntimeError("commit outside the unit of work's block")
        try:
            await self._transaction.commit()
        except IntegrityError:
            raise Conflict("the change conflicts with a concurrent one; retry") from None
        except SQLAlchemyError as error:
            raise unavailable("the database failed to commit", error) from None

    async def _release(self) -> None:
        if self._transaction is not None and self._transaction.is_active:
            await self._transaction.rollback()
        if self._connection is not None:
            await self._connection.close()
        self._transaction = self._connection = None


def _opened(repository: _Repository | None) -> _Repository:
    if repository is None:
        raise RuntimeError("use the repositories inside `async with unit_of_work:`")
    return repository
