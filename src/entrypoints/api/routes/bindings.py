"""An agent's bindings and their write-only secrets."""

from __future__ import annotations

from fastapi import APIRouter, Response

from application.authorization import Action
from domain.errors import BindingRefused, NotFound
from entrypoints.api.schemas import (
    BindingOut,
    BindingPatch,
    BindingPut,
    SecretStateOut,
    SecretValue,
)
from entrypoints.api.security import ContainerDependency, CurrentPrincipal
from entrypoints.commands.views import binding_view
from entrypoints.container import Container

router = APIRouter(tags=["bindings"])


@router.get("/agents/{agent}/bindings")
async def list_bindings(
    agent: str, principal: CurrentPrincipal, container: ContainerDependency
) -> list[BindingOut]:
    """The agent's bindings, oldest first, with what its session leaves out of each."""
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    overview = await container.agent_overviews().overview(found.id)
    return [BindingOut(**binding_view(b, overview.left_out)) for b in overview.bindings]


@router.put(
    "/agents/{agent}/bindings/{tool}",
    responses={201: {"description": "Created", "model": BindingOut}},
)
async def put_binding(
    *,
    agent: str,
    tool: str,
    body: BindingPut,
    principal: CurrentPrincipal,
    container: ContainerDependency,
    response: Response,
) -> BindingOut:
    """Bind the agent to the tool (201), or change the binding (200).

    The config is validated against the tool's ``config_schema``: 422 with each failing
    key's path. Secrets are given here only when the binding is created.
    """
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    service = container.bindings()
    existing = {b.tool_name for b in (await container.agents().show(found.id)).bindings}
    if tool not in existing:
        await service.bind(
            found.id,
            tool,
            config=body.config,
            secrets=body.secrets,
            functions=body.functions,
            enabled=body.enabled,
        )
        response.status_code = 201
    else:
        if body.secrets:
            raise BindingRefused("the binding exists: set its secrets with PUT .../secrets/{name}")
        await service.configure(
            found.id, tool, config=body.config, functions=body.functions, enabled=body.enabled
        )
    return await _binding_out(container, found.id, tool)


@router.patch("/agents/{agent}/bindings/{tool}")
async def patch_binding(
    agent: str,
    tool: str,
    body: BindingPatch,
    principal: CurrentPrincipal,
    container: ContainerDependency,
) -> BindingOut:
    """Enable or disable a binding (enabling checks function names again)."""
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    await container.bindings().set_enabled(found.id, tool, body.enabled)
    return await _binding_out(container, found.id, tool)


@router.delete("/agents/{agent}/bindings/{tool}", status_code=204)
async def delete_binding(
    agent: str, tool: str, principal: CurrentPrincipal, container: ContainerDependency
) -> Response:
    """Unbind: the binding goes, with its secrets."""
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    await container.bindings().unbind(found.id, tool)
    return Response(status_code=204)


@router.get("/agents/{agent}/bindings/{tool}/secrets")
async def list_secrets(
    agent: str, tool: str, principal: CurrentPrincipal, container: ContainerDependency
) -> dict[str, SecretStateOut]:
    """Per secret the tool declares (and any other the binding holds): set, and since when.

    Never a value.
    """
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    states = await container.bindings().secret_states(found.id, tool)
    return {
        state.name: SecretStateOut(
            required=state.required,
            set=state.set,
            updated_at=None if state.updated_at is None else state.updated_at.isoformat(),
        )
        for state in states
    }


@router.put("/agents/{agent}/bindings/{tool}/secrets/{name}", status_code=204)
async def put_secret(
    *,
    agent: str,
    tool: str,
    name: str,
    body: SecretValue,
    principal: CurrentPrincipal,
    container: ContainerDependency,
) -> Response:
    """Set or replace one secret (write-only: nothing answers with it)."""
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    await container.bindings().set_secret(found.id, tool, name, body.value)
    return Response(status_code=204)


@router.delete("/agents/{agent}/bindings/{tool}/secrets/{name}", status_code=204)
async def delete_secret(
    agent: str, tool: str, name: str, principal: CurrentPrincipal, container: ContainerDependency
) -> Response:
    """Remove one secret, unless the tool's latest version requires it (422)."""
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    await container.bindings().remove_secret(found.id, tool, name)
    return Response(status_code=204)


async def _binding_out(container: Container, agent_id: str, tool: str) -> BindingOut:
    overview = await container.agent_overviews().overview(agent_id)
    for binding in overview.bindings:
        if binding.tool_name == tool:
            return BindingOut(**binding_view(binding, overview.left_out))
    raise NotFound(f"the agent is not bound to tool {tool!r}")
