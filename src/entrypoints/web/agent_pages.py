"""Agents and their bindings: enable toggle, config form, secret chips (Replace, Clear)."""

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from application.agents import AgentDetails
from application.authorization import Action
from domain.bindings import AgentToolBinding
from domain.errors import BindingRefused, Conflict, InvalidConfig, NotFound
from domain.tools.definition import ToolDefinition
from entrypoints.web.context import Page, ReadPage, WritePage
from entrypoints.web.forms import FormErrors, form_fields, place_problems, read_form

CONFIG_PREFIX = "config"
BINDING = "/agents/{reference}/bindings/{tool_name}"

router = APIRouter()


@router.get("/agents", response_class=HTMLResponse)
async def agents_list(page: ReadPage) -> Response:
    """Every agent the principal manages (a user: the agents they own)."""
    agents = await page.container.agent_access().visible(page.principal, Action.MANAGE_AGENTS)
    return page.render("agents.html", {"agents": agents})


async def _managed(page: Page, reference: str) -> AgentDetails:
    """The agent with its bindings, if the principal manages it (the API's ``AgentAccess``).

    Raises:
        NotFound: When no agent has that id or name, or a user does not own it.
        Forbidden: When an API key lacks the scope.
    """
    access = page.container.agent_access()
    agent = await access.agent(page.principal, Action.MANAGE_AGENTS, reference)
    return await page.container.agents().show(agent.id)


@router.get("/agents/{reference}", response_class=HTMLResponse)
async def agent_page(page: ReadPage, reference: str) -> Response:
    """One agent with each of its bindings."""
    details = await _managed(page, reference)
    bindings = [
        await _binding_view(page, details.agent.id, binding, BindingState())
        for binding in details.bindings
    ]
    return page.render("agent.html", {"agent": details.agent, "bindings": bindings})


class BindingState:
    """What a binding's card shows besides what is stored: the last action's outcome.

    Args:
        message: What the last action did, or why it was refused.
        failed: Whether it was refused.
        config: The config to show instead of the stored one (a refused submit's).
        as_typed: ``config`` holds the submitted text of each input.
        errors: Messages by input name.
    """

    def __init__(
        self,
        message: str = "",
        *,
        failed: bool = False,
        config: Any = None,
        as_typed: bool = False,
        errors: dict[str, str] | None = None,
    ) -> None:
        self.message = message
        self.failed = failed
        self.config = config
        self.as_typed = as_typed
        self.errors = errors or {}


async def _binding_view(
    page: Page, agent_id: str, binding: AgentToolBinding, state: BindingState
) -> dict[str, Any]:
    try:
        tool: ToolDefinition | None = await page.container.tools().show(binding.tool_name)
        # Names, whether each is set and since when: a value never reaches a page.
        secrets = await page.container.bindings().secret_states(agent_id, binding.tool_name)
    except NotFound:
        tool, secrets = None, []
    fields = form_fields(
        tool.config_schema if tool else {},
        binding.config if state.config is None else state.config,
        prefix=CONFIG_PREFIX,
        errors=state.errors,
        as_typed=state.as_typed,
    )
    return {
        "binding": binding,
        "tool": tool,
        "fields": fields,
        "form_error": state.errors.get(CONFIG_PREFIX, ""),
        "secrets": secrets,
        "message": state.message,
        "failed": state.failed,
    }


async def _card(
    page: Page, reference: str, tool_name: str, state: BindingState, status: int = 200
) -> Response:
    details = await page.container.agents().show(reference)
    binding = _binding_of(details, tool_name)
    view = await _binding_view(page, details.agent.id, binding, state)
    return page.render("binding.html", {"agent": details.agent, "b": view}, status_code=status)


def _binding_of(details: AgentDetails, tool_name: str) -> AgentToolBinding:
    """The agent's binding to ``tool_name``.

    Raises:
        NotFound: When there is none.
    """
    binding = next((b for b in details.bindings if b.tool_name == tool_name), None)
    if binding is None:
        raise NotFound(f"agent {details.agent.name!r} is not bound to tool {tool_name!r}")
    return binding


