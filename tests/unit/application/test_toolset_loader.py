"""``ToolsetLoader``: an agent's toolset at its tools' latest versions, with what was left out."""

from __future__ import annotations

import itertools

import pytest

from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.memory.unit_of_work import InMemoryStorage
from adapters.secrets.aes_gcm import AesGcmSecretCipher
from application.agents import AgentService
from application.bindings import BindingService
from application.identity_memo import IdentityMemo
from application.policies import HandlerPolicy
from application.ports import ModelCompatibility, UnitOfWorkFactory
from application.tools import ToolService
from application.toolsets import FittedConfig, ToolsetLoader
from domain.errors import NotFound
from domain.tools.kinds import ToolKind
from domain.toolset import AgentToolset, LeftOut
from tests.builders import TickingClock, http_tool_document, python_tool_document

UNITS_CONFIG = {
    "type": "object",
    "properties": {
        "units": {"type": "string", "default": "metric"},
        "lang": {"type": "string", "default": "en"},
    },
}


@pytest.fixture
def bindings(unit_of_work: UnitOfWorkFactory, clock: TickingClock) -> BindingService:
    """Binding ids run backwards (``b-9``, ``b-8``...) while the clock runs forwards.

    So whenever creation time and id order disagree, the tests show which one wins.
    """
    countdown = itertools.count(9, -1)
    return BindingService(unit_of_work, clock=clock, ids=lambda: f"b-{next(countdown)}")


@pytest.fixture(autouse=True)
async def support(agents: AgentService) -> str:
    """The agent ``support``; returns its id."""
    return (await agents.create("support")).id


def left_out_of(toolset: AgentToolset, tool: str) -> list[LeftOut]:
    return [item for item in toolset.left_out if item.tool_name == tool]


# ------------------------------------------------------------------ following versions


