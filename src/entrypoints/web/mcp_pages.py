"""An ``mcp`` tool's server tab: the server, and which of its functions agents are offered."""

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from application.authorization import Action
from domain.errors import BindingMisfit, McpServerUnavailable, ProblemsError
from domain.tools.run_specs import McpRunSpec
from entrypoints.web.context import ReadPage, WritePage
from entrypoints.web.tool_pages import outcome, outcome_fragment, store

SECRET_PREFIX = "secret."
"""Refresh form inputs holding a secret for the listing connection (never stored)."""

router = APIRouter()


@router.post("/tools/{name}/mcp-functions", response_class=HTMLResponse)
async def set_allowed_functions(
    page: WritePage,
    name: str,
    base: Annotated[str, Form()],
    allowed: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Store the next version with ``allowed_functions`` set to the checked functions.

    Every function checked stores no list (the server's functions are all offered, a
    refresh's new ones too); otherwise the list names exactly the checked ones.
    """
    page.authorize(Action.WRITE_TOOLS)
    tool = await page.container.tools().show(name)
    if not isinstance(tool.run, McpRunSpec):
        return outcome(page, f"tool {name!r} is not an mcp tool", [], 422)
    checked = [function for function in tool.function_names if function in (allowed or [])]
    unknown = sorted(set(allowed or []) - set(tool.function_names))
    if unknown:
        return outcome(page, f"the server lists no function {', '.join(unknown)}", [], 422)
    offered = None if len(checked) == len(tool.function_names) else checked
    server = tool.run.server.model_copy(update={"allowed_functions": offered})
    run = tool.run.model_copy(update={"server": server})
    return await store(page, dataclasses.replace(tool, run=run).content(), base)


@router.get("/tools/{name}/mcp-server", response_class=HTMLResponse)
async def server_tab(page: ReadPage, name: str) -> Response:
    """The server's address and transport, and one toggle per function it lists."""
    page.authorize(Action.READ_CATALOG)
    tool = await page.container.tools().show(name)
    if not isinstance(tool.run, McpRunSpec):
        return outcome(page, f"tool {name!r} is not an mcp tool", [], 422)
    allowed = tool.run.server.allowed_functions
    functions = [
        {
            "name": function.name,
            "description": function.description,
            "offered": allowed is None or function.name in allowed,
            "hints": tool.run.annotations.get(function.name),
        }
        for function in tool.functions
    ]
    values = {"tool": tool, "server": tool.run.server, "functions": functions}
    return page.render("mcp_server.html", values)


@router.post("/tools/{name}/mcp-refresh", response_class=HTMLResponse)
async def refresh(page: WritePage, name: str) -> Response:
    """List the server again; store a new version if anything changed; show the drift.

    The tool's secrets may be typed for this listing only (never stored), as
    ``tools refresh`` and ``POST /api/v1/tools/{name}/refresh`` take them.
    """
    page.authorize(Action.WRITE_TOOLS)
    form = await page.request.form()
    secrets = {
        key.removeprefix(SECRET_PREFIX): value
        for key, value in form.items()
        if key.startswith(SECRET_PREFIX) and isinstance(value, str) and value
    }
    try:
        outcome = await page.container.tools().refresh(name, secrets=secrets)
    except (McpServerUnavailable, ProblemsError, BindingMisfit) as refused:
        return outcome_fragment(page, refused)
    values = {
        "tool": outcome.defined.tool,
        "drift": outcome.drift,
        "changed": outcome.defined.changed,
    }
    return page.render("mcp_drift.html", values)
