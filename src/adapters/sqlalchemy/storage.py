"""``SqlAlchemyStorage``: the engine's lifecycle, migrations and secret maintenance.

SQLite (aiosqlite) is the embedded default; PostgreSQL (asyncpg) the server option. The
engine is created by :meth:`SqlAlchemyStorage.open` and disposed by
:meth:`SqlAlchemyStorage.close`, never at import, so it always belongs to the event
loop that uses it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.util import CommandError
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from adapters.sqlalchemy.binding_repository import SENSITIVE_CONFIG_AS_TEXT
from adapters.sqlalchemy.connections import Connections, ConnectTimeout
from adapters.sqlalchemy.errors import flatten, unavailable
from adapters.sqlalchemy.tables import agent_tools
from adapters.sqlalchemy.unit_of_work import ACCESS, SqlAlchemyUnitOfWork
from adapters.storage_common.rotation import Selection, reseal_all
from application.clock import utc_now
from application.ports import (
    ResealReport,
    SecretCipher,
    SecretsAtRest,
    Storage,
)
from domain.errors import StorageUnavailable
from domain.schema.limits import SchemaLimits

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 120_000
DEFAULT_CONNECT_TIMEOUT = ConnectTimeout()


class SqlAlchemyStorage(Storage, SecretsAtRest):
    """The SQL storage: a pooled async engine and the units of work over it.

    Args:
        url: The SQLAlchemy URL (``sqlite+aiosqlite:///file.db``,
            ``postgresql+asyncpg://user@host/db``).
        cipher: Seals binding secrets.
        limits: Schema limits for reading stored tools.
        pool_size: Connections kept open per engine (per job in the worker).
        max_overflow: Connections opened beyond ``pool_size`` under load.
        connect_timeout: How long a server database may take to answer a new connection.
        clock: The time written into rows.
    """

    def __init__(
        self,
        url: str,
        cipher: SecretCipher,
        limits: SchemaLimits,
        *,
        pool_size: int = 5,
        max_overflow: int = 10,
        connect_timeout: ConnectTimeout = DEFAULT_CONNECT_TIMEOUT,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._url = make_url(url)
        self._cipher = cipher
        self._limits = limits
        self._pool_size = pool_size
        self._max_overflow = max_overflow
        self._connect_timeout = connect_timeout
        self._clock = clock
        self._engine: AsyncEngine | None = None
        self._connections: Connections | None = None

    @property
    def engine(self) -> AsyncEngine:
        """The open engine."""
        if self._engine is None:
            raise RuntimeError("the storage is not open; call `await storage.open()` first")
        return self._engine

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is SQLite."""
        return self._url.get_backend_name() == "sqlite"

    async def open(self) -> None:
        """Create the engine (no connection is made until one is needed)."""
        if self._engine is not None:
            return
        options: dict[str, Any] = {}
        if not (self.is_sqlite and self._url.database in (None, "", ":memory:")):
            options.update(pool_size=self._pool_size, max_overflow=self._max_overflow)
        if not self.is_sqlite:
            options.update(connect_args={"timeout": self._connect_timeout.seconds})
        self._engine = create_async_engine(self._url, **options)
        if self.is_sqlite:
            _configure_sqlite(self._engine)
        self._connections = Connections(self._engine, self._url, self._connect_timeout)

    async def close(self) -> None:
        """Dispose of the engine and its pooled connections."""
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = self._connections = None

    def unit_of_work(self, *, read_only: bool = False) -> SqlAlchemyUnitOfWork:
        """Open a new unit of work (the ``UnitOfWorkFactory`` of this storage)."""
        if self._connections is None:
            raise RuntimeError("the storage is not open; call `await storage.open()` first")
        return SqlAlchemyUnitOfWork(
            self._connections, self._cipher, self._limits, self._clock, read_only=read_only
        )

    async def upgrade(self) -> str:
        """Migrate the schema to the latest revision (the only way it is created).

        Returns:
            What was done, in words.

        Raises:
            StorageUnavailable: When the database or a migration fails.
        """
        try:
            async with self.transaction() as connection:
                before = await connection.run_sync(_current_revision)
                await connection.run_sync(_upgrade)
                after = await connection.run_sync(_current_revision)
        except CommandError as error:
            raise StorageUnavailable(f"database migration failed: {flatten(str(error))}") from None
        except SQLAlchemyError as error:
            raise unavailable("database error", error) from None
        if before == after:
            return f"the database schema is up to date (revision {after})"
        return f"migrated the database schema from {before or 'nothing'} to revision {after}"

    async def rotate_secrets(self) -> ResealReport:
        """Re-encrypt every stored secret that is not under the current key.

        A secret that cannot be read is left as it is and reported; the rest go on.
        """
        return await self._reseal("sealed")

    async def encrypt_plaintext_secrets(self) -> ResealReport:
        """Encrypt, in place, every secret the seed stored as plaintext."""
        return await self._reseal("plaintext")

    async def _reseal(self, selection: Selection) -> ResealReport:
        try:
            async with self.transaction() as connection:
                rows = await connection.execute(
                    sa.select(agent_tools.c.id, SENSITIVE_CONFIG_AS_TEXT)
                )
                report, changed = reseal_all(
                    self._cipher, ((row.id, row.sensitive_config) for row in rows.all()), selection
                )
                for binding_id, stored in changed.items():
                    await connection.execute(
                        agent_tools.update()
                        .where(agent_tools.c.id == binding_id)
                        .values(sensitive_config=dict(stored))
                    )
        except SQLAlchemyError as error:
            raise unavailable("database error", error) from None
        return report

    @asynccontextmanager
    async def transaction(self, *, read_only: bool = False) -> AsyncIterator[AsyncConnection]:
        """A connection of the pool inside a transaction, committed on success."""
        if self._connections is None:
            raise RuntimeError("the storage is not open; call `await storage.open()` first")
        connection = await self._connections.connect()
        try:
            await connection.execution_options(**{ACCESS: "read" if read_only else "write"})
            async with connection.begin():
                yield connection
        finally:
            await connection.close()


def _configure_sqlite(engine: AsyncEngine) -> None:
    """A busy timeout, WAL, foreign keys, and real transactions on SQLite.

    The driver's own transaction handling is switched off and every transaction starts
    with ``BEGIN``, so reads inside a unit of work see one snapshot; a writer's with
    ``BEGIN IMMEDIATE``, which takes the write lock up front, so concurrent writers wait
    their turn (up to the busy timeout) instead of failing on a stale snapshot; a
    reader's connection is ``query_only``, so a read-only unit cannot write by mistake.
    WAL lets readers (the worker loading toolsets) go on while one writer writes.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        access = connection.get_execution_options().get(ACCESS)
        connection.exec_driver_sql(f"PRAGMA query_only={int(access == 'read')}")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if access == "write" else "BEGIN")


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(_alembic_config(connection), "head")


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
