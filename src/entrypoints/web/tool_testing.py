"""The editor's Test tab: render the request a call would send, or execute the call.

Both use an agent's binding to the tool (its config and secrets). Render shows the
request with every secret masked and the outbound guard's verdict, sending nothing;
execute runs one real call through a tool session (the guard, the result pipeline), and
shows the request, the outcome and the text the model would get.
"""

import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from application.authorization import Action, owns
from application.catalog import ToolFilter
from domain.errors import NotFound
from domain.schema.function_schema import FunctionSchema
from domain.toolset import AgentToolset
from entrypoints.commands.dry_run import describe_call
from entrypoints.commands.output import CliError
from entrypoints.container import Container
from entrypoints.web.context import Page, ReadPage, WritePage
from entrypoints.web.forms import FormErrors, form_fields, read_form

ARGUMENTS_PREFIX = "arguments"


class RunRefused(Exception):
    """A test run that cannot start, said on one line."""


router = APIRouter()


@router.get("/tools/{name}/test-form", response_class=HTMLResponse)
async def run_form(page: ReadPage, name: str, function: str = "") -> Response:
    """The Test tab: an agent bound to the tool, a function, its argument form."""
    page.authorize(Action.READ_CATALOG)
    return page.render("test_form.html", await testing_values(page, name, function))


@router.post("/tools/{name}/test/render", response_class=HTMLResponse)
async def render(page: WritePage, name: str) -> Response:
    """The request a call would send, secrets masked, with the guard's verdict; nothing sent."""
    return await _run(page, name, execute=False)


@router.post("/tools/{name}/test/execute", response_class=HTMLResponse)
async def execute(page: WritePage, name: str) -> Response:
    """Run one real call through a tool session with the chosen agent's binding."""
    return await _run(page, name, execute=True)


async def _run(page: Page, name: str, *, execute: bool) -> Response:
    form = await page.request.form()
    submitted = {key: value for key, value in form.items() if isinstance(value, str)}
    values: dict[str, Any] = {"executed": execute}
    container = page.container
    try:
        agent, function_name = submitted.get("agent", ""), submitted.get("function", "")
        toolset = await container.toolsets().load(agent)
        action = Action.EXECUTE_TEST if execute else Action.RENDER_TEST
        page.authorize(action, toolset.agent, asked_as=agent)
        schema = _tool_function(toolset, name, function_name)
        arguments = read_form(schema.parameters, submitted, prefix=ARGUMENTS_PREFIX)
        values["request"] = await describe_call(
            toolset, function_name, arguments, container.http_pool()
        )
        if execute:
            values["result"] = await _execute(container, toolset, function_name, arguments)
    except FormErrors as unreadable:
        values["error"] = "; ".join(f"{k}: {v}" for k, v in unreadable.errors.items())
    except (RunRefused, CliError, NotFound) as refused:
        values["error"] = str(refused)
    return page.render("test_result.html", values, status_code=422 if "error" in values else 200)


async def _execute(
    container: Container, toolset: AgentToolset, function_name: str, arguments: Any
) -> dict[str, Any]:
    async with await container.tool_sessions().open(toolset) as tool_session:
        if function_name not in tool_session.function_names:
            reasons = "; ".join(str(left) for left in tool_session.left_out)
            raise RunRefused(f"{function_name!r} cannot run in a session: {reasons}")
        result = await tool_session.call(
            function_name, arguments, call_id=f"admin-test-{uuid.uuid4().hex[:12]}"
        )
    return {"ok": result.ok, "status": str(result.status), "output": result.output}


async def testing_values(page: Page, name: str, function: str) -> dict[str, Any]:
    """What the Test tab shows: bound agents the principal manages, a function, its form.

    Raises:
        NotFound: When the tool does not exist.
    """
    tool = await page.container.tools().show(name)
    entries = await page.container.catalog_overview().entries(ToolFilter(text=name))
    bound = next((entry.bound_by for entry in entries if entry.tool.name == name), ())
    agents = [agent.name for agent in bound if owns(page.principal, agent)]
    chosen = next((f for f in tool.functions if f.name == function), None)
    chosen = chosen or (tool.functions[0] if tool.functions else None)
    fields = form_fields(chosen.parameters, prefix=ARGUMENTS_PREFIX) if chosen else ()
    return {
        "tool": tool,
        "agents": agents,
        "function": chosen.name if chosen else "",
        "fields": fields,
    }


def _tool_function(toolset: AgentToolset, tool_name: str, function_name: str) -> FunctionSchema:
    for function in toolset.functions:
        if function.name == function_name and function.tool.name == tool_name:
            return function.schema
    left = [
        str(left)
        for left in toolset.left_out
        if left.tool_name == tool_name and left.function in (None, function_name)
    ]
    raise RunRefused(
        left[0]
        if left
        else f"agent {toolset.agent.name!r} offers no function {function_name!r} of this tool"
    )
