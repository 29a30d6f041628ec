"""The Python adapter of ``HandlerCheck``: only an allowlisted ``async def`` may run.

Checked when a tool is defined and again when it is loaded (RELIABILITY.md).
"""

from __future__ import annotations

import pytest

from adapters.executors.python import PythonHandlers
from adapters.memory.compatibility import InMemoryModelCompatibility
from application.agents import AgentService
from application.bindings import BindingService
from application.policies import HandlerPolicy
from application.ports import UnitOfWorkFactory
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.errors import HandlerNotAllowed
from domain.tools.kinds import ToolKind
from tests.builders import python_tool_document


@pytest.fixture
def handlers(policy: HandlerPolicy) -> PythonHandlers:
    return PythonHandlers(policy)


@pytest.fixture
def checked_tools(unit_of_work: UnitOfWorkFactory, handlers: PythonHandlers) -> ToolService:
    return ToolService(unit_of_work, InMemoryModelCompatibility(), handlers)


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        ("sync_handler", "must be an async def"),
        ("no_such_handler", "cannot be imported (AttributeError"),
        ("tests.handlers.missing_module:echo", "cannot be imported (ModuleNotFoundError"),
        ("tests.handlers.echo_tools:asyncio.sleep", "leads to code in 'asyncio.tasks'"),
        ("asyncio:sleep", "outside the allowed packages"),
    ],
)
async def test_defining_a_tool_whose_handler_cannot_run_is_refused_and_stores_nothing(
    checked_tools: ToolService, handler: str, reason: str
) -> None:
    with pytest.raises(HandlerNotAllowed, match=reason.replace("(", r"\(")):
        await checked_tools.define(python_tool_document("broken", {"run_it": handler}))

    assert await checked_tools.list_all() == []


async def test_an_async_handler_inside_the_allowlist_is_accepted(
    checked_tools: ToolService,
) -> None:
    outcome = await checked_tools.define(python_tool_document("fine", {"echo": "echo"}))

    assert outcome.tool.version == 1


async def test_a_handler_that_stopped_being_runnable_is_left_out_at_load(
    unit_of_work: UnitOfWorkFactory,
    tools: ToolService,
    agents: AgentService,
    bindings: BindingService,
    handlers: PythonHandlers,
) -> None:
    await tools.define(python_tool_document("mixed", {"echo": "echo", "legacy": "sync_handler"}))
    await agents.create("support")
    await bindings.bind("support", "mixed")
    loader = ToolsetLoader(unit_of_work, InMemoryModelCompatibility(), handlers, ToolKind)

    toolset = await loader.load("support")

    assert toolset.function_names == ("echo",)
    [left] = toolset.left_out
    assert left.function == "legacy"
    assert "must be an async def" in left.reason
