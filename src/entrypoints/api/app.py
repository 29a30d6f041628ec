"""``create_app(container)``: the admin API under ``/api/v1`` (``docs/api.md``).

The app opens the container's resources (storage, HTTP client pool) for its whole
life, with the same lifespan the CLI and the worker use. Its OpenAPI document is at
``/api/v1/openapi.json`` and its docs page at ``/api/v1/docs``, served with the Swagger
UI files of the ``swagger-ui-bundle`` package: nothing is loaded from a CDN.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from entrypoints.api.problems import documented_problems, install_problem_handlers
from entrypoints.api.routes import agents, bindings, calls, catalog, health, test_runs, tools
from entrypoints.api.security import known_query_only
from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.web.app import mount_admin

API_PREFIX = "/api/v1"
DOCS_ASSETS = f"{API_PREFIX}/docs/assets"
TITLE = "LiveKit tool platform admin API"
VERSION = "1.0.0"


def create_app(container: Container) -> FastAPI:
    """Build the admin API over ``container``'s services.

    Args:
        container: The composition root; its storage and HTTP pool are opened when the
            app starts and closed when it stops.
    """

    @asynccontextmanager
    async def opened(app: FastAPI) -> AsyncIterator[None]:
        async with lifespan(container):
            yield

    app = FastAPI(
        title=TITLE,
        version=VERSION,
        description="Manage tools, agents, bindings and secrets; test a tool before a "
        "caller does. Every endpoint but health needs `Authorization: Bearer <credential>`.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=opened,
    )
    app.state.container = container
    install_problem_handlers(app)
    checked = [Depends(known_query_only)]
    app.include_router(health.router, prefix=API_PREFIX, dependencies=checked)
    api = APIRouter(prefix=API_PREFIX, responses=documented_problems(), dependencies=checked)
    for module in (catalog, tools, test_runs, agents, bindings, calls):
        api.include_router(module.router)
    app.include_router(api)
    mount_admin(app, container)
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title=TITLE,
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
        )

    return app