async def test_a_binding_follows_the_latest_version_of_its_tool(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    await tools.define(http_tool_document("weather", ["get_forecast"]))
    binding = await bindings.bind("support", "weather")
    await tools.define(http_tool_document("weather", ["get_forecast", "get_alerts"]))

    toolset = await loader.load("support")

    assert toolset.function_names == ("get_forecast", "get_alerts")
    assert {f.tool.version for f in toolset.functions} == {2}
    assert toolset.injections[binding.id].tool_version == 2
    assert toolset.left_out == ()


async def test_a_loaded_toolset_keeps_its_versions_after_an_edit(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    await tools.define(http_tool_document("weather", description="v1"))
    await bindings.bind("support", "weather")
    session = await loader.load("support")

    await tools.define(http_tool_document("weather", description="v2"))

    assert session.function("get_forecast").tool.description == "v1"
    assert (await loader.load("support")).function("get_forecast").tool.description == "v2"


async def test_load_by_id_or_name_gives_the_same_toolset(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader, support: str
) -> None:
    await tools.define(http_tool_document("weather"))
    await bindings.bind("support", "weather")

    assert await loader.load(support) == await loader.load("support")


async def test_an_injection_carries_config_with_defaults_secrets_and_identity(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader, support: str
) -> None:
    await tools.define(
        http_tool_document("weather", config_schema=UNITS_CONFIG, secret_names=["api_key"])
    )
    binding = await bindings.bind(
        "support", "weather", config={"units": "imperial"}, secrets={"api_key": "k-1"}
    )

    toolset = await loader.load("support")

    injection = toolset.injection_for(toolset.function("get_forecast"))
    assert (injection.agent_id, injection.binding_id, injection.tool_name) == (
        support,
        binding.id,
        "weather",
    )
    assert dict(injection.config) == {"units": "imperial", "lang": "en"}
    assert injection.secret("api_key") == "k-1"


async def test_loading_an_unknown_agent_raises_not_found(loader: ToolsetLoader) -> None:
    with pytest.raises(NotFound):
        await loader.load("ghost")


# ------------------------------------------------------------------ evolving tools


async def test_a_binding_whose_config_fails_the_new_schema_is_left_out_and_others_load(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    await tools.define(http_tool_document("weather", config_schema=UNITS_CONFIG))
    await tools.define(http_tool_document("news", ["get_headlines"]))
    weather = await bindings.bind("support", "weather", config={"units": "imperial"})
    await bindings.bind("support", "news")
    stricter = {
        "type": "object",
        "properties": {"units": {"type": "string", "enum": ["si", "us"]}},
    }
    await tools.define(http_tool_document("weather", config_schema=stricter))

    toolset = await loader.load("support")

    assert toolset.function_names == ("get_headlines",)
    [broken] = left_out_of(toolset, "weather")
    assert (broken.binding_id, broken.function) == (weather.id, None)
    assert "units" in broken.reason
    assert "version 2" in broken.reason
    assert weather.id not in toolset.injections


async def test_a_config_is_fitted_once_per_tool_version_and_again_when_either_changes(
    tools: ToolService,
    bindings: BindingService,
    unit_of_work: UnitOfWorkFactory,
    policy: HandlerPolicy,
) -> None:
    fits: IdentityMemo[FittedConfig] = IdentityMemo()
    loader = ToolsetLoader(unit_of_work, InMemoryModelCompatibility(), policy, ToolKind, fits=fits)
    await tools.define(http_tool_document("weather", config_schema=UNITS_CONFIG))
    weather = await bindings.bind("support", "weather", config={"units": "imperial"})

    first, second = await loader.load("support"), await loader.load("support")
    fitted_once = len(fits)
    await bindings.configure("support", "weather", config={"lang": "fr"}, functions=None)
    reconfigured = await loader.load("support")
    await tools.define(
        http_tool_document(
            "weather",
            config_schema={"type": "object", "properties": {"units": {"enum": ["si"]}}},
        )
    )
    misfit, misfit_again = await loader.load("support"), await loader.load("support")

    assert fitted_once == 1
    assert dict(first.injections[weather.id].config) == {"units": "imperial", "lang": "en"}
    assert dict(second.injections[weather.id].config) == {"units": "imperial", "lang": "en"}
    assert dict(reconfigured.injections[weather.id].config) == {"units": "metric", "lang": "fr"}
    assert left_out_of(misfit, "weather") == left_out_of(misfit_again, "weather")
    assert "version 2" in left_out_of(misfit_again, "weather")[0].reason
    assert len(fits) == 3


async def test_a_binding_missing_a_secret_the_new_version_requires_is_left_out(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    await tools.define(http_tool_document("weather"))
    await tools.define(http_tool_document("news", ["get_headlines"]))
    await bindings.bind("support", "weather")
    await bindings.bind("support", "news")
    await tools.define(http_tool_document("weather", secret_names=["api_key"]))

    toolset = await loader.load("support")

    assert toolset.function_names == ("get_headlines",)
    [broken] = left_out_of(toolset, "weather")
    assert "api_key" in broken.reason


async def test_a_binding_whose_allowlisted_function_is_gone_is_left_out(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    await tools.define(http_tool_document("weather", ["get_forecast", "get_alerts"]))
    await tools.define(http_tool_document("news", ["get_headlines"]))
    await bindings.bind("support", "weather", functions=["get_alerts"])
    await bindings.bind("support", "news")
    await tools.define(http_tool_document("weather", ["get_forecast"]))

    toolset = await loader.load("support")

    assert toolset.function_names == ("get_headlines",)
    [broken] = left_out_of(toolset, "weather")
    assert "get_alerts" in broken.reason


async def test_disabled_bindings_are_absent_altogether(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    await tools.define(http_tool_document("weather"))
    await tools.define(http_tool_document("news", ["get_headlines"]))
    weather = await bindings.bind("support", "weather", enabled=False)
    await bindings.bind("support", "news")

    toolset = await loader.load("support")

    assert toolset.function_names == ("get_headlines",)
    assert toolset.left_out == ()
    assert weather.id not in toolset.injections


async def test_an_allowlist_offers_only_the_functions_it_names(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    await tools.define(http_tool_document("weather", ["get_forecast", "get_alerts"]))
    await bindings.bind("support", "weather", functions=["get_alerts"])

    toolset = await loader.load("support")

    assert toolset.function_names == ("get_alerts",)
    assert toolset.left_out == ()


# ------------------------------------------------------------------ per-function checks


async def test_a_handler_outside_the_load_time_allowlist_is_left_out_per_function(
    unit_of_work: UnitOfWorkFactory, tools: ToolService, bindings: BindingService
) -> None:
    await tools.define(
        python_tool_document("mixed", {"echo": "echo", "legacy": "tests.handlers.legacy_tools:run"})
    )
    binding = await bindings.bind("support", "mixed")
    narrower = HandlerPolicy(("tests.handlers.echo_tools",))
    loader = ToolsetLoader(unit_of_work, InMemoryModelCompatibility(), narrower, ToolKind)

    toolset = await loader.load("support")

    assert toolset.function_names == ("echo",)
    [refused] = toolset.left_out
    assert (refused.binding_id, refused.function) == (binding.id, "legacy")
    assert "tests.handlers.legacy_tools:run" in refused.reason


async def test_a_function_the_target_model_rejects_is_left_out_per_function(
    unit_of_work: UnitOfWorkFactory,
    tools: ToolService,
    bindings: BindingService,
    picky: ModelCompatibility,
    policy: HandlerPolicy,
) -> None:
    await tools.define(http_tool_document("ops", ["get_status", "x_reboot"]))
    binding = await bindings.bind("support", "ops")
    loader = ToolsetLoader(unit_of_work, picky, policy, ToolKind)

    toolset = await loader.load("support")

    assert toolset.function_names == ("get_status",)
    [refused] = toolset.left_out
    assert (refused.binding_id, refused.function) == (binding.id, "x_reboot")
    assert "picky-model" in refused.reason
    assert "reserved" in refused.reason


# ------------------------------------------------------------------ collisions at load


async def test_a_name_a_later_binding_gains_stays_with_the_earlier_binding(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    await tools.define(http_tool_document("weather", ["get_forecast"]))
    await tools.define(http_tool_document("news", ["get_headlines"]))
    earlier = await bindings.bind("support", "weather")
    later = await bindings.bind("support", "news")
    assert earlier.created_at < later.created_at
    assert earlier.id > later.id
    await tools.define(http_tool_document("news", ["get_headlines", "get_forecast"]))

    toolset = await loader.load("support")

    assert toolset.function("get_forecast").binding_id == earlier.id
    assert toolset.function("get_headlines").binding_id == later.id
    [clash] = toolset.left_out
    assert (clash.tool_name, clash.binding_id, clash.function) == ("news", later.id, "get_forecast")
    assert "'weather'" in clash.reason


async def test_a_name_the_earlier_binding_gains_is_taken_from_the_later_one(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    await tools.define(http_tool_document("weather", ["get_forecast"]))
    await tools.define(http_tool_document("news", ["get_headlines"]))
    earlier = await bindings.bind("support", "weather")
    later = await bindings.bind("support", "news")
    await tools.define(http_tool_document("weather", ["get_forecast", "get_headlines"]))

    toolset = await loader.load("support")

    assert toolset.function("get_headlines").binding_id == earlier.id
    [clash] = toolset.left_out
    assert (clash.binding_id, clash.function) == (later.id, "get_headlines")
    assert later.id in toolset.injections


async def test_collision_resolution_gives_the_same_toolset_on_every_load(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    for name in ("alpha", "beta", "gamma"):
        await tools.define(http_tool_document(name, [f"{name}_only"]))
        await bindings.bind("support", name)
    for name in ("gamma", "beta", "alpha"):
        await tools.define(http_tool_document(name, [f"{name}_only", "shared"]))

    loads = [await loader.load("support") for _ in range(3)]

    assert loads[0] == loads[1] == loads[2]
    assert loads[0].function("shared").tool.name == "alpha"
    assert [(o.tool_name, o.function) for o in loads[0].left_out] == [
        ("beta", "shared"),
        ("gamma", "shared"),
    ]


async def test_a_name_held_by_a_broken_earlier_binding_goes_to_the_later_one(
    tools: ToolService, bindings: BindingService, loader: ToolsetLoader
) -> None:
    await tools.define(http_tool_document("weather", ["get_forecast"]))
    await tools.define(http_tool_document("forecasts", ["get_outlook"]))
    await bindings.bind("support", "weather")
    later = await bindings.bind("support", "forecasts")
    await tools.define(http_tool_document("forecasts", ["get_outlook", "get_forecast"]))
    await tools.define(http_tool_document("weather", ["get_forecast"], secret_names=["api_key"]))

    toolset = await loader.load("support")

    assert toolset.function("get_forecast").binding_id == later.id
    assert [(o.tool_name, o.function) for o in toolset.left_out] == [("weather", None)]


async def test_a_binding_whose_secrets_no_longer_decrypt_is_left_out_and_the_rest_load(
    storage: InMemoryStorage,
    tools: ToolService,
    bindings: BindingService,
    loader: ToolsetLoader,
) -> None:
    old_key, new_key = bytes(range(32)), bytes(range(1, 33))
    storage.cipher = AesGcmSecretCipher([("old", old_key)])
    await tools.define(http_tool_document("mail", ["send_mail"], secret_names=["token"]))
    await tools.define(http_tool_document("weather", ["get_forecast"], secret_names=["token"]))
    await bindings.bind("support", "mail", secrets={"token": "under-the-old-key"})
    storage.cipher = AesGcmSecretCipher([("new", new_key), ("old", old_key)])
    await bindings.bind("support", "weather", secrets={"token": "under-the-new-key"})

    storage.cipher = AesGcmSecretCipher([("new", new_key)])  # the old key was dropped
    toolset = await loader.load("support")

    assert toolset.function_names == ("get_forecast",)
    [left] = left_out_of(toolset, "mail")
    assert left.function is None
    assert left.reason.startswith("its secrets cannot be read: ")
    assert "key 'old'" in left.reason
    assert "under-the-old-key" not in str(left)


async def test_a_function_of_a_kind_no_executor_runs_is_left_out_with_the_reason(
    unit_of_work: UnitOfWorkFactory,
    tools: ToolService,
    bindings: BindingService,
    policy: HandlerPolicy,
) -> None:
    await tools.define(http_tool_document("weather", ("get_forecast",)))
    await tools.define(python_tool_document("echoes", {"echo": "echo"}))
    await bindings.bind("support", "weather")
    await bindings.bind("support", "echoes")
    python_only = ToolsetLoader(
        unit_of_work, InMemoryModelCompatibility(), policy, {ToolKind.PYTHON}
    )

    toolset = await python_only.load("support")

    assert toolset.function_names == ("echo",)
    assert [(left.tool_name, left.function, left.reason) for left in toolset.left_out] == [
        (
            "weather",
            "get_forecast",
            "http tools cannot run here yet: no executor of this runtime runs them",
        )
    ]
