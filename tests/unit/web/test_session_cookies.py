"""Session cookies: signed, expiring, each with its own CSRF token."""

from __future__ import annotations

from entrypoints.web.session import SessionCookies


def test_a_cookie_reads_back_as_its_session() -> None:
    cookies = SessionCookies("key", 60)
    value, session = cookies.issue({"label": "API key ops"})
    read = cookies.read(value)
    assert read == session
    assert read.accepts(session.csrf_token)
    assert not read.accepts("other")
    assert not read.accepts(None)


def test_each_session_has_its_own_csrf_token() -> None:
    cookies = SessionCookies("key", 60)
    assert cookies.issue({})[1].csrf_token != cookies.issue({})[1].csrf_token


def test_a_cookie_signed_with_another_key_or_tampered_with_is_no_session() -> None:
    value, _ = SessionCookies("key", 60).issue({"label": "x"})
    assert SessionCookies("other key", 60).read(value) is None
    assert SessionCookies("key", 60).read(value[:-2] + "xx") is None
    assert SessionCookies("key", 60).read("") is None
    assert SessionCookies("key", 60).read(None) is None


def test_a_cookie_older_than_the_session_length_is_no_session() -> None:
    now = [1_000_000.0]
    cookies = SessionCookies("key", 60, clock=lambda: now[0])
    value, _ = cookies.issue({})
    now[0] += 60
    assert cookies.read(value) is not None
    now[0] += 1
    assert cookies.read(value) is None
