"""``ToolSessions.open`` and ``ToolSession``: executors opened per session and closed with
it, only what can run offered, the decoder before validation, and a call that never raises.

Sessions come from the container's own wiring. Executors of kinds that have none yet
(``http``, ``mcp``) are :class:`ProbeExecutor`: a small implementation of the port that
records its lifecycle.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from dependency_injector import providers
from hypothesis import HealthCheck, assume, given, settings

from application.offering import OfferAsStored
from application.policies import HandlerPolicy
from application.ports import FunctionExecutor, OfferedFunction, OpenExecutor, ToolCall
from application.tool_sessions import ToolSessions
from domain.errors import DomainError
from domain.json_types import JsonValue
from domain.schema.function_schema import FunctionSchema
from domain.tools.kinds import ToolKind
from domain.toolset import AgentToolset, LeftOut
from entrypoints.container import Container
from tests.builders import (
    CANARY,
    assert_no_secret,
    function_doc,
    http_tool_document,
    mcp_tool_document,
    platform_container,
    python_tool_document,
)
from tests.strategies import wild_arguments, wild_parameters

POLICY = HandlerPolicy(("tests.handlers",))
NO_PARAMETERS = {"type": "object", "properties": {}}
ECHO_PARAMETERS = {
    "type": "object",
    "properties": {"text": {"type": "string"}, "count": {"type": "integer", "minimum": 1}},
    "required": ["text"],
}


class ProbeExecutor(FunctionExecutor, OpenExecutor):
    """An executor of one kind that records opens, calls and closes.

    Args:
        kind: The kind it runs.
        unavailable: Bindings of this tool it reports it could not open.
        fails_to_open: Whether ``open`` raises.
    """

    def __init__(
        self, kind: ToolKind, unavailable: Sequence[str] = (), fails_to_open: bool = False
    ) -> None:
        self._kind = kind
        self._unavailable = tuple(unavailable)
        self._fails = fails_to_open
        self.events: list[str] = []
        self._left_out: tuple[LeftOut, ...] = ()

    @property
    def kind(self) -> ToolKind:
        return self._kind

    @property
    def left_out(self) -> Sequence[LeftOut]:
        return self._left_out

    async def open(self, toolset: AgentToolset) -> OpenExecutor:
        if self._fails:
            raise ConnectionError("the probe refuses to open")
        mine = [f for f in toolset.functions if f.tool.kind is self._kind]
        self.events.append("open " + ",".join(f.name for f in mine))
        self._left_out = tuple(
            LeftOut(f.tool.name, f.binding_id, "the server is down", f.name)
            for f in mine
            if f.tool.name in self._unavailable
        )
        return self

    async def execute(self, call: ToolCall) -> JsonValue:
        self.events.append(f"call {call.function.name} {json.dumps(call.arguments)}")
        return {"ran": call.function.name, "config": dict(call.injection.config)}

    async def aclose(self) -> None:
        self.events.append("close")


def with_executors(container: Container, *executors: FunctionExecutor) -> Container:
    """The container with the python executor and ``executors`` for other kinds."""
    container.runtime.executors.override(
        providers.List(container.runtime.python_executor, *map(providers.Object, executors))
    )
    return container


@pytest.fixture
async def container() -> AsyncIterator[Container]:
    """The platform on in-memory storage: agent ``desk`` bound to a python tool."""
    built = platform_container(POLICY, 1.0)
    await built.tools().define(
        python_tool_document(
            "echoes", {"echo": "echo"}, functions=[function_doc("echo", ECHO_PARAMETERS)]
        )
    )
    await built.agents().create("desk")
    await built.bindings().bind("desk", "echoes")
    yield built
    await built.http_pool().aclose()


async def bind_http(container: Container, *names: str) -> None:
    for name in names:
        await container.tools().define(http_tool_document(name, (f"{name}_lookup",)))
        await container.bindings().bind("desk", name)


async def test_an_executor_opens_once_per_session_for_its_functions_and_closes_with_it(
    container: Container,
) -> None:
    probe = ProbeExecutor(ToolKind.HTTP)
    with_executors(container, probe)
    await bind_http(container, "crm", "erp")

    session = await container.tool_sessions().open(await container.toolsets().load("desk"))
    result = await session.call("crm_lookup", {"text": "ann"}, call_id="c1")
    await session.aclose()
    await session.aclose()

    assert session.function_names == ("echo", "crm_lookup", "erp_lookup")
    assert result.ok, result.output
    assert probe.events == [
        "open crm_lookup,erp_lookup",
        'call crm_lookup {"text": "ann"}',
        "close",
    ]


async def test_a_binding_its_executor_cannot_open_is_left_out_and_never_offered(
    container: Container,
) -> None:
    with_executors(container, ProbeExecutor(ToolKind.HTTP, unavailable=("erp",)))
    await bind_http(container, "crm", "erp")

    async with await container.tool_sessions().open(
        await container.toolsets().load("desk")
    ) as session:
        refused = await session.call("erp_lookup", {"text": "x"}, call_id="c1")

    assert session.function_names == ("echo", "crm_lookup")
    assert [(left.tool_name, left.function, left.reason) for left in session.left_out] == [
        ("erp", "erp_lookup", "the server is down")
    ]
    assert not refused.ok
    assert refused.output.startswith("unknown function 'erp_lookup'")


async def test_when_one_executor_cannot_open_the_others_are_closed_and_the_error_raised(
    container: Container,
) -> None:
    opened = ProbeExecutor(ToolKind.HTTP)
    with_executors(container, opened, ProbeExecutor(ToolKind.MCP, fails_to_open=True))
    await bind_http(container, "crm")
    await container.tools().define(
        {
            "name": "files",
            "kind": "mcp",
            "tool_functions_schema": {"functions": [function_doc("read_file", NO_PARAMETERS)]},
            "run": {"server": {"url": "https://mcp.example.com/mcp"}},
        }
    )
    await container.bindings().bind("desk", "files")
    toolset = await container.toolsets().load("desk")

    with pytest.raises(ConnectionError):
        await container.tool_sessions().open(toolset)

    assert opened.events == ["open crm_lookup", "close"]


class CountAsText(OfferAsStored):
    """Offers ``echo``'s ``count`` as a string and decodes it back (a model adapter's job)."""

    def offer(self, function: FunctionSchema) -> OfferedFunction:
        if function.name != "echo":
            return super().offer(function)
        offered = function.to_dict()
        offered["parameters"]["properties"]["count"] = {"type": "string"}

        def decode(arguments: JsonValue) -> JsonValue:
            if isinstance(arguments, dict) and "count" in arguments:
                return {**arguments, "count": len(str(arguments["count"]))}
            return arguments

        return OfferedFunction(FunctionSchema.from_dict(offered), decode)


async def test_the_model_sees_the_offered_schema_and_the_tool_gets_decoded_valid_arguments(
    container: Container,
) -> None:
    container.runtime.offering.override(providers.Object(CountAsText()))
    toolset = await container.toolsets().load("desk")

    async with await container.tool_sessions().open(toolset) as session:
        decoded = await session.call("echo", {"text": "a", "count": "xxx"}, call_id="c1")
        refused = await session.call("echo", {"text": "a", "count": ""}, call_id="c2")

    [echo] = session.functions
    assert echo.offered.to_dict()["parameters"]["properties"]["count"] == {"type": "string"}
    assert echo.stored.schema.to_dict()["parameters"]["properties"]["count"]["type"] == "integer"
    assert json.loads(decoded.output)["arguments"] == {"text": "a", "count": 3}
    assert not refused.ok  # decoded to 0, which the stored schema's minimum refuses
    assert "count" in refused.output


async def test_a_session_opened_for_a_toolset_without_an_executor_for_its_kind_refuses(
    container: Container,
) -> None:
    await container.tools().define(mcp_tool_document("crm"))
    await container.bindings().bind("desk", "crm")
    without_mcp = ToolSessions(
        [kind for kind in container.runtime.executors() if kind.kind is not ToolKind.MCP],
        OfferAsStored(),
        1.0,
    )  # a runtime whose loader believes it runs mcp tools: miswired

    with pytest.raises(ValueError, match="no executor runs mcp tools"):
        await without_mcp.open(await container.toolsets().load("desk"))


HUGE = 10**5000


def deeply_nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"text": [value]}
    return value


@pytest.fixture
async def echo_session(container: Container) -> AsyncIterator[Any]:
    async with await container.tool_sessions().open(
        await container.toolsets().load("desk")
    ) as session:
        yield session


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arguments=wild_arguments())
async def test_a_call_never_raises_whatever_the_arguments(
    echo_session: Any, arguments: Any
) -> None:
    result = await echo_session.call("echo", arguments, call_id="c")

    assert isinstance(result.output, str)
    assert len(result.output) < 20_000


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parameters=wild_parameters(), arguments=wild_arguments())
async def test_a_call_never_raises_whatever_the_schema_and_the_arguments(
    container: Container, parameters: dict[str, Any], arguments: Any
) -> None:
    document = python_tool_document(
        "probe", {"probe": "echo"}, functions=[function_doc("probe", parameters)]
    )
    try:
        await container.tools().define(document)
    except DomainError:
        assume(False)  # the platform refused the schema at define: nothing to call
    if "probe" not in (await container.toolsets().load("desk")).function_names:
        await container.bindings().bind("desk", "probe")

    async with await container.tool_sessions().open(
        await container.toolsets().load("desk")
    ) as session:
        result = await session.call("probe", arguments, call_id="c")

    assert isinstance(result.output, str)
    assert result.output != "probe failed with an internal error"


@pytest.mark.parametrize(
    "arguments",
    [
        {"text": "a", "count": HUGE},
        {"text": HUGE},
        {"text": "a", HUGE.__class__.__name__ * 300_000: 1},
        deeply_nested(10_000),
        {"text": "a", "count": math.nan},
    ],
    ids=["huge-int-count", "huge-int-text", "megabyte-key", "10000-deep", "nan"],
)
async def test_pathological_arguments_give_a_short_clean_refusal(
    echo_session: Any, arguments: Any
) -> None:
    result = await echo_session.call("echo", arguments, call_id="c")

    assert not result.ok
    assert len(result.output) < 2_000


SECRETS = [
    f'quo"te-{CANARY}',
    f"back\\slash-{CANARY}",
    f"accent-é-ü-{CANARY}",
    f'all\\"of/them-€-{CANARY}',
    f"emoji-\U0001f511-{CANARY}",
]


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("ascii_only", [False, True])
async def test_a_secret_returned_at_any_escaping_depth_never_reaches_the_model(
    container: Container, secret: str, depth: int, ascii_only: bool
) -> None:
    await container.tools().define(
        python_tool_document(
            "leaky",
            {"return_secret_escaped": "return_secret_escaped"},
            functions=[
                function_doc(
                    "return_secret_escaped",
                    {
                        "type": "object",
                        "properties": {"depth": {"type": "integer"}, "ascii": {"type": "boolean"}},
                    },
                )
            ],
            secret_names=["token"],
        )
    )
    await container.bindings().bind("desk", "leaky", secrets={"token": secret})

    async with await container.tool_sessions().open(
        await container.toolsets().load("desk")
    ) as session:
        result = await session.call(
            "return_secret_escaped", {"depth": depth, "ascii": ascii_only}, call_id="c"
        )

    assert result.ok, result.output
    assert "********" in result.output
    assert_no_secret(result.output, secret)
    assert CANARY not in result.output


async def test_a_result_over_the_cap_is_cut_after_scrubbing_with_a_marker_of_how_much(
    container: Container,
) -> None:
    settings = container.settings()
    container.settings.override(
        providers.Object(settings.model_copy(update={"tool_result_max_chars": 200}))
    )
    await container.tools().define(
        python_tool_document("leaky", {"shout": "return_secret_text"}, secret_names=["token"])
    )
    secret = "s" * 300
    await container.bindings().bind("desk", "leaky", secrets={"token": secret})
    toolset = await container.toolsets().load("desk")

    async with await container.tool_sessions().open(toolset) as session:
        short = await session.call("shout", {"text": "x"}, call_id="c1")
        long = await session.call("echo", {"text": "y" * 500}, call_id="c2")

    assert short.output == "Authorization: Bearer ********"  # scrubbed first, then measured
    assert len(long.output) < 250
    assert long.output.startswith('{"arguments": {"text": "yyy')
    assert long.output.endswith("\n[cut: 341 of 541 characters]")
