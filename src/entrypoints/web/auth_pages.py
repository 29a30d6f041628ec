"""Signing in and out: a credential for a session cookie, and back."""

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from domain.errors import Unauthenticated
from entrypoints.web.context import PREFIX, Ctx, WritePage
from entrypoints.web.session import COOKIE_NAME

MAX_CREDENTIAL_CHARS = 16 * 1024
"""Longer text is refused without being checked (no key or token is that long)."""

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, ctx: Ctx) -> Response:
    """The sign-in form: the one page served without a session."""
    return ctx.page(request, "login.html", None, {"error": ""})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, ctx: Ctx, credential: Annotated[str, Form()] = "") -> Response:
    """Trade an admin API key or a Supabase JWT for a session cookie.

    A form posted from another site (its ``Origin`` is not this server) is refused, so
    no page elsewhere can sign a browser in under someone else's credential.
    """
    if not _same_origin(request):
        error = "refused: the sign-in form was posted from another site"
        return ctx.page(request, "login.html", None, {"error": error}, status_code=403)
    credential = credential.strip()
    try:
        session = await ctx.container.authenticator().sign_in(_bounded(credential))
    except Unauthenticated as refused:
        error = f"refused: {refused}"
        return ctx.page(request, "login.html", None, {"error": error}, status_code=401)
    response = RedirectResponse(f"{PREFIX}/tools", status_code=303)
    lasts = (session.expires_at - datetime.now(UTC)).total_seconds()
    response.set_cookie(
        COOKIE_NAME,
        ctx.cookies.seal(session.token),
        max_age=max(int(lasts), 1),
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=ctx.secure_cookies,
    )
    return response


@router.post("/logout")
async def logout(page: WritePage) -> Response:
    """End the session: forgotten by the server, the cookie deleted."""
    page.container.authenticator().sign_out(page.session.token)
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(COOKIE_NAME, path=PREFIX)
    return response


def _bounded(credential: str) -> str:
    """The credential, unless it is longer than any key or token.

    Raises:
        Unauthenticated: When it is.
    """
    if len(credential) > MAX_CREDENTIAL_CHARS:
        raise Unauthenticated("the credential is too long to be a key or a token")
    return credential


def _same_origin(request: Request) -> bool:
    """Whether the request comes from this server's own pages (or says nothing of it)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")
