"""The repository contract: what every storage backend promises through the ports.

Runs once per backend of ``conftest.BACKENDS``. It uses ``application.ports`` only,
never an adapter's internals, so a new backend passes it or has a bug. Every test
starts from an empty store. Where a backend may refuse a write either at once or at
commit (a database checks a unique index at insert, the in-memory store at commit),
the test accepts both.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import Awaitable, Callable
from datetime import timedelta
from types import TracebackType
from typing import Any, Self, TypeVar

import pytest

from adapters.memory.compatibility import InMemoryModelCompatibility
from application.policies import HandlerPolicy
from application.ports import UnitOfWork, UnitOfWorkFactory
from application.tools import DefineOutcome, ToolService
from domain.agents import ModelSettings, VoiceAgent
from domain.bindings import AgentToolBinding
from domain.errors import Conflict, NotFound, VersionConflict
from domain.secrets import Secret
from domain.tools.definition import ToolDefinition
from tests.builders import (
    CANARY,
    EPOCH,
    agent_binding,
    http_tool_document,
    tool_definition,
    voice_agent,
)

# ------------------------------------------------------------------ helpers

T = TypeVar("T")


def tool(name: str = "weather", version: int = 1, **changes: Any) -> ToolDefinition:
    """A valid http tool at ``version``; ``changes`` go to :func:`http_tool_document`."""
    return tool_definition(http_tool_document(name, **changes), version)


def tool_versions(name: str, count: int) -> list[ToolDefinition]:
    """``count`` successive versions of one tool, each with different content."""
    return [
        tool(name, version, description=f"{name}, revision {version}")
        for version in range(1, count + 1)
    ]


async def store(
    storage: UnitOfWorkFactory, *items: ToolDefinition | VoiceAgent | AgentToolBinding
) -> None:
    """Store tool versions, agents and bindings in one committed unit of work."""
    async with storage() as uow:
        for item in items:
            if isinstance(item, ToolDefinition):
                await uow.tools.add_version(item)
            elif isinstance(item, VoiceAgent):
                await uow.agents.add(item)
            else:
                await uow.bindings.add(item)
        await uow.commit()


async def write(
    storage: UnitOfWorkFactory, change: Callable[[UnitOfWork], Awaitable[object]]
) -> None:
    """Make one change in a fresh unit of work and commit it."""
    async with storage() as uow:
        await change(uow)
        await uow.commit()


async def read(storage: UnitOfWorkFactory, query: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run one read in a fresh, read-only unit of work."""
    async with storage(read_only=True) as uow:
        return await query(uow)


# ------------------------------------------------------------------ tool catalog


async def test_a_stored_version_reads_back_equal_by_latest_and_by_number(
    storage: UnitOfWorkFactory,
) -> None:
    weather = tool(config_schema={"type": "object", "properties": {"units": {"type": "string"}}})
    await store(storage, weather)

    latest = await read(storage, lambda uow: uow.tools.latest("weather"))
    first = await read(storage, lambda uow: uow.tools.version("weather", 1))

    assert latest == weather
    assert first == weather
    assert latest is not None
    assert latest.to_document() == weather.to_document()


async def test_an_unknown_tool_reads_as_none_and_no_versions(storage: UnitOfWorkFactory) -> None:
    await store(storage, tool("weather"))

    assert await read(storage, lambda uow: uow.tools.latest("nothing")) is None
    assert await read(storage, lambda uow: uow.tools.version("nothing", 1)) is None
    assert await read(storage, lambda uow: uow.tools.version("weather", 2)) is None
    assert await read(storage, lambda uow: uow.tools.versions("nothing")) == []


async def test_versions_come_back_oldest_first_and_latest_is_the_highest(
    storage: UnitOfWorkFactory,
) -> None:
    revisions = tool_versions("weather", 3)
    for revision in revisions:
        await store(storage, revision)

    versions = await read(storage, lambda uow: uow.tools.versions("weather"))
    latest = await read(storage, lambda uow: uow.tools.latest("weather"))
    second = await read(storage, lambda uow: uow.tools.version("weather", 2))

    assert versions == revisions
    assert latest == revisions[2]
    assert second == revisions[1]


