"""``SqlAlchemyStorage``: the engine's lifecycle, migrations and secret maintenance.

SQLite (aiosqlite) is the embedded default; PostgreSQL (asyncpg) the server option. The
engine is created by :meth:`SqlAlchemyStorage.open` and disposed by
:meth:`SqlAlchemyStorage.close`, never at import, so it always belongs to the event
loop that uses it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.sqlalchemy.sealed_secrets import is_plaintext, seal, unseal
from adapters.sqlalchemy.tables import agent_tools
from adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from application.clock import utc_now
from application.ports import SecretCipher, SecretsAtRest, Storage
from domain.schema.limits import SchemaLimits

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000


class SqlAlchemyStorage(Storage, SecretsAtRest):
    """The SQL storage: a pooled async engine and the units of work over it.

    Args:
        url: The SQLAlchemy URL (``sqlite+aiosqlite:///file.db``,
            ``postgresql+asyncpg://user@host/db``).
        cipher: Seals binding secrets.
        limits: Schema limits for reading stored tools.
        pool_size: Connections kept open per engine (per job in the worker).
        max_overflow: Connections opened beyond ``pool_size`` under load.
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
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._url = make_url(url)
        self._cipher = cipher
        self._limits = limits
        self._pool_size = pool_size
        self._max_overflow = max_overflow
        self._clock = clock
        self._engine: AsyncEngine | None = None

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
        self._engine = create_async_engine(self._url, **options)
        if self.is_sqlite:
            _configure_sqlite(self._engine)

    async def close(self) -> None:
        """Dispose of the engine and its pooled connections."""
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    def unit_of_work(self) -> SqlAlchemyUnitOfWork:
        """Open a new unit of work (the ``UnitOfWorkFactory`` of this storage)."""
        return SqlAlchemyUnitOfWork(self.engine, self._cipher, self._limits, self._clock)

    async def upgrade(self) -> str:
        """Migrate the schema to the latest revision (the only way it is created).

        Returns:
            What was done, in words.
        """
        async with self.engine.begin() as connection:
            before = await connection.run_sync(_current_revision)
            await connection.run_sync(_upgrade)
            after = await connection.run_sync(_current_revision)
        if before == after:
            return f"the database schema is up to date (revision {after})"
        return f"migrated the database schema from {before or 'nothing'} to revision {after}"

    async def rotate_secrets(self) -> int:
        """Re-encrypt every stored secret that is not under the current key.

        Returns:
            How many secrets were re-encrypted.
        """
        return await self._reseal(lambda stored: not is_plaintext(stored))

    async def encrypt_plaintext_secrets(self) -> int:
        """Encrypt, in place, every secret the seed stored as plaintext.

        Returns:
            How many secrets were encrypted.
        """
        return await self._reseal(is_plaintext)

    async def _reseal(self, selects: Callable[[Any], bool]) -> int:
        count = 0
        async with self.engine.begin() as connection:
            rows = await connection.execute(
                sa.select(agent_tools.c.id, agent_tools.c.sensitive_config)
            )
            for row in rows.all():
                stored = dict(row.sensitive_config)
                changed = False
                for name, value in stored.items():
                    if not selects(value):
                        continue
                    plain = (
                        value if is_plaintext(value) else unseal(self._cipher, row.id, name, value)
                    )
                    resealed = seal(self._cipher, row.id, name, plain)
                    if is_plaintext(value) or value["key_id"] != resealed["key_id"]:
                        stored[name] = resealed
                        changed = True
                        count += 1
                if changed:
                    await connection.execute(
                        agent_tools.update()
                        .where(agent_tools.c.id == row.id)
                        .values(sensitive_config=stored)
                    )
        return count


def _configure_sqlite(engine: AsyncEngine) -> None:
    """WAL, a busy timeout, foreign keys, and real transactions on SQLite.

    The driver's own transaction handling is switched off and every transaction starts
    with ``BEGIN``, so reads inside a unit of work see one snapshot. WAL lets readers
    (the worker loading toolsets) go on while one writer writes; a second writer waits
    up to the busy timeout, and one whose snapshot went stale gets ``StorageBusy``
    (a tool definition then retries with the next version number).
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(_alembic_config(connection), "head")


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
