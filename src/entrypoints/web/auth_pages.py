"""Signing in and out: a credential for a session cookie, and back."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from entrypoints.web.context import PREFIX, Checked, Ctx
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
    """Trade an API key or a Supabase JWT for a session cookie."""
    credential = credential.strip()
    principal = None
    if credential and len(credential) <= MAX_CREDENTIAL_CHARS:
        principal = await ctx.sign_in(credential)
    if principal is None:
        error = "that API key or token was refused (unknown, revoked, expired or malformed)"
        return ctx.page(request, "login.html", None, {"error": error}, status_code=401)
    value, _ = ctx.cookies.issue(principal)
    response = RedirectResponse(f"{PREFIX}/tools", status_code=303)
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=ctx.cookies.max_age_seconds,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=ctx.secure_cookies,
    )
    return response


@router.post("/logout")
async def logout(_: Checked) -> Response:
    """End the session: the cookie is deleted."""
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(COOKIE_NAME, path=PREFIX)
    return response
