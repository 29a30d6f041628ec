"""The browser session: a signed cookie that names who signed in, and its CSRF token.

The cookie is HttpOnly and SameSite=Strict, signed with a key (itsdangerous), and
expires after a set time; it carries the signed-in principal's description and a random
CSRF token that every state-changing request must send back (``X-CSRF-Token`` header,
or the ``csrf_token`` form field), compared in constant time.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE_NAME = "tool_platform_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_SALT = "tool-platform-admin-session"


@dataclass(frozen=True)
class BrowserSession:
    """Who a signed-in browser is, and the token its forms send back.

    Attributes:
        principal: The principal's description, as the sign-in stored it.
        csrf_token: The session's CSRF token.
    """

    principal: dict[str, Any]
    csrf_token: str

    def accepts(self, token: str | None) -> bool:
        """Whether ``token`` is this session's CSRF token."""
        return token is not None and hmac.compare_digest(token, self.csrf_token)


class SessionCookies:
    """Issues and reads signed session cookies.

    Args:
        key: The signing key (``TOOL_PLATFORM_UI_SESSION_KEY``, else random per process).
        max_age_seconds: How long a session lasts after sign-in.
        clock: The time in seconds since the epoch.
    """

    def __init__(
        self, key: str, max_age_seconds: int, clock: Callable[[], float] = time.time
    ) -> None:
        self._serializer = URLSafeSerializer(key, salt=_SALT)
        self.max_age_seconds = max_age_seconds
        self._clock = clock

    def issue(self, principal: dict[str, Any]) -> tuple[str, BrowserSession]:
        """A new session for ``principal``: the cookie's value and the session."""
        session = BrowserSession(principal, secrets.token_urlsafe(32))
        payload = {"p": principal, "c": session.csrf_token, "t": self._clock()}
        return self._serializer.dumps(payload), session

    def read(self, value: str | None) -> BrowserSession | None:
        """The session a cookie value holds; None when absent, tampered with or expired."""
        if not value:
            return None
        try:
            data = self._serializer.loads(value)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        principal, token, issued = data.get("p"), data.get("c"), data.get("t")
        if not isinstance(principal, dict) or not isinstance(token, str):
            return None
        if not isinstance(issued, int | float) or self._clock() - issued > self.max_age_seconds:
            return None
        return BrowserSession(principal, token)
