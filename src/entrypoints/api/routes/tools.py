"""Writing tools: ``PUT /tools/{name}`` (conditional: ``If-Match``, ``If-None-Match``), delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Response

from application.authorization import Action, authorize
from application.tools import Expected
from domain.errors import InvalidToolDocument, Problem
from entrypoints.api.routes.catalog import etag
from entrypoints.api.schemas import DefineResult, RefreshRequest, RefreshResult
from entrypoints.api.security import ContainerDependency, CurrentPrincipal
from entrypoints.commands.views import define_outcome, refresh_outcome

router = APIRouter(tags=["tools"])


@router.put(
    "/tools/{name}",
    status_code=200,
    responses={
        201: {"description": "Created", "model": DefineResult},
        412: {"description": "The tool is not in the state If-Match/If-None-Match expects"},
    },
)
async def put_tool(
    *,
    name: str,
    document: Annotated[dict[str, Any], Body(description="The whole tool document")],
    principal: CurrentPrincipal,
    container: ContainerDependency,
    response: Response,
    if_match: Annotated[str | None, Header(description="The ETag last read")] = None,
    if_none_match: Annotated[str | None, Header(description="* to create only")] = None,
    allow_incompatible: Annotated[bool, Query()] = False,
) -> DefineResult:
    """Create or replace a tool (a new version when its content changed).

    ``If-Match: <ETag>`` replaces only the version the caller read; ``If-None-Match: *``
    creates only. Either refused is 412, nothing stored.
    """
    authorize(principal, Action.WRITE_TOOLS)
    stated = document.get("name", name)
    if stated != name:
        raise InvalidToolDocument(
            "the document does not fit its URL",
            [Problem("name", f"the document names {stated!r}, the URL {name!r}")],
        )
    outcome = await container.tools().define(
        {**document, "name": name},
        allow_incompatible=allow_incompatible,
        expected=_expected(if_match, if_none_match),
    )
    response.headers["ETag"] = etag(outcome.tool)
    if outcome.changed and outcome.tool.version == 1:
        response.status_code = 201
    return DefineResult(**define_outcome(outcome))


@router.delete("/tools/{name}", status_code=204, responses={409: {"description": "Still bound"}})
async def delete_tool(
    name: str, principal: CurrentPrincipal, container: ContainerDependency
) -> None:
    """Delete a tool with all its versions; refused (409, naming the agents) while bound."""
    authorize(principal, Action.WRITE_TOOLS)
    await container.tools().delete(name)


def _expected(if_match: str | None, if_none_match: str | None) -> Expected | None:
    if if_none_match is not None and if_none_match.strip() == "*":
        return Expected(absent=True)
    if if_match is None:
        return None
    tag = if_match.strip()
    if tag == "*":
        return Expected(present=True)
    return Expected(fingerprint=tag.removeprefix("W/").strip('"'))


@router.post("/tools/{name}/refresh")
async def refresh_tool(
    name: str, body: RefreshRequest, principal: CurrentPrincipal, container: ContainerDependency
) -> RefreshResult:
    """List an ``mcp`` tool's server again and store a new version if anything changed.

    The answer is the drift: the functions added, removed and changed (schema,
    description or annotations), and the tool's version after it (``tools refresh``).
    """
    authorize(principal, Action.WRITE_TOOLS)
    outcome = await container.tools().refresh(
        name, secrets=body.secrets, allow_incompatible=body.allow_incompatible
    )
    return RefreshResult(**refresh_outcome(outcome))
