"""The LiveKit worker: each job serves one agent from the catalog, with its tools.

The agent id comes from the job's dispatch metadata (``{"agent_id": "..."}``); from the
room's metadata only when ``TOOL_PLATFORM_AGENT_ID_FROM_ROOM_METADATA`` allows it; from
participant attributes never. A job that cannot serve its agent with its tools (no or
unknown agent id, storage unreachable, keys unusable) ends with one logged reason: it
never starts an agent without its tools.

The Google plugin is imported with this module: LiveKit lets plugins register only on a
process's main thread, and ``console`` mode builds each job's model on a job thread.

Settings are read once per process. Everything tied to the job's event loop (the
database engine, the HTTP client pool, the tool session's executors) is opened inside
the job, by the container's lifespan, and closed by the job's shutdown callback, since
LiveKit's ``console`` mode runs jobs as threads of one process, each on its own loop.
"""

from __future__ import annotations

import json
import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import livekit.plugins.google  # noqa: F401 - LiveKit plugins register on the main thread only
from dependency_injector import providers
from livekit.agents import Agent, AgentServer, AgentSession, JobContext

from adapters.secrets.aes_gcm import InvalidKeyRing
from adapters.telemetry.exporter_choice import TracingMisconfigured
from adapters.tool_context import BindingUserdata
from application.call_audit import DailyPrune
from application.tool_session import ToolSession
from domain.errors import DomainError
from entrypoints.container import Container
from entrypoints.gc_freeze import FreezeOnce
from entrypoints.lifespan import lifespan, trace_livekit_for
from entrypoints.settings import PlatformSettings

logger = logging.getLogger(__name__)


class JobRefused(Exception):
    """The job cannot serve an agent; the message is the one logged reason."""


@dataclass(frozen=True)
class StartedJob:
    """What a job started: the agent session and the tool session it serves."""

    session: AgentSession[BindingUserdata]
    tools: ToolSession


def job_container(settings: PlatformSettings, process: Container | None = None) -> Container:
    """A container for one job: the process's settings, the job's own adapters.

    The job's engine keeps a small pool and opens nothing beyond it, so N concurrent
    jobs hold at most N x ``job_database_pool_size`` connections. The tool versions
    read (with their compiled validators), the functions' load-time verdicts and the
    bindings' fitted configs are the ``process`` container's, shared by every job.
    """
    container = Container()
    if process is not None:
        container.tool_versions.override(providers.Object(process.tool_versions()))
        container.function_verdicts.override(providers.Object(process.function_verdicts()))
        container.fitted_configs.override(providers.Object(process.fitted_configs()))
    job_settings = settings.model_copy(
        update={"database_pool_size": settings.job_database_pool_size, "database_max_overflow": 0}
    )
    container.settings.override(providers.Object(job_settings))
    return container


def agent_id_of(job_metadata: str, room_metadata: str | None) -> str:
    """Read the agent id from dispatch metadata, else (when given) room metadata.

    Args:
        job_metadata: The job's dispatch metadata.
        room_metadata: The room's metadata, or None when it may not be used.

    Returns:
        The agent id.

    Raises:
        JobRefused: When the metadata is not JSON, or neither names an agent.
    """
    agent_id = _agent_id(job_metadata, "dispatch")
    if agent_id is None and room_metadata is not None:
        agent_id = _agent_id(room_metadata, "room")
    if agent_id is None:
        raise JobRefused('no agent id: dispatch the job with metadata {"agent_id": "..."}')
    return agent_id


def _agent_id(text: str, source: str) -> str | None:
    if not text:
        return None
    try:
        metadata: Any = json.loads(text)
    except ValueError:
        raise JobRefused(f"the {source} metadata is not JSON") from None
    agent_id = metadata.get("agent_id") if isinstance(metadata, dict) else None
    return agent_id if isinstance(agent_id, str) and agent_id else None


async def start_job(
    ctx: JobContext, container: Container, retention: DailyPrune | None = None
) -> StartedJob | None:
    """Serve the job's agent: load its toolset and start its ``AgentSession``.

    Every call is recorded with the job's id as its session id. Once the session has
    started, ``retention`` prunes the call audit when a day has passed since it last did
    (a failure there is logged; the job goes on).

    Returns:
        The started session, or None when the job ended with a logged reason.
    """
    settings = container.settings()
    resources = AsyncExitStack()
    ctx.add_shutdown_callback(resources.aclose)
    try:
        room_metadata = None
        if settings.agent_id_from_room_metadata and _agent_id(ctx.job.metadata, "dispatch") is None:
            await ctx.connect()
            room_metadata = ctx.room.metadata
        agent_id = agent_id_of(ctx.job.metadata, room_metadata)
        await resources.enter_async_context(lifespan(container))
        toolset = await container.toolsets().load(agent_id)
        trace_livekit_for(container, toolset.agent)
        tools = await resources.enter_async_context(
            await container.tool_sessions().open(toolset, session_id=ctx.job.id)
        )
    except (JobRefused, DomainError, InvalidKeyRing, TracingMisconfigured) as error:
        reason = f"job {ctx.job.id} ended: {error}"
        logger.error(reason)  # noqa: TRY400 - one line; a traceback could carry a secret
        ctx.shutdown(reason=reason)
        return None
    for left in tools.left_out:
        logger.warning("agent %s starts without %s", toolset.agent.id, left)
    session: AgentSession[BindingUserdata] = AgentSession(
        llm=container.realtime_model(toolset.agent.model), userdata=BindingUserdata()
    )
    agent = Agent(
        instructions=toolset.agent.instructions,
        tools=list(container.livekit_runtime().tools_for(tools)),
    )
    await session.start(agent=agent, room=ctx.room)
    logger.info(
        "agent %s started with functions: %s", toolset.agent.id, ", ".join(tools.function_names)
    )
    if retention is not None:
        await _prune(container, retention)
    return StartedJob(session, tools)


async def _prune(container: Container, retention: DailyPrune) -> None:
    try:
        report = await retention.prune_if_due(container.call_audit())
    except DomainError as error:
        logger.warning("pruning the call audit failed: %s", error)
        return
    if report is not None:
        logger.info("call audit: pruned %d record(s) older than %s", report.deleted, report.before)


def build_server(settings: PlatformSettings) -> AgentServer:
    """The worker's ``AgentServer``: one ``rtc_session`` that serves catalog agents."""
    server = AgentServer()
    process = Container()
    retention = DailyPrune()
    freeze_after_warm_up = FreezeOnce()

    @server.rtc_session(agent_name=settings.worker_agent_name)
    async def entrypoint(ctx: JobContext) -> None:
        await start_job(ctx, job_container(settings, process), retention)
        # The first job has read its tool versions: full collections stop scanning them.
        freeze_after_warm_up()

    return server
