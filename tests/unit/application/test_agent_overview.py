"""``AgentOverviews``: an agent, its bindings, its toolset and all it goes without, at once."""

from __future__ import annotations

import pytest

from application.agents import AgentService
from application.bindings import BindingService
from application.overview import DISABLED_REASON, AgentOverviews
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.errors import NotFound
from domain.toolset import LeftOut
from tests.builders import http_tool_document


@pytest.fixture
def overviews(agents: AgentService, loader: ToolsetLoader) -> AgentOverviews:
    return AgentOverviews(agents, loader)


async def test_the_overview_joins_bindings_toolset_and_every_left_out(
    overviews: AgentOverviews, agents: AgentService, tools: ToolService, bindings: BindingService
) -> None:
    agent = await agents.create("support")
    for name in ("weather", "news", "sport"):
        await tools.define(http_tool_document(name, [f"get_{name}"]))
    weather = await bindings.bind("support", "weather")
    news = await bindings.bind("support", "news", enabled=False)
    sport = await bindings.bind("support", "sport")
    await tools.define(http_tool_document("sport", ["get_sport"], secret_names=["key"]))

    overview = await overviews.overview(agent.id)

    assert overview.agent == agent
    assert [binding.id for binding in overview.bindings] == [weather.id, news.id, sport.id]
    assert [function.name for function in overview.toolset.functions] == ["get_weather"]
    [needs_secret] = overview.toolset.left_out
    assert needs_secret.binding_id == sport.id
    assert overview.left_out == (needs_secret, LeftOut("news", news.id, DISABLED_REASON))
    assert (await overviews.overview("support")) == overview


async def test_the_overview_of_an_unknown_agent_raises_not_found(
    overviews: AgentOverviews,
) -> None:
    with pytest.raises(NotFound, match="'ghost'"):
        await overviews.overview("ghost")
