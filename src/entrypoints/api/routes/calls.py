"""The call audit: recorded calls with filters, one call, and statistics per function."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from application.authorization import Action
from application.moments import parse_moment
from domain.call_status import CallStatus
from entrypoints.api.schemas import CallDetails, CallStats, CallSummary
from entrypoints.api.security import ContainerDependency, CurrentPrincipal
from entrypoints.commands.views import call_stats_view, call_summary_view, call_view

router = APIRouter(tags=["calls"])

SINCE = (
    "Only calls started since then: an ISO 8601 time (UTC when it names no zone) or a "
    "duration back from now (15m, 24h, 7d, PT15M)."
)


@router.get("/calls")
async def list_calls(
    *,
    principal: CurrentPrincipal,
    container: ContainerDependency,
    agent: Annotated[str | None, Query(min_length=1, description="One agent's id or name")] = None,
    tool: Annotated[str | None, Query(min_length=1, description="One tool's name")] = None,
    function: Annotated[str | None, Query(min_length=1, description="One function's name")] = None,
    outcome: Annotated[CallStatus | None, Query(description="How the calls ended")] = None,
    since: Annotated[str | None, Query(min_length=1, description=SINCE)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 50,
) -> list[CallSummary]:
    """Recorded calls that match every filter, newest first (a user's own agents' calls)."""
    access = container.agent_access()
    agent_ids = await access.visible_ids(principal, Action.READ_CALLS)
    if agent is not None:
        agent = (await access.agent(principal, Action.READ_CALLS, agent)).id
    audit = container.call_audit()
    records = await audit.list(
        agent=agent,
        agent_ids=agent_ids,
        tool=tool,
        function=function,
        outcome=None if outcome is None else str(outcome),
        since=None if since is None else parse_moment(since, audit.clock()),
        limit=limit,
    )
    return [CallSummary(**call_summary_view(record)) for record in records]


@router.get("/calls/stats")
async def call_stats(
    *,
    principal: CurrentPrincipal,
    container: ContainerDependency,
    agent: Annotated[str | None, Query(min_length=1, description="One agent's id or name")] = None,
    since: Annotated[str | None, Query(min_length=1, description=SINCE)] = None,
) -> CallStats:
    """Per function: how many calls, the error rate and p50/p95/p99 durations."""
    access = container.agent_access()
    agent_ids = await access.visible_ids(principal, Action.READ_CALLS)
    if agent is not None:
        agent = (await access.agent(principal, Action.READ_CALLS, agent)).id
    audit = container.call_audit()
    moment = None if since is None else parse_moment(since, audit.clock())
    found = await audit.stats(since=moment, agent=agent, agent_ids=agent_ids)
    return CallStats(**call_stats_view(moment, found))


@router.get("/calls/{call_id}")
async def show_call(
    call_id: str, principal: CurrentPrincipal, container: ContainerDependency
) -> CallDetails:
    """One call in full: what the executor did (the rendered request, secrets masked)."""
    agent_ids = await container.agent_access().visible_ids(principal, Action.READ_CALLS)
    record = await container.call_audit().show(call_id, agent_ids=agent_ids)
    return CallDetails(**call_view(record))
