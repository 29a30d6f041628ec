"""Verifying a user's signed token (a Supabase JWT) without asking its issuer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class VerifiedToken:
    """What a valid token says about its user.

    Attributes:
        subject: The user's id (``sub``).
        expires_at: When the token expires (``exp``).
        email: The user's email, when the token carries one.
    """

    subject: str
    expires_at: datetime
    email: str | None = None


class TokenVerifier(Protocol):
    """Checks a user's token locally: signature, expiry, issuer and audience."""

    async def verify(self, token: str) -> VerifiedToken:
        """Return what a valid token says.

        Raises:
            Unauthenticated: When the token is malformed, badly signed, expired, for
                another issuer or audience, or user tokens are not configured.
        """
        ...