async def test_list_latest_gives_each_tools_latest_version_sorted_by_name(
    storage: UnitOfWorkFactory,
) -> None:
    zulu, alpha = tool("zulu"), tool_versions("alpha", 2)
    await store(storage, zulu, alpha[0])
    await store(storage, tool("mike"), alpha[1])

    listed = await read(storage, lambda uow: uow.tools.list_latest())

    assert [(t.name, t.version) for t in listed] == [("alpha", 2), ("mike", 1), ("zulu", 1)]
    assert listed[0] == alpha[1]


async def test_adding_a_taken_version_raises_version_conflict(storage: UnitOfWorkFactory) -> None:
    await store(storage, tool("weather", description="first"))

    with pytest.raises(VersionConflict):
        await write(
            storage, lambda uow: uow.tools.add_version(tool("weather", description="another first"))
        )

    versions = await read(storage, lambda uow: uow.tools.versions("weather"))
    assert [v.description for v in versions] == ["first"]


async def test_delete_removes_every_version_of_the_tool_only(storage: UnitOfWorkFactory) -> None:
    await store(storage, *tool_versions("weather", 2), tool("news"))

    await write(storage, lambda uow: uow.tools.delete("weather"))

    assert await read(storage, lambda uow: uow.tools.latest("weather")) is None
    assert await read(storage, lambda uow: uow.tools.version("weather", 1)) is None
    assert await read(storage, lambda uow: uow.tools.versions("weather")) == []
    remaining = await read(storage, lambda uow: uow.tools.list_latest())
    assert [t.name for t in remaining] == ["news"]


async def test_deleting_an_unknown_tool_is_a_no_op(storage: UnitOfWorkFactory) -> None:
    await store(storage, tool("news"))

    await write(storage, lambda uow: uow.tools.delete("nothing"))

    assert [t.name for t in await read(storage, lambda uow: uow.tools.list_latest())] == ["news"]


async def test_a_deleted_tools_name_starts_again_at_version_1(storage: UnitOfWorkFactory) -> None:
    await store(storage, *tool_versions("weather", 2))
    await write(storage, lambda uow: uow.tools.delete("weather"))

    reborn = tool("weather", description="reborn")
    await store(storage, reborn)

    assert await read(storage, lambda uow: uow.tools.versions("weather")) == [reborn]


# ------------------------------------------------------------------ agents


async def test_an_added_agent_reads_back_by_id_and_by_name(storage: UnitOfWorkFactory) -> None:
    agent = VoiceAgent(
        "a-1",
        "support",
        "Be kind.",
        ModelSettings(model="gemini-x", voice="Puck", temperature=0.7),
        owner_id="team-7",
    )
    await store(storage, agent)

    assert await read(storage, lambda uow: uow.agents.get("a-1")) == agent
    assert await read(storage, lambda uow: uow.agents.find_by_name("support")) == agent


async def test_an_unknown_agent_reads_as_none(storage: UnitOfWorkFactory) -> None:
    await store(storage, voice_agent("support"))

    assert await read(storage, lambda uow: uow.agents.get("nobody")) is None
    assert await read(storage, lambda uow: uow.agents.find_by_name("nobody")) is None


async def test_list_all_gives_every_agent_sorted_by_name(storage: UnitOfWorkFactory) -> None:
    await store(storage, voice_agent("zed"), voice_agent("amy"))
    await store(storage, voice_agent("max"))

    listed = await read(storage, lambda uow: uow.agents.list_all())

    assert [a.name for a in listed] == ["amy", "max", "zed"]


async def test_update_replaces_an_agent_and_frees_its_old_name(storage: UnitOfWorkFactory) -> None:
    agent = voice_agent("support", "a-1")
    await store(storage, agent)
    renamed = dataclasses.replace(
        agent, name="helpdesk", instructions="New.", model=ModelSettings(voice="Kore")
    )

    await write(storage, lambda uow: uow.agents.update(renamed))

    assert await read(storage, lambda uow: uow.agents.get("a-1")) == renamed
    assert await read(storage, lambda uow: uow.agents.find_by_name("helpdesk")) == renamed
    assert await read(storage, lambda uow: uow.agents.find_by_name("support")) is None


async def test_updating_an_unknown_agent_raises_not_found(storage: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFound):
        await write(storage, lambda uow: uow.agents.update(voice_agent("ghost")))

    assert await read(storage, lambda uow: uow.agents.list_all()) == []


