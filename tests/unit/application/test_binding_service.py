"""``BindingService``: bind, unbind, enable, disable, set and remove secrets.

Every refusal is checked to change nothing, by reading the whole store back
through the ports before and after.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from application.agents import AgentService
from application.bindings import BindingService
from application.ports import UnitOfWorkFactory
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.bindings import AgentToolBinding
from domain.errors import BindingRefused, Conflict, NotFound
from tests.builders import EPOCH, http_tool_document

from .conftest import StoreSnapshot

WEATHER_CONFIG = {
    "type": "object",
    "properties": {
        "units": {"type": "string", "enum": ["metric", "imperial"], "default": "metric"},
        "city": {"type": "string"},
    },
    "required": ["city"],
}

Snapshot = Callable[[], Awaitable[StoreSnapshot]]


@pytest.fixture(autouse=True)
async def catalog(tools: ToolService, agents: AgentService) -> None:
    """Agents ``support`` and ``sales``; tools ``weather`` (config + secret) and ``news``."""
    await tools.define(
        http_tool_document(
            "weather",
            ["get_forecast", "get_alerts"],
            config_schema=WEATHER_CONFIG,
            secret_names=["api_key"],
        )
    )
    await tools.define(http_tool_document("news", ["get_headlines"]))
    await tools.define(http_tool_document("forecasts", ["get_forecast", "get_outlook"]))
    await agents.create("support")
    await agents.create("sales")


async def stored(unit_of_work: UnitOfWorkFactory, agent: str, tool: str) -> AgentToolBinding:
    async with unit_of_work() as uow:
        found = await uow.agents.find_by_name(agent)
        assert found is not None
        binding = await uow.bindings.get(found.id, tool)
    assert binding is not None, f"{agent} is not bound to {tool}"
    return binding


async def bind_weather(bindings: BindingService, **options: Any) -> AgentToolBinding:
    """Bind ``support`` to ``weather`` with a valid config and secret unless told otherwise."""
    arguments: dict[str, Any] = {"config": {"city": "Oslo"}, "secrets": {"api_key": "k-1"}}
    return await bindings.bind("support", "weather", **(arguments | options))


# ------------------------------------------------------------------ bind


async def test_bind_stores_the_config_as_given_and_defaults_apply_at_load(
    bindings: BindingService, loader: ToolsetLoader, unit_of_work: UnitOfWorkFactory
) -> None:
    made = await bind_weather(bindings)

    binding = await stored(unit_of_work, "support", "weather")
    assert binding == made
    assert dict(binding.config) == {"city": "Oslo"}
    toolset = await loader.load("support")
    assert dict(toolset.injections[binding.id].config) == {"city": "Oslo", "units": "metric"}


async def test_bind_records_the_clock_time_and_every_option(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory
) -> None:
    await bindings.bind("support", "news")

    made = await bind_weather(bindings, functions=["get_alerts"], enabled=False)

    binding = await stored(unit_of_work, "support", "weather")
    assert binding.created_at == made.created_at
    assert binding.created_at > EPOCH
    assert binding.functions == ("get_alerts",)
    assert binding.enabled is False
    assert binding.secrets["api_key"].reveal() == "k-1"


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"city": "Oslo", "units": "kelvin"}, "units"),
        ({}, "city"),
        ({"city": ["Oslo"]}, "city"),
        ({"city": "Oslo", "colour": "red"}, "colour"),
    ],
    ids=["bad-enum", "missing-required", "wrong-type", "unknown-key"],
)
async def test_bind_with_a_config_the_schema_rejects_is_refused_naming_the_key(
    bindings: BindingService, snapshot: Snapshot, config: dict[str, Any], named: str
) -> None:
    before = await snapshot()

    with pytest.raises(BindingRefused) as caught:
        await bind_weather(bindings, config=config)

    assert named in str(caught.value)
    assert await snapshot() == before


async def test_bind_without_a_required_secret_is_refused_naming_it(
    bindings: BindingService, snapshot: Snapshot
) -> None:
    before = await snapshot()

    with pytest.raises(BindingRefused, match="api_key"):
        await bind_weather(bindings, secrets={})

    assert await snapshot() == before


async def test_bind_with_an_undeclared_secret_is_refused_naming_it(
    bindings: BindingService, snapshot: Snapshot
) -> None:
    before = await snapshot()

    with pytest.raises(BindingRefused, match="'password'"):
        await bind_weather(bindings, secrets={"api_key": "k-1", "password": "hunter2"})

    assert await snapshot() == before


async def test_bind_with_an_allowlist_naming_an_unknown_function_is_refused(
    bindings: BindingService, snapshot: Snapshot
) -> None:
    before = await snapshot()

    with pytest.raises(BindingRefused) as caught:
        await bind_weather(bindings, functions=["get_forecast", "get_weather"])

    assert "'get_weather'" in str(caught.value)
    assert "get_alerts" in str(caught.value)
    assert await snapshot() == before


async def test_bind_whose_function_names_collide_is_refused_naming_function_and_tool(
    bindings: BindingService, snapshot: Snapshot
) -> None:
    await bind_weather(bindings)
    before = await snapshot()

    with pytest.raises(Conflict) as caught:
        await bindings.bind("support", "forecasts")

    assert "get_forecast" in str(caught.value)
    assert "'weather'" in str(caught.value)
    assert "get_outlook" not in str(caught.value)
    assert await snapshot() == before


async def test_the_same_function_names_are_fine_for_two_different_agents(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory
) -> None:
    await bind_weather(bindings)

    await bindings.bind("sales", "forecasts")

    assert (await stored(unit_of_work, "sales", "forecasts")).enabled


async def test_a_colliding_binding_may_be_made_disabled(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory
) -> None:
    await bind_weather(bindings)

    await bindings.bind("support", "forecasts", enabled=False)

    assert (await stored(unit_of_work, "support", "forecasts")).enabled is False


async def test_names_of_a_disabled_binding_are_free(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory
) -> None:
    await bind_weather(bindings, enabled=False)

    await bindings.bind("support", "forecasts")

    assert (await stored(unit_of_work, "support", "forecasts")).enabled


async def test_an_allowlist_that_leaves_the_colliding_name_out_avoids_the_conflict(
    bindings: BindingService, loader: ToolsetLoader
) -> None:
    await bind_weather(bindings)

    await bindings.bind("support", "forecasts", functions=["get_outlook"])

    toolset = await loader.load("support")
    assert sorted(toolset.function_names) == ["get_alerts", "get_forecast", "get_outlook"]
    assert toolset.function("get_forecast").tool.name == "weather"


async def test_names_left_out_of_an_existing_allowlist_are_free(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory
) -> None:
    await bind_weather(bindings, functions=["get_alerts"])

    await bindings.bind("support", "forecasts")

    assert (await stored(unit_of_work, "support", "forecasts")).enabled


async def test_binding_an_agent_to_a_tool_twice_is_a_conflict(
    bindings: BindingService, snapshot: Snapshot
) -> None:
    await bindings.bind("support", "news")
    before = await snapshot()

    with pytest.raises(Conflict, match="already bound"):
        await bindings.bind("support", "news", enabled=False)

    assert await snapshot() == before


@pytest.mark.parametrize(("agent", "tool"), [("ghost", "news"), ("support", "nothing")])
async def test_bind_of_an_unknown_agent_or_tool_raises_not_found(
    bindings: BindingService, snapshot: Snapshot, agent: str, tool: str
) -> None:
    before = await snapshot()

    with pytest.raises(NotFound):
        await bindings.bind(agent, tool)

    assert await snapshot() == before


# ------------------------------------------------------------------ unbind


async def test_unbind_removes_the_binding_with_its_secrets(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory, agents: AgentService
) -> None:
    made = await bind_weather(bindings)

    removed = await bindings.unbind("support", "weather")

    assert removed == made
    async with unit_of_work() as uow:
        agent = await uow.agents.find_by_name("support")
        assert agent is not None
        assert await uow.bindings.get(agent.id, "weather") is None
        assert await uow.bindings.for_tool("weather") == []
    assert (await agents.show("support")).bindings == ()


async def test_unbind_then_bind_again_starts_afresh(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory
) -> None:
    first = await bind_weather(bindings)
    await bindings.unbind("support", "weather")

    second = await bind_weather(bindings, secrets={"api_key": "k-2"})

    binding = await stored(unit_of_work, "support", "weather")
    assert binding.id == second.id != first.id
    assert binding.secrets["api_key"].reveal() == "k-2"


@pytest.mark.parametrize(("agent", "tool"), [("ghost", "news"), ("support", "news")])
async def test_unbind_of_an_unknown_agent_or_binding_raises_not_found(
    bindings: BindingService, agent: str, tool: str
) -> None:
    with pytest.raises(NotFound):
        await bindings.unbind(agent, tool)


# ------------------------------------------------------------------ enable / disable


async def test_set_enabled_disables_and_enables_a_binding(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory, loader: ToolsetLoader
) -> None:
    await bindings.bind("support", "news")

    await bindings.set_enabled("support", "news", False)
    disabled = await stored(unit_of_work, "support", "news")
    assert disabled.enabled is False
    assert (await loader.load("support")).function_names == ()

    await bindings.set_enabled("support", "news", True)
    assert (await stored(unit_of_work, "support", "news")).enabled is True
    assert (await loader.load("support")).function_names == ("get_headlines",)


async def test_set_enabled_keeps_config_secrets_and_creation_time(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory
) -> None:
    made = await bind_weather(bindings, functions=["get_forecast"])

    await bindings.set_enabled("support", "weather", False)

    binding = await stored(unit_of_work, "support", "weather")
    assert (binding.id, binding.config, binding.secrets, binding.created_at, binding.functions) == (
        made.id,
        made.config,
        made.secrets,
        made.created_at,
        made.functions,
    )


async def test_enabling_a_binding_whose_names_collide_is_refused(
    bindings: BindingService, snapshot: Snapshot, unit_of_work: UnitOfWorkFactory
) -> None:
    await bind_weather(bindings)
    await bindings.bind("support", "forecasts", enabled=False)
    before = await snapshot()

    with pytest.raises(Conflict, match="get_forecast"):
        await bindings.set_enabled("support", "forecasts", True)

    assert await snapshot() == before
    assert (await stored(unit_of_work, "support", "forecasts")).enabled is False


async def test_enabling_after_the_other_binding_is_disabled_succeeds(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory
) -> None:
    await bind_weather(bindings)
    await bindings.bind("support", "forecasts", enabled=False)
    await bindings.set_enabled("support", "weather", False)

    await bindings.set_enabled("support", "forecasts", True)

    assert (await stored(unit_of_work, "support", "forecasts")).enabled is True


async def test_set_enabled_of_an_unknown_binding_raises_not_found(
    bindings: BindingService,
) -> None:
    with pytest.raises(NotFound):
        await bindings.set_enabled("support", "news", True)


# ------------------------------------------------------------------ secrets


async def test_set_secret_replaces_the_value(
    bindings: BindingService, unit_of_work: UnitOfWorkFactory
) -> None:
    await bind_weather(bindings)

    changed = await bindings.set_secret("support", "weather", "api_key", "k-rotated")

    binding = await stored(unit_of_work, "support", "weather")
    assert binding == changed
    assert binding.secrets["api_key"].reveal() == "k-rotated"
    assert dict(binding.config) == {"city": "Oslo"}


async def test_set_secret_with_an_undeclared_name_is_refused(
    bindings: BindingService, snapshot: Snapshot
) -> None:
    await bind_weather(bindings)
    before = await snapshot()

    with pytest.raises(BindingRefused, match="'token'"):
        await bindings.set_secret("support", "weather", "token", "t-1")

    assert await snapshot() == before


async def test_set_secret_of_an_unknown_binding_raises_not_found(
    bindings: BindingService,
) -> None:
    with pytest.raises(NotFound):
        await bindings.set_secret("support", "weather", "api_key", "k-1")


async def test_remove_secret_the_tool_requires_is_refused(
    bindings: BindingService, snapshot: Snapshot
) -> None:
    await bind_weather(bindings)
    before = await snapshot()

    with pytest.raises(BindingRefused, match="requires the secret 'api_key'"):
        await bindings.remove_secret("support", "weather", "api_key")

    assert await snapshot() == before


async def test_remove_secret_that_is_not_set_raises_not_found(
    bindings: BindingService, snapshot: Snapshot
) -> None:
    await bind_weather(bindings)
    before = await snapshot()

    with pytest.raises(NotFound, match="'token'"):
        await bindings.remove_secret("support", "weather", "token")

    assert await snapshot() == before


async def test_remove_secret_the_latest_version_no_longer_needs_succeeds(
    bindings: BindingService, tools: ToolService, unit_of_work: UnitOfWorkFactory
) -> None:
    await bind_weather(bindings)
    await tools.define(
        http_tool_document("weather", ["get_forecast", "get_alerts"], config_schema=WEATHER_CONFIG)
    )

    changed = await bindings.remove_secret("support", "weather", "api_key")

    binding = await stored(unit_of_work, "support", "weather")
    assert binding == changed
    assert binding.secret_names == ()


BAD_SECRETS = {
    "empty": ("", "has an empty value"),
    "a lone surrogate": ("tok\ud800en", "is not valid Unicode text"),
    "one byte over the limit": ("é" * 8 + "x", "is 17 bytes; at most 16 are accepted"),
}


@pytest.mark.parametrize(("value", "says"), BAD_SECRETS.values(), ids=BAD_SECRETS.keys())
async def test_a_bad_secret_value_is_refused_for_any_caller_and_changes_nothing(
    unit_of_work: UnitOfWorkFactory, snapshot: Snapshot, value: str, says: str
) -> None:
    bindings = BindingService(unit_of_work, max_secret_bytes=16)
    await bind_weather(bindings, secrets={"api_key": "é" * 8})  # 16 bytes: at the limit
    before = await snapshot()

    with pytest.raises(BindingRefused, match=says):
        await bindings.set_secret("support", "weather", "api_key", value)
    with pytest.raises(BindingRefused, match=says):
        await bindings.bind("sales", "weather", config={"city": "Oslo"}, secrets={"api_key": value})

    assert await snapshot() == before
