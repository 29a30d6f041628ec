"""What every admin page needs: the container, the session, the templates, permissions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, cast

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from application.auth import WebSession
from application.authorization import Action, authorize
from application.principals import Principal
from domain.agents import VoiceAgent
from domain.errors import Unauthenticated
from entrypoints.container import Container
from entrypoints.web.session import (
    COOKIE_NAME,
    CSRF_FIELD,
    CSRF_HEADER,
    SessionCookies,
    csrf_matches,
)

PREFIX = "/admin"
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
HTMX_FILE = "htmx-2.0.11.min.js"


@dataclass(frozen=True)
class AdminContext:
    """The admin UI's collaborators.

    Attributes:
        container: The application's services (the same the CLI and the API use); its
            ``authenticator`` signs browsers in and keeps their sessions.
        cookies: Seals session tokens into cookies.
        templates: The page templates.
        secure_cookies: Whether the session cookie is marked ``Secure`` (HTTPS only).
    """

    container: Container
    cookies: SessionCookies
    templates: Jinja2Templates
    secure_cookies: bool = False

    def page(
        self,
        request: Request,
        name: str,
        session: WebSession | None,
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

    async def session(self, request: Request) -> WebSession:
        """The signed-in session, for a page that only reads.

        Raises:
            HTTPException: 303 to the login page (401 with ``HX-Redirect`` for htmx)
                when there is no live session (none, forged, ended, key revoked).
        """
        session = await self._live(request)
        if session is None:
            login = f"{PREFIX}/login"
            if request.headers.get("HX-Request"):
                raise HTTPException(401, "sign in first", headers={"HX-Redirect": login})
            raise HTTPException(303, "sign in first", headers={"Location": login})
        return session

    async def _live(self, request: Request) -> WebSession | None:
        token = self.cookies.open(request.cookies.get(COOKIE_NAME))
        if token is None:
            return None
        try:
            return await self.container.authenticator().session(token)
        except Unauthenticated:
            return None

    async def checked_session(self, request: Request) -> WebSession:
        """The signed-in session of a state-changing request, its CSRF token verified.

        Raises:
            HTTPException: As :meth:`session`; 403 when the CSRF token is missing or wrong.
        """
        session = await self.session(request)
        token = request.headers.get(CSRF_HEADER)
        if token is None:
            field = (await request.form()).get(CSRF_FIELD)
            token = field if isinstance(field, str) else None
        if not csrf_matches(session.csrf_token, token):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        return session


def admin_context(request: Request) -> AdminContext:
    """The admin UI's context, as :func:`entrypoints.web.app.mount_admin` left it on the app."""
    return cast("AdminContext", request.app.state.admin)


@dataclass(frozen=True)
class Page:
    """One request to a page: the request, the admin context, the signed-in session."""

    request: Request
    ctx: AdminContext
    session: WebSession

    @property
    def container(self) -> Container:
        """The application's services."""
        return self.ctx.container

    @property
    def principal(self) -> Principal:
        """Who signed in."""
        return self.session.principal

    def authorize(
        self, action: Action, agent: VoiceAgent | None = None, asked_as: str | None = None
    ) -> None:
        """The permission check the API makes (``application.authorization``).

        Raises:
            Forbidden: When the principal may not do this.
            NotFound: When a user asks about another owner's agent.
        """
        authorize(self.principal, action, agent, asked_as=asked_as)

    def render(self, name: str, values: Mapping[str, Any], status_code: int = 200) -> HTMLResponse:
        """Render a template for this request's session."""
        return self.ctx.page(self.request, name, self.session, values, status_code)


async def read_page(request: Request) -> Page:
    """A request that only reads, from a signed-in browser."""
    ctx = admin_context(request)
    return Page(request, ctx, await ctx.session(request))


async def write_page(request: Request) -> Page:
    """A state-changing request from a signed-in browser, its CSRF token checked."""
    ctx = admin_context(request)
    return Page(request, ctx, await ctx.checked_session(request))


Ctx = Annotated[AdminContext, Depends(admin_context)]
ReadPage = Annotated[Page, Depends(read_page)]
WritePage = Annotated[Page, Depends(write_page)]
