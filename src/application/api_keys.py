"""Use cases of admin API keys: create (the key shown once), list, revoke, verify."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from application.clock import Clock, utc_now
from application.ports import ApiKeyStore
from domain.api_keys import ApiKey, check_api_key_name, parse_scopes
from domain.errors import InvalidApiKey, NotFound, Unauthenticated
from domain.secrets import Secret

API_KEY_PREFIX = "tpk_"
"""Every admin API key starts so: ``tpk_<public id>_<43 random characters>``."""
_ID_BYTES = 6
_SECRET_BYTES = 32


@dataclass(frozen=True)
class CreatedApiKey:
    """A new key: its record, and the key itself (shown once, never stored).

    Attributes:
        record: What is stored (the key's hash, never the key).
        key: The key, to give to the operator once.
    """

    record: ApiKey
    key: Secret


def key_hash(key: str) -> str:
    """The stored hash of a key: SHA-256, hex (the key holds 32 random bytes)."""
    return hashlib.sha256(key.encode("utf-8", errors="surrogatepass")).hexdigest()


def key_id_of(key: str) -> str | None:
    """The public id inside a key of the platform's form, or None for any other text."""
    if not key.startswith(API_KEY_PREFIX):
        return None
    key_id, separator, rest = key[len(API_KEY_PREFIX) :].partition("_")
    return key_id if separator and key_id and rest else None


class ApiKeyService:
    """Makes, lists, revokes and verifies admin API keys.

    Args:
        store: Where the keys' hashes and scopes are kept.
        clock: The time of creation and revocation.
    """

    def __init__(self, store: ApiKeyStore, clock: Clock = utc_now) -> None:
        self._store = store
        self._clock = clock

    async def create(self, name: str, scopes: Sequence[str]) -> CreatedApiKey:
        """Make a key with these scopes; the key itself is returned once, never stored.

        Raises:
            InvalidApiKey: When the name breaks the rule, a scope is unknown, or none
                is given.
            Conflict: When a key (even a revoked one) has that name.
        """
        check_api_key_name(name)
        granted = parse_scopes(tuple(scopes))
        if not granted:
            raise InvalidApiKey("an API key needs at least one scope (--scope)")
        key_id = secrets.token_hex(_ID_BYTES)
        key = f"{API_KEY_PREFIX}{key_id}_{secrets.token_urlsafe(_SECRET_BYTES)}"
        record = ApiKey(key_id, name, granted, key_hash(key), self._clock())
        await self._store.add(record)
        return CreatedApiKey(record, Secret(key))

    async def list_all(self) -> list[ApiKey]:
        """Every key, revoked ones too, by name."""
        return await self._store.list_all()

    async def revoke(self, name: str) -> ApiKey:
        """Revoke the key called ``name``: it stops working at once.

        Raises:
            NotFound: When no key has that name.
        """
        revoked = await self._store.revoke(name, self._clock())
        if revoked is None:
            raise NotFound(f"no API key is named {name!r}")
        return revoked

    async def active(self, key_id: str) -> bool:
        """Whether the key with this public id exists and is not revoked."""
        record = await self._store.get(key_id)
        return record is not None and not record.revoked

    async def verify(self, key: str) -> ApiKey:
        """Return the record of a valid key.

        Raises:
            Unauthenticated: When the key is not one of ours, unknown, or revoked.
        """
        key_id = key_id_of(key)
        record = None if key_id is None else await self._store.get(key_id)
        if record is None or not hmac.compare_digest(record.key_hash, key_hash(key)):
            raise Unauthenticated("the API key is not valid")
        if record.revoked:
            raise Unauthenticated("the API key was revoked")
        return record