async def test_updating_an_agent_to_a_taken_name_raises_conflict(
    storage: UnitOfWorkFactory,
) -> None:
    support, sales = voice_agent("support"), voice_agent("sales")
    await store(storage, support, sales)

    with pytest.raises(Conflict):
        await write(
            storage, lambda uow: uow.agents.update(dataclasses.replace(sales, name="support"))
        )

    assert await read(storage, lambda uow: uow.agents.get(sales.id)) == sales


async def test_adding_an_agent_with_a_taken_name_raises_conflict(
    storage: UnitOfWorkFactory,
) -> None:
    original = voice_agent("support", "a-1")
    await store(storage, original)

    with pytest.raises(Conflict):
        await write(storage, lambda uow: uow.agents.add(voice_agent("support", "a-2")))

    assert await read(storage, lambda uow: uow.agents.list_all()) == [original]


async def test_adding_an_agent_with_a_taken_id_raises_conflict(storage: UnitOfWorkFactory) -> None:
    original = voice_agent("support", "a-1")
    await store(storage, original)

    with pytest.raises(Conflict):
        await write(storage, lambda uow: uow.agents.add(voice_agent("sales", "a-1")))

    assert await read(storage, lambda uow: uow.agents.list_all()) == [original]


async def test_delete_removes_the_agent_and_unknown_ids_are_a_no_op(
    storage: UnitOfWorkFactory,
) -> None:
    support, sales = voice_agent("support"), voice_agent("sales")
    await store(storage, support, sales)

    async with storage() as uow:
        await uow.agents.delete(support.id)
        await uow.agents.delete("nobody")
        await uow.commit()

    assert await read(storage, lambda uow: uow.agents.get(support.id)) is None
    assert await read(storage, lambda uow: uow.agents.list_all()) == [sales]


# ------------------------------------------------------------------ bindings


async def test_an_added_binding_reads_back_equal_with_its_secrets_as_secret_objects(
    storage: UnitOfWorkFactory,
) -> None:
    agent = voice_agent("support")
    weather = tool(secret_names=["api_key", "region_token"])
    binding = agent_binding(
        agent.id,
        "weather",
        config={"units": "metric", "nested": {"depth": [1, 2]}},
        secrets={"api_key": CANARY, "region_token": "rt-2"},
        functions=["get_forecast"],
    )
    await store(storage, weather, agent, binding)

    found = await read(storage, lambda uow: uow.bindings.get(agent.id, "weather"))

    assert found == binding
    assert found is not None
    assert all(isinstance(secret, Secret) for secret in found.secrets.values())
    assert {name: s.reveal() for name, s in found.secrets.items()} == {
        "api_key": CANARY,
        "region_token": "rt-2",
    }
    assert found.created_at == binding.created_at
    assert found.functions == ("get_forecast",)


async def test_an_unknown_binding_reads_as_none(storage: UnitOfWorkFactory) -> None:
    agent = voice_agent("support")
    await store(storage, tool("weather"), agent, agent_binding(agent.id, "weather"))

    assert await read(storage, lambda uow: uow.bindings.get(agent.id, "news")) is None
    assert await read(storage, lambda uow: uow.bindings.get("nobody", "weather")) is None
    assert await read(storage, lambda uow: uow.bindings.for_agent("nobody")) == []
    assert await read(storage, lambda uow: uow.bindings.for_tool("news")) == []


async def test_for_agent_and_for_tool_list_bindings_oldest_first(
    storage: UnitOfWorkFactory,
) -> None:
    amy, bob = voice_agent("amy"), voice_agent("bob")
    late, early, middle = (EPOCH + timedelta(hours=h) for h in (3, 1, 2))
    await store(storage, tool("weather"), tool("news"), tool("maps"), amy, bob)
    await store(
        storage,
        agent_binding(amy.id, "weather", created_at=late),
        agent_binding(amy.id, "news", created_at=early),
        agent_binding(amy.id, "maps", created_at=middle),
        agent_binding(bob.id, "weather", created_at=early),
    )

    for_amy = await read(storage, lambda uow: uow.bindings.for_agent(amy.id))
    for_weather = await read(storage, lambda uow: uow.bindings.for_tool("weather"))

    assert [b.tool_name for b in for_amy] == ["news", "maps", "weather"]
    assert [b.agent_id for b in for_weather] == [bob.id, amy.id]


