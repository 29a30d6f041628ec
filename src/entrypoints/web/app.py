"""The admin UI mounted on the admin API's app: its pages under ``/admin``, its assets."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from domain.errors import DomainError
from entrypoints.api.problems import domain_problem
from entrypoints.container import Container
from entrypoints.web import (
    agent_pages,
    auth_pages,
    call_pages,
    mcp_pages,
    tool_pages,
    tool_testing,
)
from entrypoints.web.context import PREFIX, STATIC, TEMPLATES, AdminContext, read_page
from entrypoints.web.refusals import refusal
from entrypoints.web.session import SessionCookies


def mount_admin(app: FastAPI, container: Container, *, secure_cookies: bool = False) -> None:
    """Serve the admin UI from ``app`` under ``/admin``.

    A domain error raised by a page is answered as an HTML fragment with the status the
    API gives it; elsewhere, as the API answers it (problem details).

    Args:
        app: The admin API's application.
        container: The services the pages call (the CLI's and the API's).
        secure_cookies: Mark the session cookie ``Secure`` (served over HTTPS).
    """
    ctx = AdminContext(
        container=container,
        cookies=SessionCookies(secrets.token_urlsafe(32)),
        templates=Jinja2Templates(directory=str(TEMPLATES)),
        secure_cookies=secure_cookies,
    )
    app.state.admin = ctx
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    router.add_api_route("", _home, methods=["GET"], dependencies=[Depends(read_page)])
    for pages in (auth_pages, tool_pages, tool_testing, mcp_pages, agent_pages, call_pages):
        router.include_router(pages.router)
    app.include_router(router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=str(STATIC)), name="admin-static")

    async def on_domain_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, DomainError)
        if not request.url.path.startswith(PREFIX + "/"):
            return domain_problem(error)
        status, values = refusal(error)
        whole_page = request.method == "GET" and not request.headers.get("HX-Request")
        template = "error_page.html" if whole_page else "save_outcome.html"
        return ctx.page(request, template, None, values, status)

    app.add_exception_handler(DomainError, on_domain_error)


async def _home() -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}/tools", status_code=303)
