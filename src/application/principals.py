"""Who is calling the admin API: an API key with scopes, or a signed-in user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.api_keys import Scope


class PrincipalKind(StrEnum):
    """How the caller proved who they are."""

    API_KEY = "api_key"
    USER = "user"


@dataclass(frozen=True)
class Principal:
    """The caller of one request, as the credential proved it.

    Attributes:
        kind: An admin API key, or a user signed in with a Supabase JWT.
        id: The key's public id, or the user's id (the JWT's ``sub``).
        name: The key's name, or the user's email when the token gives one (else the id).
        scopes: An API key's scopes; a user has none (what users may do is fixed:
            ``application.authorization``).
        expires_at: When the credential stops being valid (a JWT's ``exp``); None for
            an API key, valid until revoked.
    """

    kind: PrincipalKind
    id: str
    name: str
    scopes: frozenset[Scope] = frozenset()
    expires_at: datetime | None = None

    @property
    def user_id(self) -> str | None:
        """The user's id for a signed-in user (the owner id of their agents); else None."""
        return self.id if self.kind is PrincipalKind.USER else None
