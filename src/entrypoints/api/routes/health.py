"""``GET /health`` (no credential) and ``GET /me`` (who the credential proves to be)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from entrypoints.api.problems import documented_problems
from entrypoints.api.security import CurrentPrincipal

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The API answers."""

    status: str


class Me(BaseModel):
    """The caller, as their credential proves them."""

    kind: str
    id: str
    name: str
    scopes: list[str]


@router.get("/health")
async def health() -> Health:
    """Say the API is up (the only endpoint that needs no credential)."""
    return Health(status="ok")


@router.get("/me", responses=documented_problems())
async def me(principal: CurrentPrincipal) -> Me:
    """Say who the credential proves the caller to be, and their scopes."""
    return Me(
        kind=principal.kind.value,
        id=principal.id,
        name=principal.name,
        scopes=sorted(scope.value for scope in principal.scopes),
    )
