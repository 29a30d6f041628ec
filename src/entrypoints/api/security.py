"""The one dependency that authenticates an admin API request.

``Authorization: Bearer <credential>``: an admin API key (``tpk_...``) or a user's
Supabase JWT. Every route but health and the docs depends on it; a request without a
valid credential is answered 401 (problem details, ``WWW-Authenticate: Bearer``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.routing import compile_path

from application.principals import Principal
from domain.errors import Unauthenticated
from entrypoints.container import Container

bearer = HTTPBearer(
    auto_error=False,
    description="An admin API key (`tpk_...`, `tool-platform api-keys create`) or a "
    "Supabase user's JWT.",
)


def container_of(request: Request) -> Container:
    """The container the app was made with."""
    container: Container = request.app.state.container
    return container


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """Who the request's bearer credential proves to be.

    Raises:
        Unauthenticated: When there is no credential, or it proves nothing.
    """
    if credentials is None or not credentials.credentials:
        raise Unauthenticated("this endpoint needs a credential: Authorization: Bearer <key>")
    return await container_of(request).authenticator().authenticate(credentials.credentials)


async def known_query_only(request: Request) -> None:
    """Refuse a query parameter the operation does not declare, or one given twice.

    A typo is not silently ignored, and no parameter of this API takes several values.

    Raises:
        RequestValidationError: Naming each such parameter (answered 422).
    """
    declared = {
        parameter["name"]
        for template, operations in request.app.openapi()["paths"].items()
        if compile_path(template)[0].match(request.url.path)
        for parameter in operations.get(request.method.lower(), {}).get("parameters", [])
        if parameter["in"] == "query"
    }
    names = set(request.query_params)
    problems = [
        {"loc": ("query", name), "msg": "is not a parameter of this operation"}
        for name in sorted(names - declared)
    ] + [
        {"loc": ("query", name), "msg": "is given more than once; it takes one value"}
        for name in sorted(names & declared)
        if len(request.query_params.getlist(name)) > 1
    ]
    if problems:
        raise RequestValidationError(problems)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
"""A route's parameter for the authenticated caller."""
ContainerDependency = Annotated[Container, Depends(container_of)]
"""A route's parameter for the app's container."""
