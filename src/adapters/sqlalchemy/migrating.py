"""Migrating the schema with Alembic (imported only by the commands that migrate)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.util import CommandError
from sqlalchemy.engine import Connection

from adapters.sqlalchemy.errors import flatten
from domain.errors import StorageUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"


def upgrade_to_head(connection: Connection) -> tuple[str | None, str | None]:
    """Migrate to the latest revision on ``connection``.

    Returns:
        The revision before and after.

    Raises:
        StorageUnavailable: When a migration fails.
    """
    try:
        before = _current_revision(connection)
        command.upgrade(_alembic_config(connection), "head")
        return before, _current_revision(connection)
    except CommandError as error:
        raise StorageUnavailable(f"database migration failed: {flatten(str(error))}") from None


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
