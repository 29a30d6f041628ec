"""``InMemoryApiKeyStore``: admin API keys for as long as the process lives."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from application.ports import ApiKeyStore
from domain.api_keys import ApiKey
from domain.errors import Conflict


class InMemoryApiKeyStore(ApiKeyStore):
    """Keys (their hashes and scopes) in a dict, by public id."""

    def __init__(self) -> None:
        self._keys: dict[str, ApiKey] = {}

    async def add(self, key: ApiKey) -> None:
        """Store a new key; a taken name or id is a conflict."""
        if key.id in self._keys or any(k.name == key.name for k in self._keys.values()):
            raise Conflict(f"an API key named {key.name!r} already exists")
        self._keys[key.id] = key

    async def get(self, key_id: str) -> ApiKey | None:
        """Return the key with this public id, or None."""
        return self._keys.get(key_id)

    async def list_all(self) -> list[ApiKey]:
        """Every key, by name."""
        return sorted(self._keys.values(), key=lambda key: key.name)

    async def revoke(self, name: str, at: datetime) -> ApiKey | None:
        """Mark the named key revoked (keeping a first revocation's time)."""
        key = next((key for key in self._keys.values() if key.name == name), None)
        if key is not None and key.revoked_at is None:
            key = self._keys[key.id] = dataclasses.replace(key, revoked_at=at)
        return key
