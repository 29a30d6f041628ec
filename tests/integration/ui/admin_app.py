"""The admin UI on a FastAPI app over a test container, as ``tool-platform serve`` mounts it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.web.app import mount_admin

ADMIN_KEY = "tpk_test_admin_key_for_the_browser"
"""The credential the tests sign in with."""


async def sign_in_with_test_key(credential: str) -> dict[str, Any] | None:
    """Accept :data:`ADMIN_KEY` only."""
    return {"label": "API key test-admin"} if credential == ADMIN_KEY else None


def admin_app(container: Container) -> FastAPI:
    """An app serving the admin UI over ``container``, its resources open while it runs."""

    @asynccontextmanager
    async def opened(_: FastAPI) -> AsyncIterator[None]:
        async with lifespan(container):
            yield

    app = FastAPI(lifespan=opened)
    mount_admin(app, container, sign_in_with_test_key, session_key="test-session-key")
    return app
