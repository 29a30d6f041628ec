"""Fixtures of the LiveKit tests: the use cases on in-memory storage, the LiveKit runtime.

Every test builds its agent's toolset through the real use cases (define, create, bind,
load), turns it into LiveKit tools with ``LiveKitToolRuntime``, and runs a real
``AgentSession`` in text mode with a ``ScriptedLLM``. No network, no model.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence

import pytest

from adapters.livekit.runtime import LiveKitToolRuntime
from adapters.livekit.scripted_llm import ScriptedLLM, Turn
from adapters.livekit.text_session import Transcript, run_text_session
from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.memory.unit_of_work import InMemoryStorage
from adapters.secrets.aes_gcm import AesGcmSecretCipher
from application.agents import AgentService
from application.bindings import BindingService
from application.policies import HandlerPolicy
from application.tool_session import ToolSession
from application.tool_sessions import ToolSessions
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.tools.kinds import ToolKind
from domain.toolset import AgentToolset
from tests.builders import TickingClock, platform_container
from tests.handlers import echo_tools

TIMEOUT_SECONDS = 0.3
"""The pipeline's default call timeout in these tests."""

POLICY = HandlerPolicy(("tests.handlers",))

Converse = Callable[..., Awaitable[Transcript]]


@pytest.fixture(autouse=True)
def executed() -> Iterator[list[str]]:
    """The echo handlers run during the test, by name."""
    echo_tools.EXECUTED.clear()
    yield echo_tools.EXECUTED
    echo_tools.EXECUTED.clear()


@pytest.fixture
def storage() -> InMemoryStorage:
    """An empty in-memory storage."""
    return InMemoryStorage(AesGcmSecretCipher.ephemeral())


@pytest.fixture
def tools(storage: InMemoryStorage) -> ToolService:
    """The tool service."""
    return ToolService(storage.unit_of_work, InMemoryModelCompatibility(), POLICY)


@pytest.fixture
def agents(storage: InMemoryStorage) -> AgentService:
    """The agent service."""
    return AgentService(storage.unit_of_work)


@pytest.fixture
def bindings(storage: InMemoryStorage) -> BindingService:
    """The binding service, on a ticking clock (earlier bindings win name clashes)."""
    return BindingService(storage.unit_of_work, clock=TickingClock())


@pytest.fixture
def loader(storage: InMemoryStorage) -> ToolsetLoader:
    """The toolset loader."""
    return ToolsetLoader(
        storage.unit_of_work, InMemoryModelCompatibility(), POLICY, {ToolKind.PYTHON}
    )


@pytest.fixture
async def sessions() -> AsyncIterator[ToolSessions]:
    """Tool sessions as the container wires them: python tools, a short default timeout."""
    container = platform_container(POLICY, TIMEOUT_SECONDS)
    yield container.tool_sessions()
    await container.http_pool().aclose()


OpenTools = Callable[[str], Awaitable[ToolSession]]


@pytest.fixture
async def open_tools(loader: ToolsetLoader, sessions: ToolSessions) -> AsyncIterator[OpenTools]:
    """Load an agent's toolset and open its tool session; every one is closed after the test."""
    opened: list[ToolSession] = []

    async def open_for(agent: str) -> ToolSession:
        opened.append(await sessions.open(await loader.load(agent)))
        return opened[-1]

    yield open_for
    for tools in opened:
        await tools.aclose()


@pytest.fixture
def runtime() -> LiveKitToolRuntime:
    """The LiveKit runtime."""
    return LiveKitToolRuntime()


@pytest.fixture
def converse(
    loader: ToolsetLoader, sessions: ToolSessions, runtime: LiveKitToolRuntime
) -> Converse:
    """Load an agent's toolset and run a text session with a script.

    Call it as ``await converse(agent, script, user_inputs=(...))``; it returns the
    transcript, and the scripted LLM's requests are in ``transcript.requests``.
    """

    async def run(
        agent: str, script: Sequence[Turn], user_inputs: Sequence[str] = ("Hello.",)
    ) -> Transcript:
        toolset: AgentToolset = await loader.load(agent)
        async with await sessions.open(toolset) as tools:
            return await run_text_session(
                tools,
                runtime,
                ScriptedLLM(script),
                instructions="You are a test agent.",
                user_inputs=user_inputs,
                turn_timeout_seconds=10,
            )

    return run


def finalize_dropped_tasks(caplog: pytest.LogCaptureFixture) -> None:
    """Let go of the tasks LiveKit left dead when it dropped a call, and finalise them now.

    When LiveKit's argument parsing raises something other than ``ValueError``, its
    tool and reply tasks die with an exception nobody retrieves; the captured log
    records keep their tracebacks (and so the tasks) alive. Finalised later by a random
    garbage collection, such a task logs ``Task exception was never retrieved`` from
    inside whatever runs then; inside pytest's assertion rewriting (``ast.parse``, not
    re-entrant in CPython 3.11) that is a ``SystemError: AST constructor recursion depth
    mismatch`` in an unrelated test. Call this at the end of a test that drops a call.
    """
    caplog.clear()
    gc.collect()
