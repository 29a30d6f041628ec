"""Fixtures of the admin API tests: the app in process over in-memory storage.

Requests go through httpx's ASGI transport to the app ``create_app`` builds from the
container's own wiring, its lifespan entered; users' JWTs are HS256 tokens signed with
:data:`JWT_SECRET`, made by :func:`user_token`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import pytest
from pydantic import SecretStr

from application.policies import HandlerPolicy
from entrypoints.api.app import create_app
from entrypoints.container import Container
from entrypoints.settings import PlatformSettings
from tests.builders import LOCAL_SERVERS

JWT_SECRET = "jwt-secret-for-tests-0123456789abcdef"
ISSUER = "https://project.supabase.test/auth/v1"
AUDIENCE = "authenticated"
BASE = "http://api.test/api/v1"


def user_token(
    user_id: str,
    *,
    expires_in: float = 3600,
    issuer: str = ISSUER,
    audience: str = AUDIENCE,
    secret: str = JWT_SECRET,
    **claims: Any,
) -> str:
    """A Supabase-like access token for ``user_id``, signed HS256."""
    payload = {
        "sub": user_id,
        "exp": int(time.time() + expires_in),
        "iss": issuer,
        "aud": audience,
        "role": "authenticated",
        **claims,
    }
    return jwt.encode(payload, secret, algorithm="HS256")


def api_settings(**overrides: Any) -> PlatformSettings:
    """Settings of the API under test: in-memory storage, local servers, HS256 JWTs."""
    values: dict[str, Any] = {
        "storage": "memory",
        "model_target": "any",
        "handler_packages": HandlerPolicy(("tests.handlers",)).allowed_packages,
        "outbound_allow": LOCAL_SERVERS,
        "api_jwt_secret": SecretStr(JWT_SECRET),
        "api_jwt_issuer": ISSUER,
        "api_jwt_audience": AUDIENCE,
    }
    return PlatformSettings(**(values | overrides))


@dataclass
class Api:
    """The app under test, its container, and credentials made for a test."""

    client: httpx.AsyncClient
    container: Container

    async def key(self, *scopes: str, name: str | None = None) -> str:
        """A new admin API key with ``scopes``."""
        created = await self.container.api_keys().create(
            name or f"key-{'-'.join(scopes) or 'none'}-{time.monotonic_ns()}", scopes
        )
        return created.key.reveal()

    async def as_key(self, *scopes: str) -> dict[str, str]:
        """Headers authenticating with a new key of ``scopes``."""
        return bearer(await self.key(*scopes))


def bearer(credential: str) -> dict[str, str]:
    """The ``Authorization`` header for a credential."""
    return {"Authorization": f"Bearer {credential}"}


@asynccontextmanager
async def running_api(settings: PlatformSettings) -> AsyncIterator[Api]:
    """The app over ``settings``, its lifespan entered, as :class:`Api`."""
    container = Container()
    container.settings.override(settings)
    app = create_app(container)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            yield Api(client, container)


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    """The app on in-memory storage, its lifespan entered."""
    async with running_api(api_settings()) as running:
        yield running
