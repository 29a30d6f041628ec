"""What every admin page needs: the container, the session cookies, sign-in, templates."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, cast

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from entrypoints.container import Container
from entrypoints.web.session import (
    COOKIE_NAME,
    CSRF_FIELD,
    CSRF_HEADER,
    BrowserSession,
    SessionCookies,
)

PREFIX = "/admin"
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
HTMX_FILE = "htmx-2.0.11.min.js"

SignIn = Callable[[str], Awaitable[dict[str, Any] | None]]
"""Trades a credential (an API key, a Supabase JWT) for the principal's description;
None when the credential is refused."""


@dataclass(frozen=True)
class AdminContext:
    """The admin UI's collaborators.

    Attributes:
        container: The application's services (the same the CLI and the API use).
        cookies: Issues and reads session cookies.
        sign_in: Checks a credential typed on the login page.
        templates: The page templates.
        secure_cookies: Whether the session cookie is marked ``Secure`` (HTTPS only).
    """

    container: Container
    cookies: SessionCookies
    sign_in: SignIn
    templates: Jinja2Templates
    secure_cookies: bool = False

    def page(
        self,
        request: Request,
        name: str,
        session: BrowserSession | None,
        values: Mapping[str, Any],
        status_code: int = 200,
    ) -> HTMLResponse:
        """Render a page or fragment template with the session's CSRF token."""
        context = {
            "csrf_token": session.csrf_token if session else "",
            "principal": session.principal if session else None,
            "prefix": PREFIX,
            "htmx_file": HTMX_FILE,
            **values,
        }
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)

    async def session(self, request: Request) -> BrowserSession:
        """The signed-in session, for a page that only reads.

        Raises:
            HTTPException: 303 to the login page (401 with ``HX-Redirect`` for htmx)
                when there is no valid session.
        """
        session = self.cookies.read(request.cookies.get(COOKIE_NAME))
        if session is None:
            login = f"{PREFIX}/login"
            if request.headers.get("HX-Request"):
                raise HTTPException(401, "sign in first", headers={"HX-Redirect": login})
            raise HTTPException(303, "sign in first", headers={"Location": login})
        return session

    async def checked_session(self, request: Request) -> BrowserSession:
        """The signed-in session of a state-changing request, its CSRF token verified.

        Raises:
            HTTPException: As :meth:`session`; 403 when the CSRF token is missing or wrong.
        """
        session = await self.session(request)
        token = request.headers.get(CSRF_HEADER)
        if token is None:
            form = await request.form()
            field = form.get(CSRF_FIELD)
            token = field if isinstance(field, str) else None
        if not session.accepts(token):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        return session


def admin_context(request: Request) -> AdminContext:
    """The admin UI's context, as :func:`entrypoints.web.app.mount_admin` left it on the app."""
    return cast("AdminContext", request.app.state.admin)


async def signed_in(request: Request) -> BrowserSession:
    """The session of a page that only reads (see :meth:`AdminContext.session`)."""
    return await admin_context(request).session(request)


async def csrf_checked(request: Request) -> BrowserSession:
    """The session of a state-changing request (see :meth:`AdminContext.checked_session`)."""
    return await admin_context(request).checked_session(request)


@dataclass(frozen=True)
class Page:
    """One request to a page: the request, the admin context, the signed-in session."""

    request: Request
    ctx: AdminContext
    session: BrowserSession

    @property
    def container(self) -> Container:
        """The application's services."""
        return self.ctx.container

    def render(self, name: str, values: Mapping[str, Any], status_code: int = 200) -> HTMLResponse:
        """Render a template for this request's session."""
        return self.ctx.page(self.request, name, self.session, values, status_code)


async def read_page(request: Request) -> Page:
    """A request that only reads, from a signed-in browser."""
    return Page(request, admin_context(request), await signed_in(request))


async def write_page(request: Request) -> Page:
    """A state-changing request from a signed-in browser, its CSRF token checked."""
    return Page(request, admin_context(request), await csrf_checked(request))


Ctx = Annotated[AdminContext, Depends(admin_context)]
Checked = Annotated[BrowserSession, Depends(csrf_checked)]
ReadPage = Annotated[Page, Depends(read_page)]
WritePage = Annotated[Page, Depends(write_page)]
