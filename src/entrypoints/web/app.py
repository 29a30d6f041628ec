"""The admin UI mounted on a FastAPI application: its routes under ``/admin``, its assets."""

import secrets

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from entrypoints.container import Container
from entrypoints.web import agent_pages, auth_pages, mcp_pages, tool_pages, tool_testing
from entrypoints.web.context import PREFIX, STATIC, TEMPLATES, AdminContext, SignIn, signed_in
from entrypoints.web.session import SessionCookies

DEFAULT_SESSION_SECONDS = 8 * 3600


def mount_admin(
    app: FastAPI,
    container: Container,
    sign_in: SignIn,
    *,
    session_key: str | None = None,
    session_seconds: int = DEFAULT_SESSION_SECONDS,
    secure_cookies: bool = False,
) -> AdminContext:
    """Serve the admin UI from ``app`` under ``/admin``.

    Args:
        app: The application (the admin API's).
        container: The services the pages call (the CLI's and the API's).
        sign_in: Trades the credential typed on the login page for a principal.
        session_key: Signs session cookies; None signs with a random key (sessions then
            end when the process does).
        session_seconds: How long a session lasts.
        secure_cookies: Mark the session cookie ``Secure`` (served over HTTPS).

    Returns:
        The pages' context.
    """
    ctx = AdminContext(
        container=container,
        cookies=SessionCookies(session_key or secrets.token_urlsafe(32), session_seconds),
        sign_in=sign_in,
        templates=Jinja2Templates(directory=str(TEMPLATES)),
        secure_cookies=secure_cookies,
    )
    router = APIRouter(prefix=PREFIX, include_in_schema=False)

    router.add_api_route("", _home, methods=["GET"], dependencies=[Depends(signed_in)])
    for pages in (auth_pages, tool_pages, tool_testing, mcp_pages, agent_pages):
        router.include_router(pages.router)
    app.state.admin = ctx
    app.include_router(router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=str(STATIC)), name="admin-static")
    return ctx


async def _home() -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}/tools", status_code=303)
