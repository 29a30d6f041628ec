"""Admin API keys: who may use the admin API with what scopes (never the key itself)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidApiKey

API_KEY_NAME_MAX = 100
"""The longest API key name (the size of the ``api_keys.name`` column)."""


class Scope(StrEnum):
    """What an API key may do; ``admin`` may do everything (docs/api.md's table)."""

    ADMIN = "admin"
    TOOLS_WRITE = "tools:write"
    AGENTS_WRITE = "agents:write"
    CALLS_READ = "calls:read"
    TOOLS_EXECUTE = "tools:execute"


def parse_scopes(names: list[str] | tuple[str, ...]) -> frozenset[Scope]:
    """The scopes named, refusing an unknown name.

    Raises:
        InvalidApiKey: When a name is not a scope (the message lists the scopes).
    """
    known = {scope.value: scope for scope in Scope}
    unknown = [name for name in names if name not in known]
    if unknown:
        listing = ", ".join(scope.value for scope in Scope)
        raise InvalidApiKey(
            f"unknown scope {', '.join(map(repr, unknown))}; the scopes are: {listing}"
        )
    return frozenset(known[name] for name in names)


def check_api_key_name(name: str) -> None:
    """Refuse a name for a new API key: 1 to 100 printable characters, not blank.

    Raises:
        InvalidApiKey: When the name breaks the rule.
    """
    if not name.strip() or len(name) > API_KEY_NAME_MAX or not name.isprintable():
        raise InvalidApiKey(
            f"an API key name must be 1 to {API_KEY_NAME_MAX} printable characters, not blank"
        )


@dataclass(frozen=True)
class ApiKey:
    """An admin API key as stored: its public id, its hash, never the key.

    Attributes:
        id: The public part of the key (``tpk_<id>_<secret>``), used to find it.
        name: A unique name the operator chose.
        scopes: What it may do.
        key_hash: The SHA-256 of the whole key, hex (the key is 32 random bytes).
        created_at: When it was made.
        revoked_at: When it was revoked; None while it is valid.
    """

    id: str
    name: str
    scopes: frozenset[Scope]
    key_hash: str
    created_at: datetime
    revoked_at: datetime | None = None

    def __repr__(self) -> str:
        scopes = sorted(scope.value for scope in self.scopes)
        return f"ApiKey(id={self.id!r}, name={self.name!r}, scopes={scopes})"

    @property
    def revoked(self) -> bool:
        """Whether the key was revoked."""
        return self.revoked_at is not None
