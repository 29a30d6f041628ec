"""``SupabaseApiKeyStore``: the ``api_keys`` table through the schema's RPC functions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.storage_common.api_key_rows import api_key_columns, read_api_key
from adapters.supabase.rpc import SupabaseRpc
from application.ports import ApiKeyStore
from domain.api_keys import ApiKey
from domain.errors import StorageUnavailable


class SupabaseApiKeyStore(ApiKeyStore):
    """Keys in Supabase's ``api_keys`` (service role only), one request per operation.

    Args:
        rpc: The storage's open client.
    """

    def __init__(self, rpc: SupabaseRpc) -> None:
        self._rpc = rpc

    async def add(self, key: ApiKey) -> None:
        """Store a new key.

        Raises:
            Conflict: When the name is taken.
        """
        columns = api_key_columns(key)
        item = {**columns, "created_at": key.created_at.isoformat(), "revoked_at": None}
        await self._rpc.call("tool_platform_api_key_add", {"item": item})

    async def get(self, key_id: str) -> ApiKey | None:
        """Return the key with this public id, or None."""
        rows = await self._rows("tool_platform_api_keys", {"key_id": key_id})
        return rows[0] if rows else None

    async def list_all(self) -> list[ApiKey]:
        """Every key, by name."""
        return await self._rows("tool_platform_api_keys", {"key_id": None})

    async def revoke(self, name: str, at: datetime) -> ApiKey | None:
        """Mark the named key revoked (a revoked key keeps its first time)."""
        rows = await self._rows(
            "tool_platform_api_key_revoke", {"key_name": name, "at": at.isoformat()}
        )
        return rows[0] if rows else None

    async def _rows(self, function: str, arguments: dict[str, Any]) -> list[ApiKey]:
        rows = await self._rpc.call(function, arguments)
        if not isinstance(rows, list):
            raise StorageUnavailable(
                f"Supabase at {self._rpc.host} sent an answer that is not rows"
            )
        return [read_api_key(row) for row in rows]
