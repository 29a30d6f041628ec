"""Code-tool sync: LiveKit ``@function_tool`` modules become catalog tools, and run."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from livekit.agents.llm.utils import build_legacy_openai_schema

from adapters.code_sync import code_tool_documents, sync_packages
from adapters.executors.python import PythonHandlers
from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.memory.runtime import InMemoryToolRuntime
from adapters.memory.unit_of_work import InMemoryStorage
from adapters.secrets.aes_gcm import AesGcmSecretCipher
from application.agents import AgentService
from application.bindings import BindingService
from application.policies import HandlerPolicy
from application.tool_sessions import ToolSessions
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.tools.document import read_tool_document
from domain.tools.kinds import ToolKind
from tests.builders import CANARY, assert_no_secret, data_of, error_of, platform_container
from tests.code_tools import notes

PACKAGE = "tests.code_tools"


@pytest.fixture
def storage() -> InMemoryStorage:
    return InMemoryStorage(AesGcmSecretCipher.ephemeral())


@pytest.fixture
def handlers() -> PythonHandlers:
    return PythonHandlers(HandlerPolicy((PACKAGE,)))


@pytest.fixture
def tools(storage: InMemoryStorage, handlers: PythonHandlers) -> ToolService:
    return ToolService(storage.unit_of_work, InMemoryModelCompatibility(), handlers)


@pytest.fixture
def loader(storage: InMemoryStorage, handlers: PythonHandlers) -> ToolsetLoader:
    return ToolsetLoader(
        storage.unit_of_work, InMemoryModelCompatibility(), handlers, {ToolKind.PYTHON}
    )


@pytest.fixture
async def sessions() -> AsyncIterator[ToolSessions]:
    container = platform_container(HandlerPolicy((PACKAGE,)), 5)
    yield container.tool_sessions()
    await container.http_pool().aclose()


async def bind_notes(storage: InMemoryStorage, agent: str, token: str, notebook: str) -> None:
    await AgentService(storage.unit_of_work).create(agent)
    await BindingService(storage.unit_of_work).bind(
        agent, "notes", config={"notebook": notebook}, secrets={"notes_token": token}
    )


def test_each_module_of_code_tools_becomes_one_tool_document() -> None:
    documents = code_tool_documents(PACKAGE)

    document = documents["tests.code_tools.notes"]
    assert list(documents) == ["tests.code_tools.notes"]
    assert document["name"] == "notes"
    assert document["display_name"] == "Notes"
    assert document["description"] == "Keep short notes for the caller."
    assert document["secret_names"] == ["notes_token"]
    assert document["run"]["style"] == "function_tool"
    assert document["run"]["handlers"]["add_note"] == "tests.code_tools.notes:add_note"
    assert (
        document["tool_functions_schema"]["functions"][0]
        == (build_legacy_openai_schema(notes.add_note)["function"])
    )


async def test_the_catalog_holds_what_livekit_shows_the_llm(tools: ToolService) -> None:
    [synced] = await sync_packages([PACKAGE], tools)

    stored = synced.outcome.tool.function("add_note").to_dict()
    assert synced.module == "tests.code_tools.notes"
    assert (
        stored["parameters"] == build_legacy_openai_schema(notes.add_note)["function"]["parameters"]
    )


async def test_syncing_an_unchanged_package_writes_nothing(tools: ToolService) -> None:
    await sync_packages([PACKAGE], tools)

    [again] = await sync_packages([PACKAGE], tools)

    assert again.outcome.changed is False
    assert [tool.version for tool in await tools.versions("notes")] == [1]


async def test_a_function_that_disappeared_makes_a_new_version_without_it(
    tools: ToolService, monkeypatch: pytest.MonkeyPatch
) -> None:
    await sync_packages([PACKAGE], tools)
    monkeypatch.delattr(notes, "count_words")

    [synced] = await sync_packages([PACKAGE], tools)

    assert synced.outcome.tool.version == 2
    assert synced.outcome.tool.function_names == ("add_note", "read_notebook")
    assert (await tools.show("notes", 1)).function_names == (
        "add_note",
        "read_notebook",
        "count_words",
    )


async def test_a_code_tool_whose_code_changed_is_left_out_until_synced_again(
    storage: InMemoryStorage, tools: ToolService, monkeypatch: pytest.MonkeyPatch
) -> None:
    await sync_packages([PACKAGE], tools)
    await bind_notes(storage, "support", CANARY, "inbox")
    monkeypatch.setattr(notes, "add_note", notes.count_words)  # new code, same path
    next_worker = PythonHandlers(HandlerPolicy((PACKAGE,)))  # a process that imports it anew
    loader = ToolsetLoader(
        storage.unit_of_work, InMemoryModelCompatibility(), next_worker, {ToolKind.PYTHON}
    )

    toolset = await loader.load("support")

    assert "add_note" not in toolset.function_names
    [left] = [item for item in toolset.left_out if item.function == "add_note"]
    assert "run `tool-platform tools sync tests.code_tools.notes`" in left.reason


async def test_code_tools_run_with_their_own_binding_config_and_secret(
    storage: InMemoryStorage, tools: ToolService, loader: ToolsetLoader, sessions: ToolSessions
) -> None:
    await sync_packages([PACKAGE], tools)
    await bind_notes(storage, "support", f"first-{CANARY}", "work")
    await bind_notes(storage, "sales", "second-token-zz99", "deals")
    runtime = InMemoryToolRuntime()

    async with (
        await sessions.open(await loader.load("support")) as support_session,
        await sessions.open(await loader.load("sales")) as sales_session,
    ):
        support = {t.name: t for t in runtime.tools_for(support_session)}
        sales = {t.name: t for t in runtime.tools_for(sales_session)}
        mine = await support["add_note"]({"text": "call back", "pinned": "true"})
        theirs = await sales["add_note"]({"text": "send quote"})

    assert data_of(mine.output) == {
        "notebook": "work",
        "text": "call back",
        "pinned": True,
        "signed_with": CANARY[-4:],
    }
    assert data_of(theirs.output)["notebook"] == "deals"
    assert data_of(theirs.output)["signed_with"] == "zz99"
    assert_no_secret(mine.output, f"first-{CANARY}")


async def test_tool_errors_reach_the_llm_and_run_context_tools_need_a_session(
    storage: InMemoryStorage, tools: ToolService, loader: ToolsetLoader, sessions: ToolSessions
) -> None:
    await sync_packages([PACKAGE], tools)
    await bind_notes(storage, "support", CANARY, "inbox")

    async with await sessions.open(await loader.load("support")) as session:
        by_name = {t.name: t for t in InMemoryToolRuntime().tools_for(session)}
        refused = await by_name["add_note"]({"text": "   "})
        offline = await by_name["read_notebook"]({})
        counted = await by_name["count_words"]({"text": "one two three"})

    assert (refused.ok, error_of(refused.output)) == (False, "a note needs some text")
    assert offline.ok is False
    assert (
        error_of(offline.output) == "read_notebook needs a LiveKit session (it takes a RunContext)"
    )
    assert (counted.ok, data_of(counted.output)) == (True, 3)


def test_a_module_call_policy_becomes_the_documents_and_read_only_built_ins_declare_none() -> None:
    document = code_tool_documents("adapters.tool_packages.google_calendar")[
        "adapters.tool_packages.google_calendar"
    ]
    calendar = read_tool_document(document).tool

    assert document["call_policy"] == {
        "list_events": {"side_effects": "none"},
        "check_availability": {"side_effects": "none"},
    }
    effects = {name: calendar.policy_for(name).side_effects for name in calendar.function_names}
    assert effects == {
        "list_events": "none",
        "create_event": "unsafe",
        "check_availability": "none",
    }
    assert code_tool_documents(PACKAGE)[f"{PACKAGE}.notes"]["call_policy"] == {}
