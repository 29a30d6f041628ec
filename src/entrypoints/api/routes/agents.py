"""Agents: list, create, show, update, delete, and what the model sees (the toolset)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from application.authorization import Action
from domain.agents import ModelSettings
from entrypoints.api.schemas import AgentCreate, AgentDetailsOut, AgentOut, AgentUpdate
from entrypoints.api.security import ContainerDependency, CurrentPrincipal
from entrypoints.commands.views import agent_details, agent_view, toolset_view

router = APIRouter(tags=["agents"])


@router.get("/agents")
async def list_agents(
    principal: CurrentPrincipal, container: ContainerDependency
) -> list[AgentOut]:
    """Every agent the caller may manage, by name (a user's own ones)."""
    agents = await container.agent_access().visible(principal, Action.MANAGE_AGENTS)
    return [AgentOut(**agent_view(agent)) for agent in agents]


@router.post("/agents", status_code=201)
async def create_agent(
    body: AgentCreate, principal: CurrentPrincipal, container: ContainerDependency
) -> AgentOut:
    """Create an agent (a user's agent is owned by that user)."""
    owner = container.agent_access().owner_for_new_agent(principal, body.owner_id)
    settings = ModelSettings(body.model.model, body.model.voice, body.model.temperature)
    agent = await container.agents().create(body.name, body.instructions, settings, owner)
    return AgentOut(**agent_view(agent))


@router.get("/agents/{agent}")
async def show_agent(
    agent: str, principal: CurrentPrincipal, container: ContainerDependency
) -> AgentDetailsOut:
    """An agent with its bindings and what its session would leave out of them."""
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    overview = await container.agent_overviews().overview(found.id)
    return AgentDetailsOut(**agent_details(overview))


@router.patch("/agents/{agent}")
async def update_agent(
    agent: str, body: AgentUpdate, principal: CurrentPrincipal, container: ContainerDependency
) -> AgentOut:
    """Change some of an agent's fields."""
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    updated = await container.agents().update(found.id, **body.model_dump(exclude_none=True))
    return AgentOut(**agent_view(updated))


@router.delete("/agents/{agent}", status_code=204)
async def delete_agent(
    agent: str, principal: CurrentPrincipal, container: ContainerDependency
) -> Response:
    """Delete an agent with its bindings and their secrets."""
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    await container.agents().delete(found.id)
    return Response(status_code=204)


@router.get("/agents/{agent}/toolset")
async def model_view(
    agent: str, principal: CurrentPrincipal, container: ContainerDependency
) -> dict[str, Any]:
    """What the model sees: the functions the agent's next session offers.

    Each with the schema offered and the stored one; then the bindings that load, and
    everything left out with the reason (``agents toolset --json``).
    """
    found = await container.agent_access().agent(principal, Action.MANAGE_AGENTS, agent)
    return toolset_view(await container.agent_overviews().overview(found.id))
