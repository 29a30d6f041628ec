"""The editor's Test tab: render the request a call would send, or execute the call.

Both use an agent's binding to the tool (its config and secrets) through the API's
``TestRuns`` and ``AgentAccess``. Render shows the request with every secret masked and
the outbound guard's verdict, sending nothing; execute runs one real call through a
tool session (the guard, the result pipeline, the audit), and shows the request, the
outcome and the text the model would get.
"""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from application.authorization import Action, owns
from application.catalog import ToolFilter
from domain.errors import InvalidArguments, NotFound, ToolFailure
from entrypoints.web.context import Page, ReadPage, WritePage
from entrypoints.web.forms import FormErrors, form_fields, read_form

ARGUMENTS_PREFIX = "arguments"


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
    action = Action.EXECUTE_TEST if execute else Action.RENDER_TEST
    agent_reference, function = submitted.get("agent", ""), submitted.get("function", "")
    runs = page.container.test_runs()
    try:
        agent = await page.container.agent_access().agent(page.principal, action, agent_reference)
        schema = (await page.container.tools().show(name)).function(function).parameters
        arguments = read_form(schema, submitted, prefix=ARGUMENTS_PREFIX)
        values["call_request"] = await runs.render(agent.id, function, arguments, tool=name)
        if execute:
            result = await runs.execute(agent.id, function, arguments, tool=name)
            values["result"] = {
                "ok": result.ok,
                "status": str(result.status),
                "output": result.output,
            }
    except FormErrors as unreadable:
        values["error"] = "; ".join(f"{k}: {v}" for k, v in unreadable.errors.items())
    except (NotFound, InvalidArguments, ToolFailure) as refused:
        values["error"] = str(refused)
    return page.render("test_result.html", values, status_code=422 if "error" in values else 200)


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
