"""The session cookie seals the session token; the CSRF check compares tokens."""

from __future__ import annotations

from entrypoints.web.session import SessionCookies, csrf_matches


def test_a_sealed_token_opens_again() -> None:
    cookies = SessionCookies("key")
    value = cookies.seal("session-token")
    assert cookies.open(value) == "session-token"


def test_a_cookie_sealed_with_another_key_or_tampered_with_opens_to_nothing() -> None:
    value = SessionCookies("key").seal("session-token")
    assert SessionCookies("other key").open(value) is None
    assert SessionCookies("key").open(value[:-2] + "xx") is None
    assert SessionCookies("key").open("") is None
    assert SessionCookies("key").open(None) is None


def test_the_csrf_check_accepts_only_the_sessions_token() -> None:
    assert csrf_matches("token", "token")
    assert not csrf_matches("token", "other")
    assert not csrf_matches("token", "")
    assert not csrf_matches("token", None)
