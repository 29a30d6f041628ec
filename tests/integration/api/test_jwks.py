"""Users' JWTs verified with a JWKS (RS256), fetched through the outbound guard and cached."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from adapters.auth.jwt_tokens import JwtTokenVerifier
from adapters.http.allowlist import OutboundAllowlist
from adapters.http.guard import OutboundGuard
from adapters.http.pool import HttpClientPool
from domain.errors import Unauthenticated
from tests.builders import local_guard
from tests.integration.http.servers import LocalServer

ISSUER = "https://project.supabase.test/auth/v1"


class JwksServer(LocalServer):
    """Serves ``/jwks.json`` with the public halves of its keys; counts the fetches."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches = 0
        app = web.Application()
        app.router.add_get("/jwks.json", self._jwks)
        super().__init__(app)

    def add_key(self, kid: str) -> rsa.RSAPrivateKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.keys[kid] = key
        return key

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/jwks.json"

    async def _jwks(self, request: web.Request) -> web.Response:
        self.fetches += 1
        keys = [
            {**json.loads(RSAAlgorithm.to_jwk(key.public_key())), "kid": kid, "alg": "RS256"}
            for kid, key in self.keys.items()
        ]
        return web.json_response({"keys": keys})


def sign(key: rsa.RSAPrivateKey, kid: str, expires_in: float = 600, **claims: object) -> str:
    payload = {"sub": "user-7", "exp": int(time.time() + expires_in), "iss": ISSUER, **claims}
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
async def jwks() -> AsyncIterator[JwksServer]:
    async with JwksServer() as server:
        yield server


@pytest.fixture
async def pool() -> AsyncIterator[HttpClientPool]:
    pool = HttpClientPool(local_guard())
    yield pool
    await pool.aclose()


def verifier(url: str, pool: HttpClientPool) -> JwtTokenVerifier:
    return JwtTokenVerifier(
        jwks_url=url, secret=None, issuer=ISSUER, audience="authenticated", pool=pool
    )


async def test_an_rs256_token_is_verified_with_the_jwks_key_it_names(
    jwks: JwksServer, pool: HttpClientPool
) -> None:
    key = jwks.add_key("k1")

    verified = await verifier(jwks.url, pool).verify(sign(key, "k1", aud="authenticated"))

    assert verified.subject == "user-7"


async def test_the_jwks_is_fetched_once_and_cached(jwks: JwksServer, pool: HttpClientPool) -> None:
    key = jwks.add_key("k1")
    checker = verifier(jwks.url, pool)

    for _ in range(3):
        await checker.verify(sign(key, "k1", aud="authenticated"))

    assert jwks.fetches == 1


@pytest.mark.parametrize(
    ("claims", "said"),
    [
        ({"aud": "authenticated", "expires_in": -300}, "expired"),
        ({"aud": "anon"}, "audience"),
        ({"aud": "authenticated", "iss": "https://other.test/auth/v1"}, "issuer"),
    ],
    ids=["expired", "audience", "issuer"],
)
async def test_expiry_audience_and_issuer_are_checked(
    jwks: JwksServer, pool: HttpClientPool, claims: dict[str, object], said: str
) -> None:
    key = jwks.add_key("k1")

    with pytest.raises(Unauthenticated, match=said):
        await verifier(jwks.url, pool).verify(sign(key, "k1", **claims))  # type: ignore[arg-type]


async def test_a_token_signed_by_a_key_outside_the_jwks_is_refused(
    jwks: JwksServer, pool: HttpClientPool
) -> None:
    jwks.add_key("k1")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    with pytest.raises(Unauthenticated):
        await verifier(jwks.url, pool).verify(sign(stranger, "k1", aud="authenticated"))
    with pytest.raises(Unauthenticated, match="does not hold"):
        await verifier(jwks.url, pool).verify(sign(stranger, "k9", aud="authenticated"))


async def test_an_hs256_token_is_refused_when_only_a_jwks_is_configured(
    jwks: JwksServer, pool: HttpClientPool
) -> None:
    jwks.add_key("k1")
    token = jwt.encode(
        {"sub": "user-7", "exp": int(time.time() + 60), "iss": ISSUER, "aud": "authenticated"},
        "guessed-secret-0123456789abcdef0123",
        algorithm="HS256",
    )

    with pytest.raises(Unauthenticated, match="not signed the way"):
        await verifier(jwks.url, pool).verify(token)


async def test_the_jwks_goes_through_the_outbound_guard(jwks: JwksServer) -> None:
    key = jwks.add_key("k1")
    refusing = HttpClientPool(OutboundGuard(OutboundAllowlist.parse(())))
    try:
        with pytest.raises(Unauthenticated, match="cannot be fetched"):
            await verifier(jwks.url, refusing).verify(sign(key, "k1", aud="authenticated"))
    finally:
        await refusing.aclose()
    assert jwks.fetches == 0


async def test_no_jwt_setting_refuses_every_token(pool: HttpClientPool) -> None:
    checker = JwtTokenVerifier(jwks_url=None, secret=None, issuer=None, audience=None, pool=pool)

    with pytest.raises(Unauthenticated, match="TOOL_PLATFORM_API_JWKS_URL"):
        await checker.verify("a.b.c")
