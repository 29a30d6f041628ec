"""The catalog overview the admin UI added: filters, and the agents bound to each tool."""

from __future__ import annotations

from application.agents import AgentService
from application.bindings import BindingService
from application.catalog import ToolFilter
from application.ports import UnitOfWorkFactory
from application.tool_overview import CatalogOverview
from application.tools import ToolService
from tests.builders import http_tool_document, python_tool_document


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
