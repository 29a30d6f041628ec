"""The services the admin UI added: the catalog overview, binding config."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from application.agents import AgentService
from application.binding_config import BindingConfigs
from application.bindings import BindingService
from application.catalog import ToolFilter
from application.ports import UnitOfWorkFactory
from application.tool_overview import CatalogOverview
from application.tools import ToolService
from domain.errors import InvalidConfig, NotFound
from tests.builders import http_tool_document, python_tool_document

from .conftest import StoreSnapshot

CONFIG = {
    "type": "object",
    "properties": {"units": {"type": "string", "enum": ["metric", "imperial"]}},
    "required": ["units"],
}


async def test_the_overview_filters_and_counts_the_agents_bound(
    tools: ToolService,
    agents: AgentService,
    bindings: BindingService,
    unit_of_work: UnitOfWorkFactory,
) -> None:
    await tools.define(http_tool_document("weather", description="Forecasts by city."))
    await tools.define(python_tool_document("echoes", {"echo": "echo"}))
    for name in ("sales", "support"):
        await agents.create(name)
        await bindings.bind(name, "weather")
    overview = CatalogOverview(unit_of_work)

    every = await overview.entries()
    assert [(e.tool.name, [a.name for a in e.bound_by]) for e in every] == [
        ("echoes", []),
        ("weather", ["sales", "support"]),
    ]
    assert [e.tool.name for e in await overview.entries(ToolFilter(text="BY CITY"))] == ["weather"]
    assert [e.tool.name for e in await overview.entries(ToolFilter(kind="python"))] == ["echoes"]
    assert await overview.entries(ToolFilter(text="nothing like it")) == []


async def test_set_config_validates_against_the_latest_config_schema(
    tools: ToolService,
    agents: AgentService,
    bindings: BindingService,
    unit_of_work: UnitOfWorkFactory,
    snapshot: Callable[[], Awaitable[StoreSnapshot]],
) -> None:
    await tools.define(http_tool_document("weather", config_schema=CONFIG))
    await agents.create("support")
    await bindings.bind("support", "weather", config={"units": "metric"})
    configs = BindingConfigs(unit_of_work)

    before = await snapshot()
    with pytest.raises(InvalidConfig) as refused:
        await configs.set_config("support", "weather", {"units": "kelvin"})
    assert refused.value.problems[0].location == ("units",)
    assert await snapshot() == before

    changed = await configs.set_config("support", "weather", {"units": "imperial"})
    assert changed.config == {"units": "imperial"}
    assert (await agents.show("support")).bindings[0].config == {"units": "imperial"}


async def test_set_config_of_a_missing_binding_is_not_found(
    tools: ToolService, agents: AgentService, unit_of_work: UnitOfWorkFactory
) -> None:
    await tools.define(http_tool_document("weather"))
    await agents.create("support")
    with pytest.raises(NotFound, match="not bound"):
        await BindingConfigs(unit_of_work).set_config("support", "weather", {})
    with pytest.raises(NotFound, match="no agent"):
        await BindingConfigs(unit_of_work).set_config("nobody", "weather", {})
