"""``JsonText``: a JSON column read as text and decoded in Python, not by the driver."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from adapters.storage_common.json_text import json_from_text


class JsonText(sa.TypeDecorator[Any]):
    """A JSON column's value fetched as text (``CAST(column AS TEXT)``), decoded here.

    On PostgreSQL the driver's JSONB codec is a Python call per value, on every row;
    text comes back through asyncpg's own decoder, and the values a binding column
    usually holds (``{}`` for an empty config, ``null`` for no allowlist) skip the JSON
    parser. The value is the same as the driver's: a new object on each read.
    """

    impl = sa.Text
    cache_ok = True

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        """Decode the column's JSON text (SQL ``NULL`` and JSON ``null`` are None)."""
        return None if value is None else json_from_text(value)


def json_as_text(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """``column`` (JSON) read as text and decoded by :class:`JsonText`, keeping its key."""
    return sa.cast(column, JsonText()).label(column.key)