async def test_a_second_binding_of_one_agent_to_one_tool_raises_conflict(
    storage: UnitOfWorkFactory,
) -> None:
    agent = voice_agent("support")
    first = agent_binding(agent.id, "weather", binding_id="b-1")
    await store(storage, tool("weather"), agent, first)

    with pytest.raises(Conflict):
        await write(
            storage,
            lambda uow: uow.bindings.add(agent_binding(agent.id, "weather", binding_id="b-2")),
        )

    assert await read(storage, lambda uow: uow.bindings.for_agent(agent.id)) == [first]


async def test_update_replaces_a_binding_including_its_secrets(
    storage: UnitOfWorkFactory,
) -> None:
    agent = voice_agent("support")
    binding = agent_binding(
        agent.id, "weather", config={"units": "metric"}, secrets={"api_key": "old", "extra": "x"}
    )
    await store(storage, tool("weather", secret_names=["api_key"]), agent, binding)
    changed = dataclasses.replace(
        binding,
        config={"units": "imperial"},
        secrets={"api_key": Secret(CANARY)},
        enabled=False,
        functions=(),
    )

    await write(storage, lambda uow: uow.bindings.update(changed))

    found = await read(storage, lambda uow: uow.bindings.get(agent.id, "weather"))
    assert found == changed
    assert found is not None
    assert found.secret_names == ("api_key",)
    assert found.secrets["api_key"].reveal() == CANARY


async def test_updating_an_unknown_binding_raises_not_found(storage: UnitOfWorkFactory) -> None:
    agent = voice_agent("support")
    await store(storage, tool("weather"), agent)

    with pytest.raises(NotFound):
        await write(storage, lambda uow: uow.bindings.update(agent_binding(agent.id, "weather")))

    assert await read(storage, lambda uow: uow.bindings.for_agent(agent.id)) == []


async def test_delete_removes_one_binding_and_unknown_ids_are_a_no_op(
    storage: UnitOfWorkFactory,
) -> None:
    agent = voice_agent("support")
    weather = agent_binding(agent.id, "weather", secrets={"api_key": CANARY})
    news = agent_binding(agent.id, "news", created_at=EPOCH + timedelta(seconds=1))
    await store(storage, tool("weather", secret_names=["api_key"]), tool("news"), agent)
    await store(storage, weather, news)

    async with storage() as uow:
        await uow.bindings.delete(weather.id)
        await uow.bindings.delete("no-such-binding")
        await uow.commit()

    assert await read(storage, lambda uow: uow.bindings.get(agent.id, "weather")) is None
    assert await read(storage, lambda uow: uow.bindings.for_agent(agent.id)) == [news]
    assert await read(storage, lambda uow: uow.bindings.for_tool("weather")) == []


async def test_delete_for_agent_removes_that_agents_bindings_only(
    storage: UnitOfWorkFactory,
) -> None:
    amy, bob = voice_agent("amy"), voice_agent("bob")
    await store(storage, tool("weather", secret_names=["api_key"]), tool("news"), amy, bob)
    bobs = agent_binding(bob.id, "weather", secrets={"api_key": "bob-key"})
    await store(
        storage,
        agent_binding(amy.id, "weather", secrets={"api_key": CANARY}),
        agent_binding(amy.id, "news"),
        bobs,
    )

    await write(storage, lambda uow: uow.bindings.delete_for_agent(amy.id))

    assert await read(storage, lambda uow: uow.bindings.for_agent(amy.id)) == []
    assert await read(storage, lambda uow: uow.bindings.for_tool("weather")) == [bobs]
    assert await read(storage, lambda uow: uow.bindings.load_toolset(amy.id)) == []


