"""``SqlAlchemyApiKeyStore``: the ``api_keys`` table, each operation one transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from adapters.sqlalchemy.errors import execute
from adapters.sqlalchemy.storage import SqlAlchemyStorage
from adapters.sqlalchemy.tables import api_keys
from adapters.storage_common.api_key_rows import api_key_columns, read_api_key
from application.ports import ApiKeyStore
from domain.api_keys import ApiKey
from domain.errors import Conflict


class SqlAlchemyApiKeyStore(ApiKeyStore):
    """Keys in ``api_keys`` (SQLite or PostgreSQL), over the storage's engine.

    Args:
        storage: The open SQL storage.
    """

    def __init__(self, storage: SqlAlchemyStorage) -> None:
        self._storage = storage

    async def add(self, key: ApiKey) -> None:
        """Store a new key.

        Raises:
            Conflict: When the name or id is taken.
        """
        async with self._storage.unit_of_work() as uow:
            try:
                await execute(uow.connection, api_keys.insert().values(**api_key_columns(key)))
            except IntegrityError:
                raise Conflict(f"an API key named {key.name!r} already exists") from None
            await uow.commit()

    async def get(self, key_id: str) -> ApiKey | None:
        """Return the key with this public id, or None."""
        async with self._storage.unit_of_work(read_only=True) as uow:
            row = (
                await execute(uow.connection, api_keys.select().where(api_keys.c.id == key_id))
            ).first()
        return None if row is None else read_api_key(row._mapping)

    async def list_all(self) -> list[ApiKey]:
        """Every key, by name."""
        async with self._storage.unit_of_work(read_only=True) as uow:
            rows = await execute(uow.connection, api_keys.select().order_by(api_keys.c.name))
            return [read_api_key(row._mapping) for row in rows]

    async def revoke(self, name: str, at: datetime) -> ApiKey | None:
        """Mark the named key revoked (a revoked key keeps its first time)."""
        async with self._storage.unit_of_work() as uow:
            await execute(
                uow.connection,
                api_keys.update()
                .where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=at),
            )
            row = (
                await execute(uow.connection, api_keys.select().where(api_keys.c.name == name))
            ).first()
            await uow.commit()
        return None if row is None else read_api_key(row._mapping)
