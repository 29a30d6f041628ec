"""Who a credential is: an admin API key or a user's JWT, and browser sessions made of them.

The API and the web UI authenticate with :class:`Authenticator`; what the caller may
then do is :func:`application.authorization.authorize`'s to say.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from application.api_keys import ApiKeyService, key_id_of
from application.clock import Clock, utc_now
from application.ports import TokenVerifier
from application.principals import Principal, PrincipalKind
from domain.errors import Unauthenticated

DEFAULT_SESSION_SECONDS = 8 * 3600
"""How long a browser session lasts at most (never past its JWT's expiry)."""


@dataclass(frozen=True)
class WebSession:
    """A browser session traded for a credential (the UI keeps ``token`` in a cookie).

    Attributes:
        token: The session's random token (the cookie's value).
        csrf_token: The token every state-changing request must send back.
        principal: Who signed in.
        expires_at: When the session ends.
    """

    token: str = field(repr=False)
    csrf_token: str = field(repr=False)
    principal: Principal
    expires_at: datetime


class Authenticator:
    """Turns a credential (or a session token) into the :class:`Principal` it proves.

    Sessions live in this object (one process serves the UI); an API key's session
    ends as soon as the key is revoked, a JWT's when the token expires.

    Args:
        api_keys: Verifies admin API keys.
        tokens: Verifies users' JWTs.
        clock: The time sessions and tokens are checked against.
        session_seconds: The longest a browser session lasts.
    """

    def __init__(
        self,
        api_keys: ApiKeyService,
        tokens: TokenVerifier,
        clock: Clock = utc_now,
        session_seconds: int = DEFAULT_SESSION_SECONDS,
    ) -> None:
        self._api_keys = api_keys
        self._tokens = tokens
        self._clock = clock
        self._session_length = timedelta(seconds=session_seconds)
        self._sessions: dict[str, WebSession] = {}

    async def authenticate(self, credential: str) -> Principal:
        """Return who the credential proves to be.

        Args:
            credential: An admin API key (``tpk_...``) or a user's JWT.

        Raises:
            Unauthenticated: When it proves nothing (empty, unknown, revoked, expired,
                badly signed).
        """
        if not credential:
            raise Unauthenticated("no credential was given")
        if key_id_of(credential) is not None:
            record = await self._api_keys.verify(credential)
            return Principal(PrincipalKind.API_KEY, record.id, record.name, record.scopes)
        token = await self._tokens.verify(credential)
        return Principal(
            PrincipalKind.USER,
            token.subject,
            token.email or token.subject,
            expires_at=token.expires_at,
        )

    async def sign_in(self, credential: str) -> WebSession:
        """Trade a credential for a browser session.

        Raises:
            Unauthenticated: When the credential proves nothing.
        """
        principal = await self.authenticate(credential)
        ends = self._clock() + self._session_length
        if principal.expires_at is not None:
            ends = min(ends, principal.expires_at)
        session = WebSession(secrets.token_urlsafe(32), secrets.token_urlsafe(32), principal, ends)
        now = self._clock()
        self._sessions = {k: s for k, s in self._sessions.items() if s.expires_at > now}
        self._sessions[_digest(session.token)] = session
        return session

    async def session(self, token: str) -> WebSession:
        """Return the live session of a session token.

        Raises:
            Unauthenticated: When the session is unknown, over, or its API key revoked.
        """
        session = self._sessions.get(_digest(token))
        if session is None:
            raise Unauthenticated("not signed in")
        if session.expires_at <= self._clock():
            self._sessions.pop(_digest(token), None)
            raise Unauthenticated("the session has ended; sign in again")
        if session.principal.kind is PrincipalKind.API_KEY and not await self._api_keys.active(
            session.principal.id
        ):
            self._sessions.pop(_digest(token), None)
            raise Unauthenticated("the API key of this session was revoked")
        return session

    def sign_out(self, token: str) -> None:
        """End a session (nothing happens for an unknown token)."""
        self._sessions.pop(_digest(token), None)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="surrogatepass")).hexdigest()