async def test_load_toolset_gives_enabled_bindings_with_their_tools_latest_version(
    storage: UnitOfWorkFactory,
) -> None:
    agent = voice_agent("support")
    weather = tool_versions("weather", 3)
    await store(storage, *weather[:2], tool("news"), tool("maps"), agent)
    on = agent_binding(agent.id, "weather", secrets={"api_key": CANARY})
    also_on = agent_binding(agent.id, "maps", created_at=EPOCH + timedelta(seconds=2))
    off = agent_binding(agent.id, "news", created_at=EPOCH + timedelta(seconds=1), enabled=False)
    await store(storage, on, off, also_on)
    await store(storage, weather[2])

    loaded = await read(storage, lambda uow: uow.bindings.load_toolset(agent.id))

    by_tool = {item.binding.tool_name: item for item in loaded}
    assert set(by_tool) == {"weather", "maps"}
    assert by_tool["weather"].binding == on
    assert by_tool["weather"].tool == weather[2]
    assert by_tool["maps"].tool is not None
    assert by_tool["maps"].tool.name == "maps"
    assert by_tool["weather"].binding.secrets["api_key"].reveal() == CANARY


async def test_enabled_function_names_name_the_oldest_enabled_binding_offering_each(
    storage: UnitOfWorkFactory,
) -> None:
    agent = voice_agent("support")
    await store(
        storage,
        tool("weather", functions=["get_forecast", "get_route"]),
        tool("maps", functions=["get_route", "get_traffic"]),
        tool("news", functions=["get_headlines"]),
        tool("radio", functions=["get_traffic", "play"]),
        agent,
    )
    await store(
        storage,
        agent_binding(agent.id, "maps", created_at=EPOCH),
        agent_binding(agent.id, "weather", created_at=EPOCH + timedelta(seconds=1)),
        agent_binding(agent.id, "news", created_at=EPOCH, enabled=False),
        agent_binding(
            agent.id, "radio", created_at=EPOCH + timedelta(seconds=2), functions=["play"]
        ),
    )

    every = {"get_forecast", "get_route", "get_traffic", "get_headlines", "play", "stop"}

    names = await read(storage, lambda uow: uow.bindings.enabled_function_names(agent.id, every))
    some = await read(
        storage, lambda uow: uow.bindings.enabled_function_names(agent.id, {"play", "get_route"})
    )
    unoffered = await read(
        storage, lambda uow: uow.bindings.enabled_function_names(agent.id, {"get_headlines"})
    )

    assert names == {
        "get_route": "maps",
        "get_traffic": "maps",
        "get_forecast": "weather",
        "play": "radio",
    }
    assert some == {"get_route": "maps", "play": "radio"}
    assert unoffered == {}
    assert await read(storage, lambda uow: uow.bindings.enabled_function_names(agent.id, [])) == {}
    nobody = await read(storage, lambda uow: uow.bindings.enabled_function_names("nobody", every))
    assert nobody == {}


async def test_a_bound_tool_cannot_be_deleted(storage: UnitOfWorkFactory) -> None:
    agent = voice_agent("support")
    binding = agent_binding(agent.id, "weather")
    await store(storage, tool("weather"), agent, binding)

    with pytest.raises(Conflict, match="still bound"):
        await write(storage, lambda uow: uow.tools.delete("weather"))

    loaded = await read(storage, lambda uow: uow.bindings.load_toolset(agent.id))
    assert [(item.binding, item.tool) for item in loaded] == [(binding, tool("weather"))]


async def test_a_binding_to_an_unknown_tool_is_refused(storage: UnitOfWorkFactory) -> None:
    agent = voice_agent("support")
    await store(storage, agent)

    with pytest.raises(NotFound):
        await write(storage, lambda uow: uow.bindings.add(agent_binding(agent.id, "ghost")))


async def test_load_toolset_of_an_agent_without_bindings_is_empty(
    storage: UnitOfWorkFactory,
) -> None:
    await store(storage, voice_agent("support"))

    assert await read(storage, lambda uow: uow.bindings.load_toolset("agent-support")) == []
    assert await read(storage, lambda uow: uow.bindings.load_toolset("nobody")) == []


async def test_load_agent_toolset_finds_the_agent_by_id_or_name_with_its_enabled_bindings(
    storage: UnitOfWorkFactory,
) -> None:
    agent = voice_agent("support")
    await store(storage, tool("news"), tool("maps"), agent, voice_agent("lonely"))
    on = agent_binding(agent.id, "maps")
    off = agent_binding(agent.id, "news", created_at=EPOCH + timedelta(seconds=1), enabled=False)
    await store(storage, on, off)

    by_id = await read(storage, lambda uow: uow.bindings.load_agent_toolset(agent.id))
    by_name = await read(storage, lambda uow: uow.bindings.load_agent_toolset("support"))
    lonely = await read(storage, lambda uow: uow.bindings.load_agent_toolset("lonely"))
    nobody = await read(storage, lambda uow: uow.bindings.load_agent_toolset("nobody"))

    for found in (by_id, by_name):
        assert found is not None
        assert found[0] == agent
        assert [item.binding for item in found[1]] == [on]
    assert lonely == (voice_agent("lonely"), [])
    assert nobody is None


