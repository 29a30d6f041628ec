"""``AgentService``: create, update, delete, list and show, against the in-memory adapters."""

from __future__ import annotations

import itertools

import pytest

from application.agents import AgentService
from application.bindings import BindingService
from application.ports import UnitOfWorkFactory
from application.tools import ToolService
from domain.agents import ModelSettings, VoiceAgent
from domain.errors import Conflict, InvalidAgent, NotFound
from tests.builders import CANARY, http_tool_document


async def test_create_stores_an_agent_readable_by_id_and_by_name(agents: AgentService) -> None:
    settings = ModelSettings(model="gemini-live", voice="Puck", temperature=0.4)

    created = await agents.create("support", "Be brief.", settings, owner_id="team-1")

    by_id = await agents.show(created.id)
    by_name = await agents.show("support")
    assert by_id.agent == created
    assert by_name.agent == created
    assert (created.name, created.instructions, created.model, created.owner_id) == (
        "support",
        "Be brief.",
        settings,
        "team-1",
    )
    assert by_id.bindings == ()


async def test_create_uses_the_injected_id_factory(unit_of_work: UnitOfWorkFactory) -> None:
    numbers = itertools.count(1)
    agents = AgentService(unit_of_work, ids=lambda: f"agent-{next(numbers)}")

    first = await agents.create("one")
    second = await agents.create("two")

    assert (first.id, second.id) == ("agent-1", "agent-2")


async def test_create_with_a_taken_name_raises_conflict_and_adds_nothing(
    agents: AgentService,
) -> None:
    original = await agents.create("support", "Original.")

    with pytest.raises(Conflict, match="'support'"):
        await agents.create("support", "Impostor.")

    assert await agents.list_all() == [original]


async def test_create_with_an_invalid_name_raises_and_adds_nothing(agents: AgentService) -> None:
    with pytest.raises(InvalidAgent):
        await agents.create("   ")

    assert await agents.list_all() == []


async def test_list_all_gives_every_agent_by_name(agents: AgentService) -> None:
    for name in ("zed", "amy", "max"):
        await agents.create(name)

    assert [a.name for a in await agents.list_all()] == ["amy", "max", "zed"]


async def test_update_changes_name_instructions_and_model(agents: AgentService) -> None:
    agent = await agents.create("support", "Old.", ModelSettings(voice="Puck"))

    updated = await agents.update(
        "support", name="helpdesk", instructions="New.", voice="Kore", temperature=1.0
    )

    stored = (await agents.show(agent.id)).agent
    assert stored == updated
    assert (stored.id, stored.name, stored.instructions, stored.model) == (
        agent.id,
        "helpdesk",
        "New.",
        ModelSettings(voice="Kore", temperature=1.0),
    )
    with pytest.raises(NotFound):
        await agents.show("support")


async def test_update_with_none_keeps_every_field(agents: AgentService) -> None:
    agent = await agents.create("support", "Keep me.", ModelSettings(voice="Puck"), "team-1")

    updated = await agents.update(agent.id)

    assert updated == agent
    assert (await agents.show(agent.id)).agent == agent


async def test_update_of_one_field_keeps_the_others(agents: AgentService) -> None:
    agent = await agents.create("support", "Keep me.", ModelSettings(voice="Puck"))

    await agents.update("support", instructions="Changed.")

    stored = (await agents.show(agent.id)).agent
    assert (stored.name, stored.instructions, stored.model) == (
        "support",
        "Changed.",
        ModelSettings(voice="Puck"),
    )


async def test_update_of_one_model_setting_keeps_the_stored_others(agents: AgentService) -> None:
    settings = ModelSettings(model="gemini-live", voice="Puck", temperature=0.4)
    agent = await agents.create("support", "Keep me.", settings)

    updated = await agents.update(agent.id, voice="Kore")

    assert updated.model == ModelSettings(model="gemini-live", voice="Kore", temperature=0.4)
    assert (await agents.show(agent.id)).agent == updated


async def test_update_with_a_bad_model_setting_raises_and_changes_nothing(
    agents: AgentService,
) -> None:
    agent = await agents.create("support", "Keep me.", ModelSettings(voice="Puck"))

    with pytest.raises(InvalidAgent, match="temperature"):
        await agents.update("support", instructions="Changed.", temperature=3.0)

    assert (await agents.show(agent.id)).agent == agent


async def test_update_to_its_own_name_is_allowed(agents: AgentService) -> None:
    agent = await agents.create("support")

    updated = await agents.update("support", name="support", instructions="Same name.")

    assert updated.id == agent.id
    assert (await agents.show("support")).agent.instructions == "Same name."


async def test_update_to_a_taken_name_raises_conflict_and_changes_nothing(
    agents: AgentService,
) -> None:
    await agents.create("support")
    sales = await agents.create("sales", "Sell.")

    with pytest.raises(Conflict, match="'support'"):
        await agents.update("sales", name="support", instructions="Changed.")

    assert (await agents.show(sales.id)).agent == sales


