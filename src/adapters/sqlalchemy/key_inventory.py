"""Which keys the secrets in an embedded SQLite database were sealed with.

Asked before a key file is generated, so that a new key is never made over secrets
sealed with one that went missing. It reads the file directly (read-only, no engine),
because the cipher has to exist before the storage can open.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from adapters.storage_common.sealed_secrets import read_sensitive_config, sealed_key_ids


def sqlite_sealed_key_ids(url: str) -> set[str]:
    """The key ids of every sealed secret in the SQLite database at ``url``.

    A database that does not exist yet, or was never migrated, holds none.
    """
    database = make_url(url).database
    if not database or database == ":memory:" or not Path(database).exists():
        return set()
    connection = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT sensitive_config FROM agent_tools").fetchall()
    except sqlite3.OperationalError:  # no such table: never migrated
        return set()
    finally:
        connection.close()
    key_ids: set[str] = set()
    for (column,) in rows:
        key_ids |= sealed_key_ids(read_sensitive_config(column)[0])
    return key_ids