# ------------------------------------------------------------------ unit of work


async def test_changes_are_invisible_to_other_units_until_commit(
    storage: UnitOfWorkFactory,
) -> None:
    agent = voice_agent("support")
    async with storage() as writer:
        await writer.tools.add_version(tool("weather"))
        await writer.agents.add(agent)
        await writer.bindings.add(agent_binding(agent.id, "weather"))

        async with storage(read_only=True) as reader:
            assert await reader.tools.latest("weather") is None
            assert await reader.agents.get(agent.id) is None
            assert await reader.bindings.for_agent(agent.id) == []

        await writer.commit()

    async with storage() as later:
        assert await later.tools.latest("weather") is not None
        assert await later.agents.get(agent.id) == agent
        assert len(await later.bindings.for_agent(agent.id)) == 1


async def test_a_unit_sees_its_own_uncommitted_changes(storage: UnitOfWorkFactory) -> None:
    agent = voice_agent("support")
    async with storage() as uow:
        await uow.tools.add_version(tool("weather"))
        await uow.agents.add(agent)
        await uow.bindings.add(agent_binding(agent.id, "weather"))

        assert await uow.tools.latest("weather") is not None
        assert await uow.agents.find_by_name("support") == agent
        assert len(await uow.bindings.load_toolset(agent.id)) == 1


async def test_leaving_the_block_without_commit_discards_every_change(
    storage: UnitOfWorkFactory,
) -> None:
    kept = voice_agent("kept")
    await store(storage, tool("news"), kept)

    async with storage() as uow:
        await uow.tools.add_version(tool("weather"))
        await uow.tools.delete("news")
        await uow.agents.add(voice_agent("support"))
        await uow.agents.delete(kept.id)

    assert [t.name for t in await read(storage, lambda uow: uow.tools.list_latest())] == ["news"]
    assert await read(storage, lambda uow: uow.agents.list_all()) == [kept]


async def test_an_exception_inside_the_block_discards_every_change(
    storage: UnitOfWorkFactory,
) -> None:
    class Boom(Exception):
        pass

    async def add_then_fail() -> None:
        async with storage() as uow:
            await uow.agents.add(voice_agent("support"))
            raise Boom

    with pytest.raises(Boom):
        await add_then_fail()

    assert await read(storage, lambda uow: uow.agents.list_all()) == []


async def test_a_failed_commit_changes_nothing(interleaving_storage: UnitOfWorkFactory) -> None:
    storage = interleaving_storage
    rival = voice_agent("taken", "rival")

    async def lose_the_race_for_a_name() -> None:
        async with storage() as loser:
            assert await loser.agents.list_all() == []
            await store(storage, rival)
            await loser.tools.add_version(tool("weather"))
            await loser.agents.add(voice_agent("innocent", "a-1"))
            await loser.agents.add(voice_agent("taken", "a-2"))
            await loser.commit()

    with pytest.raises(Conflict):
        await lose_the_race_for_a_name()

    assert await read(storage, lambda uow: uow.tools.list_latest()) == []
    assert await read(storage, lambda uow: uow.agents.list_all()) == [rival]


async def test_of_two_interleaved_units_adding_one_version_exactly_one_commits(
    interleaving_storage: UnitOfWorkFactory,
) -> None:
    storage = interleaving_storage
    both_have_read = asyncio.Barrier(2)
    contents = {"left": tool(description="left"), "right": tool(description="right")}

    async def add(side: str) -> str:
        async with storage() as uow:
            assert await uow.tools.latest("weather") is None
            await both_have_read.wait()
            try:
                await uow.tools.add_version(contents[side])
                await uow.commit()
            except VersionConflict:
                return "conflict"
        return "committed"

    outcomes = await asyncio.gather(add("left"), add("right"))

    assert sorted(outcomes) == ["committed", "conflict"]
    winner = "left" if outcomes[0] == "committed" else "right"
    assert await read(storage, lambda uow: uow.tools.versions("weather")) == [contents[winner]]


