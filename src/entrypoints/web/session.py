"""The session cookie: the Authenticator's session token, signed, HttpOnly, SameSite.

The session itself (who signed in, its CSRF token, when it ends) lives in
:class:`application.auth.Authenticator`; the cookie only carries its random token,
signed with itsdangerous so a cookie the server did not issue is refused before any
lookup. Every state-changing request must also send the session's CSRF token
(``X-CSRF-Token`` header, or the ``csrf_token`` form field), compared in constant time.
"""

from __future__ import annotations

import hmac

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE_NAME = "tool_platform_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_SALT = "tool-platform-admin-session"


class SessionCookies:
    """Seals session tokens into cookie values and opens them again.

    Args:
        key: The signing key (a random one per process: sessions live in the process).
    """

    def __init__(self, key: str) -> None:
        self._serializer = URLSafeSerializer(key, salt=_SALT)

    def seal(self, token: str) -> str:
        """The cookie value for a session token."""
        return self._serializer.dumps(token)

    def open(self, value: str | None) -> str | None:
        """The session token a cookie value holds; None when absent or not signed by us."""
        if not value:
            return None
        try:
            token = self._serializer.loads(value)
        except BadSignature:
            return None
        return token if isinstance(token, str) else None


def csrf_matches(expected: str, sent: str | None) -> bool:
    """Whether ``sent`` is the session's CSRF token (constant-time)."""
    return sent is not None and hmac.compare_digest(sent.encode(), expected.encode())
