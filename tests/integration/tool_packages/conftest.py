"""The platform wired to the in-memory adapters, with the built-in tools synced, and
local servers (the demo's stand-in Google Calendar API, an SMTP server) on 127.0.0.1.

The built-in functions take a LiveKit ``RunContext`` (they read their config from
``context.userdata``). Outside an ``AgentSession`` the tests give them
:class:`StandInRunContext`: a ``RunContext`` subclass without a session (LiveKit binds
a context only when ``isinstance(ctx, RunContext)``) whose userdata is the platform's
``BindingUserdata``, made current with ``adapters.tool_context.running_in`` as the
LiveKit runtime does for a real call. ``test_in_session.py`` runs them in a real
``AgentSession`` instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from livekit.agents import RunContext

from adapters.code_sync import code_tool_documents
from adapters.executors.python import PythonFunctionExecutor, PythonHandlers
from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.memory.runtime import InMemoryTool, InMemoryToolRuntime
from adapters.memory.unit_of_work import InMemoryStorage
from adapters.secrets.aes_gcm import AesGcmSecretCipher
from adapters.tool_context import BindingUserdata, running_in
from adapters.tool_packages.http_clients import aclose_http_clients
from application.agents import AgentService
from application.bindings import BindingService
from application.calls import CallPipeline, CallResult
from application.policies import HandlerPolicy
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.tools.kinds import ToolKind
from entrypoints.local_calendar_api import LocalCalendarApi
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
    """The use cases and the in-memory runtime over one store."""

    tools: ToolService
    agents: AgentService
    bindings: BindingService
    loader: ToolsetLoader
    runtime: InMemoryToolRuntime

    async def bind(
        self,
        agent: str,
        tool: str,
        config: Mapping[str, Any] | None = None,
        secrets: Mapping[str, str] | None = None,
    ) -> None:
        """Create ``agent`` (if new) and bind it to ``tool``."""
        if agent not in {existing.name for existing in await self.agents.list_all()}:
            await self.agents.create(agent)
        await self.bindings.bind(agent, tool, config=dict(config or {}), secrets=secrets)

    async def session(self, agent: str) -> dict[str, InMemoryTool]:
        """Load the agent's toolset; its functions by name."""
        toolset = await self.loader.load(agent)
        assert not toolset.left_out, toolset.left_out
        return {tool.name: tool for tool in self.runtime.tools_for(toolset)}


async def call(tool: InMemoryTool, arguments: Mapping[str, Any]) -> CallResult:
    """Call ``tool`` the way the LiveKit runtime does: with a RunContext made current."""
    with running_in(StandInRunContext()):
        return await tool(dict(arguments))


@pytest.fixture
async def platform() -> AsyncIterator[Platform]:
    """The platform with ``adapters.tool_packages`` allowed and synced into the catalog."""
    storage = InMemoryStorage(AesGcmSecretCipher.ephemeral())
    handlers = PythonHandlers(HandlerPolicy((PACKAGE,)))
    tools = ToolService(storage.unit_of_work, InMemoryModelCompatibility(), handlers)
    for document in code_tool_documents(PACKAGE).values():
        await tools.define(document)
    pipeline = CallPipeline(
        {ToolKind.PYTHON: PythonFunctionExecutor(handlers)}, CALL_TIMEOUT_SECONDS
    )
    yield Platform(
        tools=tools,
        agents=AgentService(storage.unit_of_work),
        bindings=BindingService(storage.unit_of_work),
        loader=ToolsetLoader(storage.unit_of_work, InMemoryModelCompatibility(), handlers),
        runtime=InMemoryToolRuntime(pipeline),
    )
    await aclose_http_clients()


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