# ------------------------------------------------------------------ concurrent defines


class _Yielding:
    """A repository proxy that hands control to the event loop around every call.

    Backends whose calls never suspend (the in-memory one) would otherwise run each
    task to completion in turn; this makes concurrent use cases really interleave.
    """

    def __init__(self, inner: object) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        method = getattr(self._inner, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(0)
            try:
                return await method(*args, **kwargs)
            finally:
                await asyncio.sleep(0)

        return call


class YieldingUnitOfWork:
    """A unit of work that yields to the event loop at every port call."""

    def __init__(self, inner: UnitOfWork) -> None:
        self._inner = inner

    @property
    def tools(self) -> Any:
        return _Yielding(self._inner.tools)

    @property
    def agents(self) -> Any:
        return _Yielding(self._inner.agents)

    @property
    def bindings(self) -> Any:
        return _Yielding(self._inner.bindings)

    async def __aenter__(self) -> Self:
        await self._inner.__aenter__()
        await asyncio.sleep(0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._inner.__aexit__(exc_type, exc, traceback)

    async def commit(self) -> None:
        await asyncio.sleep(0)
        await self._inner.commit()


@pytest.mark.parametrize("interleaving", ["as-is", "yielding"])
async def test_concurrent_defines_of_one_tool_leave_one_gapless_alternating_history(
    storage: UnitOfWorkFactory, interleaving: str
) -> None:
    unit_of_work: UnitOfWorkFactory = storage
    if interleaving == "yielding":
        unit_of_work = lambda **options: YieldingUnitOfWork(storage(**options))  # noqa: E731
    service = ToolService(unit_of_work, InMemoryModelCompatibility(), HandlerPolicy())
    content_a = http_tool_document("racer", description="content A")
    content_b = http_tool_document("racer", description="content B")
    documents = [content_a if index % 2 == 0 else content_b for index in range(50)]

    results = await asyncio.gather(
        *(service.define(document) for document in documents), return_exceptions=True
    )

    errors = [result for result in results if isinstance(result, BaseException)]
    assert errors == []
    outcomes = [result for result in results if isinstance(result, DefineOutcome)]
    tools = await read(storage, lambda uow: uow.tools.list_latest())
    assert [t.name for t in tools] == ["racer"]
    versions = await read(storage, lambda uow: uow.tools.versions("racer"))
    assert [v.version for v in versions] == list(range(1, len(versions) + 1))
    descriptions = [v.description for v in versions]
    assert set(descriptions) <= {"content A", "content B"}
    assert all(a != b for a, b in itertools.pairwise(descriptions))
    assert {(r.tool.version, r.tool.description) for r in outcomes} <= {
        (v.version, v.description) for v in versions
    }


# ------------------------------------------------------------------ referential integrity


async def test_a_binding_for_an_unknown_agent_is_refused(storage: UnitOfWorkFactory) -> None:
    await store(storage, tool("weather"))

    with pytest.raises(NotFound):
        await write(storage, lambda uow: uow.bindings.add(agent_binding("ghost", "weather")))

    assert await read(storage, lambda uow: uow.bindings.for_tool("weather")) == []


async def test_a_binding_for_an_agent_deleted_meanwhile_is_refused(
    interleaving_storage: UnitOfWorkFactory,
) -> None:
    storage = interleaving_storage
    agent = voice_agent("support")
    await store(storage, tool("weather", secret_names=["api_key"]), agent)

    async def bind_while_the_agent_is_deleted() -> None:
        async with storage() as uow:
            assert await uow.agents.get(agent.id) is not None
            await write(storage, lambda other: other.agents.delete(agent.id))
            await uow.bindings.add(agent_binding(agent.id, "weather", secrets={"api_key": CANARY}))
            await uow.commit()

    with pytest.raises(NotFound):
        await bind_while_the_agent_is_deleted()

    assert await read(storage, lambda uow: uow.bindings.for_tool("weather")) == []
    assert await read(storage, lambda uow: uow.bindings.for_agent(agent.id)) == []
