"""The store of admin API keys: hashes and scopes, each operation atomic on its own."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.api_keys import ApiKey


class ApiKeyStore(Protocol):
    """Admin API keys (the ``api_keys`` table). No key is ever stored, only its hash."""

    async def add(self, key: ApiKey) -> None:
        """Store a new key.

        Raises:
            Conflict: When the name (or the id) is taken.
        """
        ...

    async def get(self, key_id: str) -> ApiKey | None:
        """Return the key with this public id (revoked or not), or None."""
        ...

    async def list_all(self) -> list[ApiKey]:
        """Return every key, revoked ones too, by name."""
        ...

    async def revoke(self, name: str, at: datetime) -> ApiKey | None:
        """Mark the key called ``name`` revoked (kept for the record); None if none is.

        Revoking a revoked key keeps its first ``revoked_at``.
        """
        ...
