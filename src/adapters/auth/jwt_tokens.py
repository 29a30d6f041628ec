"""``JwtTokenVerifier``: Supabase JWTs verified locally, with PyJWT.

Either the project's JWKS (``TOOL_PLATFORM_API_JWKS_URL``: asymmetric keys, fetched
through the outbound guard and cached) or its shared secret
(``TOOL_PLATFORM_API_JWT_SECRET``, HS256, for projects that still sign so). The token
must carry ``sub`` and ``exp``; ``exp`` is checked, and so are ``iss`` and ``aud`` when
the settings name them. No message names the token or the secret.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt

from adapters.http.guard import OutboundRefused
from adapters.http.pool import HttpClientPool
from application.ports import TokenVerifier, VerifiedToken
from domain.errors import Unauthenticated
from domain.secrets import Secret

JWKS_CACHE_SECONDS = 600.0
"""How long fetched signing keys are used before the JWKS is fetched again."""
JWKS_REFETCH_SECONDS = 30.0
"""A token signed by a key the cache lacks refetches the JWKS at most this often."""
JWKS_TIMEOUT_SECONDS = 5.0
ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "EdDSA"})
"""The algorithms a JWKS key may verify with (never HS*: a public key is no secret)."""
LEEWAY_SECONDS = 30
"""Clock skew tolerated on ``exp``, ``nbf`` and ``iat``."""


class JwtTokenVerifier(TokenVerifier):
    """Verifies users' JWTs with the configured JWKS or shared secret.

    Args:
        jwks_url: The JWKS to fetch signing keys from, or None.
        secret: The HS256 shared secret, or None.
        issuer: The ``iss`` every token must have, or None not to check it.
        audience: The ``aud`` every token must have, or None not to check it.
        pool: The guarded HTTP client pool the JWKS is fetched through.
        clock: Monotonic seconds, for the key cache.
    """

    def __init__(
        self,
        *,
        jwks_url: str | None,
        secret: Secret | None,
        issuer: str | None,
        audience: str | None,
        pool: HttpClientPool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._jwks_url = jwks_url
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self._pool = pool
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def verify(self, token: str) -> VerifiedToken:
        """Verify a token's signature, expiry, issuer and audience; return its user."""
        if self._jwks_url is None and self._secret is None:
            raise Unauthenticated(
                "user tokens are not accepted here: set TOOL_PLATFORM_API_JWKS_URL or "
                "TOOL_PLATFORM_API_JWT_SECRET"
            )
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthenticated("the credential is neither an API key nor a JWT") from None
        key, algorithms = await self._key_for(header)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                issuer=self._issuer,
                audience=self._audience,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "sub"], "verify_aud": self._audience is not None},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("the token has expired") from None
        except jwt.InvalidIssuerError:
            raise Unauthenticated("the token is from another issuer") from None
        except jwt.InvalidAudienceError:
            raise Unauthenticated("the token is for another audience") from None
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"the token is not valid ({type(error).__name__})") from None
        return _verified(claims)

    async def _key_for(self, header: dict[str, Any]) -> tuple[Any, list[str]]:
        algorithm = header.get("alg")
        if self._jwks_url is None or algorithm == "HS256":
            if self._secret is None or algorithm != "HS256":
                raise Unauthenticated("the token is not signed the way this server accepts")
            return self._secret.reveal(), ["HS256"]
        if algorithm not in ASYMMETRIC:
            raise Unauthenticated("the token is not signed the way this server accepts")
        kid = header.get("kid")
        key = await self._signing_key(kid if isinstance(kid, str) else "")
        if key.algorithm_name != algorithm:
            raise Unauthenticated("the token's algorithm does not match its signing key")
        return key.key, [algorithm]

    async def _signing_key(self, kid: str) -> jwt.PyJWK:
        async with self._lock:
            if self._stale() or (kid not in self._keys and self._may_refetch()):
                self._keys = await self._fetch()
                self._fetched_at = self._clock()
        if kid not in self._keys:
            raise Unauthenticated("the token is signed by a key the JWKS does not hold")
        return self._keys[kid]

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > JWKS_CACHE_SECONDS

    def _may_refetch(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > JWKS_REFETCH_SECONDS

    async def _fetch(self) -> dict[str, jwt.PyJWK]:
        assert self._jwks_url is not None
        try:
            response = await self._pool.client().get(self._jwks_url, timeout=JWKS_TIMEOUT_SECONDS)
            response.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(response.json()).keys
        except (httpx.HTTPError, OutboundRefused, ValueError, jwt.PyJWTError) as error:
            raise Unauthenticated(
                f"the signing keys cannot be fetched ({type(error).__name__}); retry later"
            ) from None
        return {
            key.key_id or "": key
            for key in keys
            if key.algorithm_name in ASYMMETRIC and key.public_key_use in (None, "sig")
        }


def _verified(claims: dict[str, Any]) -> VerifiedToken:
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("the token names no user (sub)")
    email = claims.get("email")
    return VerifiedToken(
        subject,
        datetime.fromtimestamp(float(claims["exp"]), UTC),
        email if isinstance(email, str) and email else None,
    )
