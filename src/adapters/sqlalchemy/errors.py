"""Driver errors translated into domain errors at the storage's boundary.

Nothing driver-specific leaves ``adapters/sqlalchemy``: a statement that fails becomes
:class:`~domain.errors.StorageUnavailable` with one line naming the driver's reason
(never the statement or its parameters), and a database that was never migrated says
to migrate it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

from domain.errors import StorageUnavailable

UPGRADE_HINT = "run `tool-platform db upgrade` first"
_MISSING_SCHEMA = re.compile(r"no such table|relation .* does not exist|undefined ?table", re.I)


async def execute(connection: AsyncConnection, statement: Executable) -> CursorResult[Any]:
    """Execute ``statement``; integrity errors stay for the caller to name.

    Raises:
        IntegrityError: When a constraint refuses the statement (the caller knows which).
        StorageUnavailable: For any other database failure.
    """
    try:
        return await connection.execute(statement)
    except IntegrityError:
        raise
    except SQLAlchemyError as error:
        raise unavailable("the database failed", error) from None


def unavailable(what: str, error: BaseException) -> StorageUnavailable:
    """``what: <driver reason>`` as a domain error, with the upgrade hint when it applies."""
    reason = describe(error)
    hint = f"; {UPGRADE_HINT}" if _MISSING_SCHEMA.search(reason) else ""
    return StorageUnavailable(f"{what}: {reason}{hint}")


def describe(error: BaseException) -> str:
    """One line naming a driver error (its own type and first line)."""
    orig = getattr(error, "orig", None) or error
    return f"{type(orig).__name__}: {orig}".splitlines()[0][:300]


def flatten(text: str) -> str:
    """A multi-line message on one line, its lines joined by ``;``."""
    return "; ".join(line.strip() for line in text.strip().splitlines() if line.strip())