@router.post(BINDING + "/enabled", response_class=HTMLResponse)
async def set_enabled(
    page: WritePage, reference: str, tool_name: str, enabled: Annotated[str, Form()] = "false"
) -> Response:
    """Enable or disable a binding (enabling checks its function names again)."""
    on = enabled == "true"
    await _managed(page, reference)
    try:
        await page.container.bindings().set_enabled(reference, tool_name, on)
    except (NotFound, Conflict) as refused:
        return await _card(page, reference, tool_name, BindingState(str(refused), failed=True), 409)
    said = "enabled" if on else "disabled"
    return await _card(page, reference, tool_name, BindingState(said))


@router.post(BINDING + "/config", response_class=HTMLResponse)
async def set_config(page: WritePage, reference: str, tool_name: str) -> Response:
    """Replace a binding's config from its form, validated against ``config_schema``."""
    binding = _binding_of(await _managed(page, reference), tool_name)
    schema = (await page.container.tools().show(tool_name)).config_schema
    form = await page.request.form()
    submitted = {key: value for key, value in form.items() if isinstance(value, str)}
    refused = "the config was not saved"
    try:
        config = read_form(schema, submitted, prefix=CONFIG_PREFIX)
    except FormErrors as unreadable:
        typed = submitted.get(CONFIG_PREFIX, _as_typed(submitted))
        state = BindingState(
            refused, failed=True, config=typed, as_typed=True, errors=unreadable.errors
        )
        return await _card(page, reference, tool_name, state, 422)
    try:
        await page.container.bindings().configure(
            reference, tool_name, config=config, functions=binding.functions
        )
    except InvalidConfig as invalid:
        fields = form_fields(schema, config, prefix=CONFIG_PREFIX)
        errors = place_problems(fields, invalid.problems, prefix=CONFIG_PREFIX)
        state = BindingState(refused, failed=True, config=config, errors=errors)
        return await _card(page, reference, tool_name, state, 422)
    except (BindingRefused, Conflict) as misfit:
        state = BindingState(f"{refused}: {misfit}", failed=True, config=config)
        return await _card(page, reference, tool_name, state, 422)
    return await _card(page, reference, tool_name, BindingState("config saved"))


@router.post(BINDING + "/secrets/{name}", response_class=HTMLResponse)
async def replace_secret(
    page: WritePage,
    reference: str,
    tool_name: str,
    name: str,
    value: Annotated[str, Form()] = "",
) -> Response:
    """Set a new value for one secret; the answer never holds it."""
    await _managed(page, reference)
    try:
        await page.container.bindings().set_secret(reference, tool_name, name, value)
    except (NotFound, BindingRefused) as refused:
        return await _card(page, reference, tool_name, BindingState(str(refused), failed=True), 422)
    return await _card(page, reference, tool_name, BindingState(f"secret {name} replaced"))


@router.post(BINDING + "/secrets/{name}/clear", response_class=HTMLResponse)
async def clear_secret(page: WritePage, reference: str, tool_name: str, name: str) -> Response:
    """Remove one secret (refused while the tool requires it)."""
    await _managed(page, reference)
    try:
        await page.container.bindings().remove_secret(reference, tool_name, name)
    except (NotFound, BindingRefused) as refused:
        return await _card(page, reference, tool_name, BindingState(str(refused), failed=True), 409)
    return await _card(page, reference, tool_name, BindingState(f"secret {name} cleared"))


def _as_typed(submitted: dict[str, str]) -> dict[str, Any]:
    """Submitted config inputs as nested objects, to show them again as they were typed."""
    typed: dict[str, Any] = {}
    for key, value in submitted.items():
        path = key.split(".")
        if path[0] != CONFIG_PREFIX or len(path) < 2:
            continue
        holder = typed
        for step in path[1:-1]:
            nested = holder.setdefault(step, {})
            if not isinstance(nested, dict):
                break
            holder = nested
        else:
            holder[path[-1]] = value
    return typed
