"""``ToolSession.call`` through ``InMemoryToolRuntime`` and ``PythonFunctionExecutor``.

Decode -> validate -> inject -> execute under a timeout -> scrub -> JSON text, with the
test handlers of ``tests/handlers/echo_tools.py``; the session comes from the
container's own wiring.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.memory.runtime import InMemoryTool, InMemoryToolRuntime
from application.agents import AgentService
from application.bindings import BindingService
from application.policies import HandlerPolicy
from application.ports import UnitOfWorkFactory
from application.tool_session import ToolSession
from application.tool_sessions import ToolSessions
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.secrets import REDACTED
from domain.tools.kinds import ToolKind
from tests.builders import (
    CANARY,
    TRICKY_CANARY,
    assert_no_secret,
    data_of,
    error_of,
    function_doc,
    platform_container,
    python_tool_document,
)
from tests.handlers import echo_tools, stray_tools

TIMEOUT_SECONDS = 0.2
NO_PARAMETERS = {"type": "object", "properties": {}}
LABEL_CONFIG = {
    "type": "object",
    "properties": {"label": {"type": "string", "default": "plain"}},
}

Session = Callable[[str], Awaitable[dict[str, InMemoryTool]]]


@pytest.fixture(autouse=True)
def executed() -> Iterator[list[str]]:
    """The handlers run during the test, by name."""
    echo_tools.EXECUTED.clear()
    yield echo_tools.EXECUTED
    echo_tools.EXECUTED.clear()


@pytest.fixture
async def sessions(policy: HandlerPolicy) -> AsyncIterator[ToolSessions]:
    """Tool sessions as the container wires them, with a short default timeout."""
    container = platform_container(policy, TIMEOUT_SECONDS)
    yield container.tool_sessions()
    await container.http_pool().aclose()


@pytest.fixture
async def session(loader: ToolsetLoader, sessions: ToolSessions) -> AsyncIterator[Session]:
    """Open an agent's tool session and return its tools by name; closed after the test."""
    opened: list[ToolSession] = []

    async def start(agent: str) -> dict[str, InMemoryTool]:
        tool_session = await sessions.open(await loader.load(agent))
        opened.append(tool_session)
        return {tool.name: tool for tool in InMemoryToolRuntime().tools_for(tool_session)}

    yield start
    for tool_session in opened:
        await tool_session.aclose()


@pytest.fixture(autouse=True)
async def catalog(tools: ToolService, agents: AgentService, bindings: BindingService) -> None:
    """Agent ``support`` bound to ``echoes`` (config) and ``leaky`` (a secret ``token``)."""
    await tools.define(python_tool_document("echoes", {"echo": "echo"}, config_schema=LABEL_CONFIG))
    leaky = ["return_secret", "return_secret_text", "raise_with_secret", "sleep_forever"]
    await tools.define(
        python_tool_document(
            "leaky",
            {name: name for name in [*leaky, "sync_handler"]},
            functions=[function_doc(name, NO_PARAMETERS) for name in [*leaky, "sync_handler"]],
            secret_names=["token"],
        )
    )
    await agents.create("support")
    await bindings.bind("support", "echoes")
    await bindings.bind("support", "leaky", secrets={"token": TRICKY_CANARY})