async def test_update_of_an_unknown_agent_raises_not_found(agents: AgentService) -> None:
    with pytest.raises(NotFound, match="'ghost'"):
        await agents.update("ghost", instructions="Boo.")


async def test_delete_removes_the_agent_with_its_bindings_and_their_secrets(
    agents: AgentService,
    tools: ToolService,
    bindings: BindingService,
    unit_of_work: UnitOfWorkFactory,
) -> None:
    await tools.define(http_tool_document("weather", secret_names=["api_key"]))
    await tools.define(http_tool_document("news", ["get_headlines"]))
    doomed = await agents.create("doomed")
    other = await agents.create("other")
    await bindings.bind("doomed", "weather", secrets={"api_key": CANARY})
    await bindings.bind("doomed", "news", enabled=False)
    kept = await bindings.bind("other", "weather", secrets={"api_key": "other-key"})

    deleted = await agents.delete("doomed")

    assert deleted == doomed
    async with unit_of_work() as uow:
        assert await uow.agents.get(doomed.id) is None
        assert await uow.agents.find_by_name("doomed") is None
        assert await uow.bindings.for_agent(doomed.id) == []
        assert await uow.bindings.get(doomed.id, "weather") is None
        assert await uow.bindings.load_toolset(doomed.id) == []
        assert await uow.bindings.for_tool("weather") == [kept]
        assert await uow.bindings.for_tool("news") == []
        assert await uow.agents.list_all() == [other]
        remaining = [
            s.reveal() for b in await uow.bindings.for_tool("weather") for s in b.secrets.values()
        ]
    assert remaining == ["other-key"]


async def test_a_deleted_agents_name_can_be_used_again_without_its_old_bindings(
    agents: AgentService, tools: ToolService, bindings: BindingService
) -> None:
    await tools.define(http_tool_document("weather"))
    await agents.create("support")
    await bindings.bind("support", "weather")
    await agents.delete("support")

    reborn = await agents.create("support")

    assert (await agents.show("support")).bindings == ()
    await bindings.bind(reborn.id, "weather")


async def test_delete_of_an_unknown_agent_raises_not_found(agents: AgentService) -> None:
    with pytest.raises(NotFound):
        await agents.delete("ghost")


async def test_show_gives_the_agents_bindings_oldest_first_with_secret_names_only(
    agents: AgentService, tools: ToolService, bindings: BindingService
) -> None:
    await tools.define(http_tool_document("weather", secret_names=["api_key"]))
    await tools.define(http_tool_document("news", ["get_headlines"]))
    await agents.create("support")
    await bindings.bind("support", "weather", secrets={"api_key": CANARY})
    await bindings.bind("support", "news")

    details = await agents.show("support")

    assert [b.tool_name for b in details.bindings] == ["weather", "news"]
    assert details.bindings[0].secret_names == ("api_key",)
    assert CANARY not in repr(details)


async def test_show_of_an_unknown_agent_raises_not_found(agents: AgentService) -> None:
    with pytest.raises(NotFound):
        await agents.show("ghost")


BAD_NAMES = {
    "a path": ("../../etc/passwd", "path separator"),
    "a backslash": ("front\\desk", "path separator"),
    "a line break": ("front\ndesk", "printable"),
    "a terminal escape": ("\x1b[31mred", "printable"),
    "a tab": ("front\tdesk", "printable"),
    "a lone surrogate": ("front\udcffdesk", "printable"),
    "blank": ("   ", "1 to 100 characters"),
    "too long": ("a" * 101, "1 to 100 characters"),
}


@pytest.mark.parametrize(("name", "says"), BAD_NAMES.values(), ids=BAD_NAMES.keys())
async def test_a_bad_name_is_refused_at_create_and_at_rename(
    agents: AgentService, name: str, says: str
) -> None:
    agent = await agents.create("support")

    with pytest.raises(InvalidAgent, match=says):
        await agents.create(name)
    with pytest.raises(InvalidAgent, match=says):
        await agents.update("support", name=name, instructions="Changed.")

    assert await agents.list_all() == [agent]


async def test_names_with_spaces_dots_and_other_scripts_are_accepted(agents: AgentService) -> None:
    for name in ("Front desk", "v1.2", "réception-été", "受付", "a" * 100):
        assert (await agents.create(name)).name == name


async def test_an_agent_stored_with_a_bad_name_is_listed_updated_and_renamed(
    agents: AgentService, unit_of_work: UnitOfWorkFactory
) -> None:
    async with unit_of_work() as uow:  # written before the naming rules existed
        await uow.agents.add(VoiceAgent("old-1", "../legacy\n"))
        await uow.commit()

    assert [agent.name for agent in await agents.list_all()] == ["../legacy\n"]
    kept = await agents.update("old-1", instructions="Still works.")
    assert kept.name == "../legacy\n"
    renamed = await agents.update("old-1", name="legacy")
    assert (await agents.show("legacy")).agent == renamed
