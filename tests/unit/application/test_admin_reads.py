"""The services the admin UI added: lint without saving, the catalog overview, binding config."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from application.agents import AgentService
from application.binding_config import BindingConfigs
from application.bindings import BindingService
from application.offering import OfferAsStored
from application.policies import HandlerPolicy
from application.ports import ModelCompatibility, UnitOfWorkFactory
from application.tool_lint import ToolLinter
from application.tool_overview import CatalogOverview
from application.tools import ToolService
from domain.errors import InvalidConfig, NotFound
from tests.builders import function_doc, http_tool_document, python_tool_document

from .conftest import StoreSnapshot

CONFIG = {
    "type": "object",
    "properties": {"units": {"type": "string", "enum": ["metric", "imperial"]}},
    "required": ["units"],
}


@pytest.fixture
def linter(tools: ToolService, picky: ModelCompatibility, policy: HandlerPolicy) -> ToolLinter:
    return ToolLinter(tools, picky, policy, OfferAsStored())


async def test_lint_accepts_a_valid_document_and_shows_what_the_model_sees(
    linter: ToolLinter, snapshot: Callable[[], Awaitable[StoreSnapshot]]
) -> None:
    before = await snapshot()
    verdict = linter.lint(http_tool_document("weather", ["get_forecast"]))
    assert verdict.definable
    assert verdict.problems == ()
    (function,) = verdict.functions
    assert function.accepted
    assert function.offered is not None
    assert function.offered["name"] == "get_forecast"
    assert await snapshot() == before


def test_lint_names_each_problem_with_its_path(linter: ToolLinter) -> None:
    document = http_tool_document("weather")
    document["tool_functions_schema"]["functions"][0]["parameters"]["type"] = "array"
    verdict = linter.lint(document)
    assert not verdict.definable
    assert verdict.tool is None
    assert any(p.path.startswith("tool_functions_schema.functions[0]") for p in verdict.problems)


def test_lint_reports_the_models_refusal_per_function(linter: ToolLinter) -> None:
    verdict = linter.lint(http_tool_document("weather", ["x_secret_op", "fine"]))
    assert not verdict.definable
    refused, accepted = verdict.functions
    assert (refused.name, refused.accepted, refused.offered) == ("x_secret_op", False, None)
    assert "reserved" in refused.reasons[0]
    assert accepted.accepted


def test_lint_refuses_a_handler_outside_the_allowlist(linter: ToolLinter) -> None:
    document = python_tool_document("local", {"run": "os:system"}, functions=[function_doc("run")])
    verdict = linter.lint(document)
    assert not verdict.definable
    assert [p.path for p in verdict.problems] == ["run.handlers.run"]


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
    assert [(e.tool.name, e.bound_by) for e in every] == [
        ("echoes", ()),
        ("weather", ("sales", "support")),
    ]
    assert [e.tool.name for e in await overview.entries("BY CITY")] == ["weather"]
    assert [e.tool.name for e in await overview.entries(kind="python")] == ["echoes"]
    assert await overview.entries("nothing like it") == []


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
