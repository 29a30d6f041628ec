"""The one dependency that authenticates an admin API request.

``Authorization: Bearer <credential>``: an admin API key (``tpk_...``) or a user's
Supabase JWT. Every route but health and the docs depends on it; a request without a
valid credential is answered 401 (problem details, ``WWW-Authenticate: Bearer``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

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


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
"""A route's parameter for the authenticated caller."""
ContainerDependency = Annotated[Container, Depends(container_of)]
"""A route's parameter for the app's container."""
