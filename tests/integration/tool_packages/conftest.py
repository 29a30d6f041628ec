"""The platform wired to the in-memory adapters, with the built-in tools synced, and
local servers (the demo's stand-in Google Calendar API, an SMTP server) on 127.0.0.1.

The built-in functions take a LiveKit ``RunContext``. Outside an ``AgentSession`` the
tests give them :class:`StandInRunContext`: a ``RunContext`` subclass without a session
(LiveKit binds a context only when ``isinstance(ctx, RunContext)``) whose userdata is
the platform's ``BindingUserdata``, handed over as the call's ``runtime_context`` as
the LiveKit runtime does for a real call. The platform comes from the container's own
wiring. ``test_in_session.py`` runs the tools in a real ``AgentSession`` instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from livekit.agents import RunContext

from adapters.code_sync import code_tool_documents
from adapters.memory.runtime import InMemoryTool, InMemoryToolRuntime
from adapters.tool_context import BindingUserdata
from application.bindings import BindingService
from application.policies import HandlerPolicy
from application.tool_session import CallResult, ToolSession
from application.tools import ToolService
from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.local_calendar_api import LocalCalendarApi
from tests.builders import platform_container
from tests.integration.tool_packages.smtp_server import LocalSmtpServer

PACKAGE = "adapters.tool_packages"
CALL_TIMEOUT_SECONDS = 5.0


class StandInRunContext(RunContext[BindingUserdata]):
    """A ``RunContext`` with no session behind it: only ``userdata`` works."""

    def __init__(self) -> None:  # LiveKit's constructor needs a live session
        self._userdata = BindingUserdata()

    @property
    def userdata(self) -> BindingUserdata:
        """The platform's per-call view of the binding's config."""
        return self._userdata


@dataclass
class Platform:
    """The container's use cases and tool sessions over one in-memory store."""

    container: Container
    opened: list[ToolSession] = field(default_factory=list)

    @property
    def tools(self) -> ToolService:
        """The tool service."""
        return self.container.tools()

    @property
    def bindings(self) -> BindingService:
        """The binding service."""
        return self.container.bindings()

    async def bind(
        self,
        agent: str,
        tool: str,
        config: Mapping[str, Any] | None = None,
        secrets: Mapping[str, str] | None = None,
    ) -> None:
        """Create ``agent`` (if new) and bind it to ``tool``."""
        agents = self.container.agents()
        if agent not in {existing.name for existing in await agents.list_all()}:
            await agents.create(agent)
        await self.bindings.bind(agent, tool, config=dict(config or {}), secrets=secrets)

    async def open(self, agent: str) -> ToolSession:
        """Open the agent's tool session, with nothing left out (closed after the test)."""
        toolset = await self.container.toolsets().load(agent)
        assert not toolset.left_out, toolset.left_out
        self.opened.append(await self.container.tool_sessions().open(toolset))
        return self.opened[-1]

    async def session(self, agent: str) -> dict[str, InMemoryTool]:
        """Open the agent's tool session; its functions by name."""
        tools = InMemoryToolRuntime().tools_for(await self.open(agent))
        return {tool.name: tool for tool in tools}


async def call(tool: InMemoryTool, arguments: Mapping[str, Any]) -> CallResult:
    """Call ``tool`` the way the LiveKit runtime does: with a RunContext for the call."""
    return await tool(dict(arguments), runtime_context=StandInRunContext())


@pytest.fixture
async def platform() -> AsyncIterator[Platform]:
    """The platform with ``adapters.tool_packages`` allowed and synced into the catalog."""
    container = platform_container(HandlerPolicy((PACKAGE,)), CALL_TIMEOUT_SECONDS)
    async with lifespan(container):
        for document in code_tool_documents(PACKAGE).values():
            await container.tools().define(document)
        platform = Platform(container)
        yield platform
        for session in platform.opened:
            await session.aclose()


@pytest.fixture
async def calendar_api() -> AsyncIterator[LocalCalendarApi]:
    """The local Calendar API (the demo's too), serving on 127.0.0.1."""
    async with LocalCalendarApi() as api:
        yield api


@pytest.fixture
async def smtp_server() -> AsyncIterator[LocalSmtpServer]:
    """The local SMTP server (no TLS), serving on 127.0.0.1."""
    server = LocalSmtpServer()
    await server.start()
    yield server
    await server.stop()