def rendered(records: list[logging.LogRecord]) -> str:
    """Every record as a handler would write it, exception text included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in records)


# ------------------------------------------------------------------ results


async def test_a_handler_that_changes_nested_config_changes_it_for_that_call_only(
    tools: ToolService, bindings: BindingService, session: Session
) -> None:
    tags = {"type": "object", "properties": {"tags": {"type": "array", "default": ["base"]}}}
    await tools.define(
        python_tool_document("tagger", {"append_tag": "append_tag"}, config_schema=tags)
    )
    await bindings.bind("support", "tagger")
    runtime_tools = await session("support")

    first = await runtime_tools["append_tag"]({"text": "a"})
    second = await runtime_tools["append_tag"]({"text": "b"})

    assert data_of(first.output) == {"tags": ["base", "added-by-the-handler"]}
    assert data_of(second.output) == {"tags": ["base", "added-by-the-handler"]}


async def test_a_valid_call_returns_json_text_of_the_handlers_result(session: Session) -> None:
    tools = await session("support")

    result = await tools["echo"]({"text": "hello"})

    assert result.ok is True
    assert data_of(result.output) == {
        "arguments": {"text": "hello"},
        "config": {"label": "plain"},
    }


@pytest.mark.parametrize(
    ("arguments", "field"),
    [({}, "text"), ({"text": ["a"]}, "text"), ({"text": "hi", "bogus": 1}, "bogus")],
    ids=["missing", "wrong-type", "undeclared"],
)
async def test_invalid_arguments_name_the_field_and_the_handler_never_runs(
    session: Session, executed: list[str], arguments: dict[str, Any], field: str
) -> None:
    tools = await session("support")

    result = await tools["echo"](arguments)

    assert result.ok is False
    assert field in result.output
    assert executed == []


@pytest.mark.parametrize("arguments", [None, [], "text", 5], ids=repr)
async def test_arguments_that_are_not_an_object_are_refused_before_the_handler(
    session: Session, executed: list[str], arguments: Any
) -> None:
    tools = await session("support")

    result = await tools["echo"](arguments)

    assert result.ok is False
    assert executed == []


async def test_an_unknown_function_gives_an_error_naming_it(
    sessions: ToolSessions, loader: ToolsetLoader
) -> None:
    async with await sessions.open(await loader.load("support")) as tool_session:
        result = await tool_session.call("launch_rockets", {}, call_id="call-1")

    assert result.ok is False
    assert "launch_rockets" in result.output
    assert "echo" in result.output


# ------------------------------------------------------------------ secrets


async def test_a_secret_in_a_json_result_is_scrubbed_in_every_escaped_form(
    session: Session,
) -> None:
    tools = await session("support")

    result = await tools["return_secret"]({})

    assert result.ok is True
    assert_no_secret(result.output, TRICKY_CANARY)
    assert data_of(result.output) == {"echoed": REDACTED, "note": "upstream echoed the token"}


async def test_a_secret_in_a_text_result_is_scrubbed(session: Session) -> None:
    tools = await session("support")

    result = await tools["return_secret_text"]({})

    assert result.ok is True
    assert_no_secret(result.output, TRICKY_CANARY)
    assert data_of(result.output) == f"Authorization: Bearer {REDACTED}"


async def test_a_handler_failing_with_its_secret_gives_a_generic_error_and_clean_logs(
    session: Session, caplog: pytest.LogCaptureFixture, executed: list[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    tools = await session("support")

    result = await tools["raise_with_secret"]({})

    assert executed == ["raise_with_secret"]
    assert result.ok is False
    assert error_of(result.output) == "raise_with_secret failed with an internal error"
    logs = rendered(caplog.records)
    assert_no_secret(logs, TRICKY_CANARY)
    assert "RuntimeError" in logs


async def test_a_sync_handler_is_refused_without_running(
    session: Session, executed: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tools = await session("support")

    result = await tools["sync_handler"]({})

    assert result.ok is False
    assert "sync_handler" in result.output
    assert executed == []


# ------------------------------------------------------------------ timeouts


async def test_a_handler_past_its_timeout_reports_that_the_outcome_is_unknown(
    session: Session,
) -> None:
    tools = await session("support")

    result = await tools["sleep_forever"]({})

    assert result.ok is False
    assert "outcome is unknown" in result.output
    assert f"{TIMEOUT_SECONDS:g} seconds" in result.output


async def test_a_timed_out_call_does_not_disturb_the_next_one(session: Session) -> None:
    tools = await session("support")

    hung, after = await asyncio.gather(tools["sleep_forever"]({}), tools["echo"]({"text": "x"}))

    assert hung.ok is False
    assert after.ok is True


# ------------------------------------------------------------------ isolation


PROFILE_CONFIG = {
    "type": "object",
    "properties": {"label": {"type": "string"}},
    "required": ["label"],
}


async def define_profile(tools: ToolService, name: str, function: str) -> None:
    await tools.define(
        python_tool_document(
            name,
            {function: "whoami"},
            functions=[function_doc(function, NO_PARAMETERS)],
            config_schema=PROFILE_CONFIG,
            secret_names=["token"],
        )
    )


async def test_concurrent_calls_of_two_bindings_of_one_agent_see_only_their_own_config(
    tools: ToolService, bindings: BindingService, session: Session
) -> None:
    await define_profile(tools, "profile-a", "whoami_a")
    await define_profile(tools, "profile-b", "whoami_b")
    a = await bindings.bind(
        "support", "profile-a", config={"label": "A"}, secrets={"token": "token-A"}
    )
    b = await bindings.bind(
        "support", "profile-b", config={"label": "B"}, secrets={"token": "token-B"}
    )
    functions = await session("support")
    expected = {"whoami_a": ("A", a.id), "whoami_b": ("B", b.id)}
    names = [name for _ in range(20) for name in expected]

    results = await asyncio.gather(*(functions[name]({}) for name in names))

    for name, result in zip(names, results, strict=True):
        label, binding_id = expected[name]
        assert result.ok, result.output
        assert data_of(result.output) == {
            "first": label,
            "second": label,
            "token_matches_label": True,
            "binding": binding_id,
        }


async def test_concurrent_calls_of_one_tool_for_two_agents_see_only_their_own_config(
    tools: ToolService, agents: AgentService, bindings: BindingService, session: Session
) -> None:
    await define_profile(tools, "profile", "whoami")
    await agents.create("sales")
    await bindings.bind("support", "profile", config={"label": "S"}, secrets={"token": "token-S"})
    await bindings.bind("sales", "profile", config={"label": "Z"}, secrets={"token": "token-Z"})
    support, sales = (await session("support"))["whoami"], (await session("sales"))["whoami"]
    calls = [(label, tool) for _ in range(20) for label, tool in (("S", support), ("Z", sales))]

    results = await asyncio.gather(*(tool({}) for _, tool in calls))

    for (label, _), result in zip(calls, results, strict=True):
        seen = data_of(result.output)
        assert (seen["first"], seen["second"], seen["token_matches_label"]) == (label, label, True)


# ------------------------------------------------------------------ logging


async def test_each_call_logs_one_line_with_its_facts_and_no_argument_values(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tools = await session("support")

    await tools["echo"]({"text": "argument-marker-991"}, call_id="call-42")
    await tools["return_secret"]({}, call_id="call-43")

    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("tool call ")]
    assert len(lines) == 2
    assert "tool=echoes" in lines[0]
    assert "version=1" in lines[0]
    assert "function=echo" in lines[0]
    assert "call_id=call-42" in lines[0]
    assert "outcome=ok" in lines[0]
    assert "agent=" in lines[0]
    logs = rendered(caplog.records)
    assert "argument-marker-991" not in logs
    assert_no_secret(logs, TRICKY_CANARY)
    assert_no_secret(logs, CANARY)


# ------------------------------------------------------------------ the allowlist at run time


async def test_a_handler_path_that_walks_out_of_the_allowlist_never_runs(
    unit_of_work: UnitOfWorkFactory, agents: AgentService, bindings: BindingService
) -> None:
    narrow = HandlerPolicy(("tests.handlers.echo_tools",))
    tools = ToolService(unit_of_work, InMemoryModelCompatibility(), narrow)
    await tools.define(
        python_tool_document(
            "stray",
            {"stray": "tests.handlers.echo_tools:stray_tools.record_stray"},
            functions=[function_doc("stray", NO_PARAMETERS)],
        )
    )
    await bindings.bind("support", "stray")
    loader = ToolsetLoader(unit_of_work, InMemoryModelCompatibility(), narrow, ToolKind)
    toolset = await loader.load("support")
    sessions = platform_container(narrow, TIMEOUT_SECONDS).tool_sessions()
    stray_tools.RAN.clear()

    async with await sessions.open(toolset) as tool_session:
        result = await tool_session.call("stray", {}, call_id="call-1")

    assert stray_tools.RAN == []
    assert result.ok is False


async def test_a_tool_with_its_own_timeout_uses_it(
    tools: ToolService, agents: AgentService, bindings: BindingService, session: Session
) -> None:
    document = python_tool_document(
        "patient",
        {"sleep_forever": "sleep_forever"},
        functions=[function_doc("sleep_forever", NO_PARAMETERS)],
    )
    document["run"]["timeout_seconds"] = 0.05
    await tools.define(document)
    await agents.create("patient-user")
    await bindings.bind("patient-user", "patient")
    runtime_tools = await session("patient-user")

    result = await runtime_tools["sleep_forever"]({})

    assert result.ok is False
    assert "did not finish within 0.05 seconds" in result.output
