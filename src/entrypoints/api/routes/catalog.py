"""Reading the tool catalog: list, show (with an ``ETag``), versions, diff, validate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response

from application.authorization import Action, authorize
from application.catalog import ToolFilter, page_of_tools
from application.tools import ToolService
from domain.errors import HandlerNotAllowed, ProblemsError
from domain.tools.definition import ToolDefinition
from domain.tools.kinds import ToolKind
from entrypoints.api.schemas import (
    FunctionLint,
    Located,
    ToolDiff,
    ToolList,
    ToolSummary,
    ToolVersion,
    Validation,
)
from entrypoints.api.security import ContainerDependency, CurrentPrincipal
from entrypoints.commands.lint import lint_tool, report_json
from entrypoints.commands.views import tool_diff_view, tool_summary, tool_version

router = APIRouter(tags=["tools"])


def etag(tool: ToolDefinition) -> str:
    """The ``ETag`` of a tool's latest version: its content fingerprint, quoted."""
    return f'"{tool.fingerprint}"'


@router.get("/tools")
async def list_tools(
    *,
    principal: CurrentPrincipal,
    container: ContainerDependency,
    kind: Annotated[ToolKind | None, Query(description="Only tools of this kind")] = None,
    q: Annotated[
        str | None, Query(min_length=1, description="Text in the name or description")
    ] = None,
    cursor: Annotated[
        str | None,
        Query(min_length=1, description="next_cursor of the previous page (the last name)"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ToolList:
    """List the latest version of every tool, by name, a page at a time."""
    authorize(principal, Action.READ_CATALOG)
    service = container.tools()
    page = page_of_tools(
        await service.list_all(),
        ToolFilter(None if kind is None else str(kind), q),
        after=cursor,
        limit=limit,
    )
    return ToolList(
        items=[ToolSummary(**_summary(service, tool)) for tool in page.tools],
        next_cursor=page.next_after,
    )


@router.get("/tools/{name}", responses={200: {"headers": {"ETag": {"schema": {"type": "string"}}}}})
async def show_tool(
    name: str, principal: CurrentPrincipal, container: ContainerDependency, response: Response
) -> dict[str, Any]:
    """The tool document at its latest version; its ``ETag`` goes back in ``If-Match``."""
    authorize(principal, Action.READ_CATALOG)
    tool = await container.tools().show(name)
    response.headers["ETag"] = etag(tool)
    return tool.to_document()


@router.get("/tools/{name}/versions")
async def list_versions(
    name: str, principal: CurrentPrincipal, container: ContainerDependency
) -> list[ToolVersion]:
    """Every stored version of a tool, oldest first."""
    authorize(principal, Action.READ_CATALOG)
    return [ToolVersion(**tool_version(t)) for t in await container.tools().versions(name)]


@router.get("/tools/{name}/versions/{version}")
async def show_version(
    name: str, version: int, principal: CurrentPrincipal, container: ContainerDependency
) -> dict[str, Any]:
    """One stored version's whole document."""
    authorize(principal, Action.READ_CATALOG)
    return (await container.tools().show(name, version)).to_document()


@router.get("/tools/{name}/diff")
async def diff_versions(
    name: str,
    principal: CurrentPrincipal,
    container: ContainerDependency,
    from_version: Annotated[int, Query(alias="from", ge=1)],
    to_version: Annotated[int, Query(alias="to", ge=1)],
) -> ToolDiff:
    """What changed in a tool's document from one version to another, path by path."""
    authorize(principal, Action.READ_CATALOG)
    changes = await container.tools().diff(name, from_version, to_version)
    return ToolDiff(**tool_diff_view(name, from_version, to_version, changes))


@router.post("/tools:validate")
async def validate_tool(
    document: Annotated[dict[str, Any], Body(description="A tool document")],
    principal: CurrentPrincipal,
    container: ContainerDependency,
) -> Validation:
    """Check a tool document, saving nothing.

    The answer holds its errors with JSON paths, then per function the Gemini realtime
    verdict and the schema the model would be offered.
    """
    authorize(principal, Action.READ_CATALOG)
    try:
        tool = container.tools().check(document).tool
    except ProblemsError as invalid:
        errors = [Located(path=p.path, message=p.message) for p in invalid.problems]
        return Validation(valid=False, errors=errors)
    except HandlerNotAllowed as refused:
        return Validation(valid=False, errors=[Located(path="run", message=str(refused))])
    report = report_json(lint_tool(tool, "request", container.gemini_offering()))
    return Validation(
        valid=True,
        errors=[],
        target=report["target"],
        accepted=report["accepted"],
        functions=[FunctionLint(**function) for function in report["functions"]],
    )


def _summary(service: ToolService, tool: Any) -> dict[str, Any]:
    problems = service.problems(tool) if isinstance(tool, ToolDefinition) else []
    return tool_summary(tool, problems)
