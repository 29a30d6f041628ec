"""Browser sessions traded for a credential: they end with the session, the JWT or the key."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from adapters.memory.api_keys import InMemoryApiKeyStore
from application.api_keys import ApiKeyService
from application.auth import Authenticator
from application.ports import TokenVerifier, VerifiedToken
from application.principals import PrincipalKind
from domain.errors import Unauthenticated
from tests.builders import EPOCH


class Clock:
    def __init__(self) -> None:
        self.now = EPOCH

    def __call__(self) -> datetime:
        return self.now


class Tokens(TokenVerifier):
    """Accepts ``user:<id>`` as a token of user ``<id>`` that expires an hour after EPOCH."""

    async def verify(self, token: str) -> VerifiedToken:
        if not token.startswith("user:"):
            raise Unauthenticated("the token is not valid")
        return VerifiedToken(token.removeprefix("user:"), EPOCH + timedelta(hours=1))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def keys(clock: Clock) -> ApiKeyService:
    return ApiKeyService(InMemoryApiKeyStore(), clock)


@pytest.fixture
def auth(keys: ApiKeyService, clock: Clock) -> Authenticator:
    return Authenticator(keys, Tokens(), clock, session_seconds=8 * 3600)


async def test_a_key_session_carries_its_principal_and_two_distinct_tokens(
    auth: Authenticator, keys: ApiKeyService
) -> None:
    created = await keys.create("ops", ["agents:write"])

    session = await auth.sign_in(created.key.reveal())

    assert session.principal.kind is PrincipalKind.API_KEY
    assert session.principal.name == "ops"
    assert session.token != session.csrf_token
    assert created.key.reveal() not in repr(session)
    assert session.token not in repr(session)
    assert (await auth.session(session.token)).principal == session.principal


async def test_a_session_ends_when_its_key_is_revoked(
    auth: Authenticator, keys: ApiKeyService
) -> None:
    created = await keys.create("ops", ["admin"])
    session = await auth.sign_in(created.key.reveal())

    await keys.revoke("ops")

    with pytest.raises(Unauthenticated, match="revoked"):
        await auth.session(session.token)


async def test_a_user_session_ends_with_the_token(auth: Authenticator, clock: Clock) -> None:
    session = await auth.sign_in("user:u1")
    assert session.expires_at == EPOCH + timedelta(hours=1)

    clock.now = EPOCH + timedelta(hours=1, seconds=1)

    with pytest.raises(Unauthenticated, match="ended"):
        await auth.session(session.token)


async def test_signing_out_and_unknown_tokens(auth: Authenticator) -> None:
    session = await auth.sign_in("user:u1")

    auth.sign_out(session.token)

    with pytest.raises(Unauthenticated):
        await auth.session(session.token)
    with pytest.raises(Unauthenticated):
        await auth.session("made-up")
    with pytest.raises(Unauthenticated):
        await auth.sign_in("")
