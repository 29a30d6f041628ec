"""An API key's stored columns (the SQL table and Supabase's rows alike)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from domain.api_keys import ApiKey, Scope


def api_key_columns(key: ApiKey) -> dict[str, Any]:
    """The columns of a new key: scopes as a sorted JSON array, the hash, never the key."""
    return {
        "id": key.id,
        "name": key.name,
        "scopes": sorted(scope.value for scope in key.scopes),
        "key_hash": key.key_hash,
        "created_at": key.created_at,
        "revoked_at": key.revoked_at,
    }


def read_api_key(columns: Mapping[Any, Any]) -> ApiKey:
    """A key from its columns; a scope this code does not know is dropped (it grants nothing)."""
    known = {scope.value for scope in Scope}
    return ApiKey(
        id=columns["id"],
        name=columns["name"],
        scopes=frozenset(Scope(name) for name in columns["scopes"] or () if name in known),
        key_hash=columns["key_hash"],
        created_at=_timestamp(columns["created_at"]),
        revoked_at=None if columns["revoked_at"] is None else _timestamp(columns["revoked_at"]),
    )


def _timestamp(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
