"""Running statements with driver errors translated at the boundary."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

from domain.errors import StorageBusy, StorageUnavailable


async def execute(connection: AsyncConnection, statement: Executable) -> CursorResult[Any]:
    """Execute ``statement``; integrity errors stay for the caller to name.

    Raises:
        IntegrityError: When a constraint refuses the statement (the caller knows which).
        StorageBusy: When SQLite refuses a write because another transaction won the race.
        StorageUnavailable: For any other database failure.
    """
    try:
        return await connection.execute(statement)
    except IntegrityError:
        raise
    except DBAPIError as error:
        reason = describe(error)
        if "database is locked" in reason or "database is busy" in reason:
            raise StorageBusy(f"the database is busy: {reason}") from None
        raise StorageUnavailable(f"the database failed: {reason}") from None


def describe(error: BaseException) -> str:
    """One line naming a driver error (its own type and first line)."""
    orig = getattr(error, "orig", None) or error
    return f"{type(orig).__name__}: {orig}".splitlines()[0][:300]
