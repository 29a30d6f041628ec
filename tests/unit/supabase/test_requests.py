"""What the Supabase adapter sends for each port method, and how it reads the answers.

Every request is ``POST /rest/v1/rpc/<function>`` with the function's named arguments
as a JSON object (PostgREST's documented RPC call), the service-role key as ``apikey``
and bearer token, and no ``Prefer`` header (PostgREST's default: the transaction
commits, the function's result comes back as JSON; ``void`` answers 204).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from adapters.storage_common.sealed_secrets import seal
from adapters.supabase.storage import SCHEMA_VERSION
from application.ports import EncryptedSecret, SecretAddress, UnitOfWork
from domain.agents import ModelSettings, VoiceAgent
from domain.errors import StorageUnavailable
from tests.builders import (
    CANARY,
    EPOCH,
    agent_binding,
    assert_no_secret,
    http_tool_document,
    tool_definition,
    voice_agent,
)
from tests.unit.supabase.conftest import KEY, RPC_PATH, PostgrestDouble

READ = RPC_PATH + "tool_platform_read"
COMMIT = RPC_PATH + "tool_platform_commit"
WEATHER = tool_definition(http_tool_document("weather", secret_names=["token"]))


def latest_row(tool: Any = WEATHER) -> dict[str, Any]:
    """A ``platform_tools`` row as ``to_jsonb`` gives it."""
    return {
        **tool.to_document(),
        "id": "3f1c",
        "fingerprint": "sha256:x",
        "created_at": "2025-01-01T00:00:00+00:00",
        "updated_at": "2025-01-01T00:00:00+00:00",
    }


READS: list[tuple[str, Callable[[UnitOfWork], Awaitable[object]], str, dict[str, Any]]] = [
    ("tools.latest", lambda uow: uow.tools.latest("weather"), "tools_latest", {"name": "weather"}),
    (
        "tools.version",
        lambda uow: uow.tools.version("weather", 2),
        "tool_versions",
        {"name": "weather", "version": 2},
    ),
    (
        "tools.versions",
        lambda uow: uow.tools.versions("weather"),
        "tool_versions",
        {"name": "weather"},
    ),
    ("tools.list_latest", lambda uow: uow.tools.list_latest(), "tools_latest", {}),
    ("agents.get", lambda uow: uow.agents.get("a-1"), "agents", {"id": "a-1"}),
    ("agents.find_by_name", lambda uow: uow.agents.find_by_name("x"), "agents", {"name": "x"}),
    ("agents.list_all", lambda uow: uow.agents.list_all(), "agents", {}),
    (
        "bindings.get",
        lambda uow: uow.bindings.get("a-1", "weather"),
        "bindings",
        {"agent_id": "a-1", "tool_name": "weather"},
    ),
    (
        "bindings.for_agent",
        lambda uow: uow.bindings.for_agent("a-1"),
        "bindings",
        {"agent_id": "a-1"},
    ),
    (
        "bindings.for_tool",
        lambda uow: uow.bindings.for_tool("weather"),
        "bindings",
        {"tool_name": "weather"},
    ),
    (
        "bindings.enabled_function_names",
        lambda uow: uow.bindings.enabled_function_names("a-1", {"get_forecast"}),
        "function_names",
        {"agent_id": "a-1"},
    ),
    (
        "bindings.load_toolset",
        lambda uow: uow.bindings.load_toolset("a-1"),
        "toolset",
        {"agent_id": "a-1"},
    ),
]


@pytest.mark.parametrize(("method", "call", "query", "args"), READS, ids=[r[0] for r in READS])
async def test_each_read_is_one_rpc_call_naming_its_query_and_arguments(
    postgrest: PostgrestDouble,
    method: str,
    call: Callable[[UnitOfWork], Awaitable[object]],
    query: str,
    args: dict[str, Any],
) -> None:
    route = postgrest.answer("tool_platform_read", httpx.Response(200, json=[]))

    async with postgrest.storage.unit_of_work(read_only=True) as uow:
        await call(uow)

    assert postgrest.sent() == [("POST", READ, {"changes": [], "query": query, "args": args})]
    headers = route.calls.last.request.headers
    assert headers["apikey"] == KEY
    assert headers["authorization"] == f"Bearer {KEY}"
    assert headers["content-type"] == "application/json"
    assert "prefer" not in headers


async def test_reads_map_documented_rows_into_the_domain(postgrest: PostgrestDouble) -> None:
    agent_row = {
        "id": "a-1",
        "name": "support",
        "instructions": "Help.",
        "model": "gemini",
        "voice": "Puck",
        "temperature": 0.7,
        "owner_id": None,
        "created_at": "2025-01-01T00:00:00+00:00",
        "updated_at": "2025-01-01T00:00:00+00:00",
    }

    def answer(request: httpx.Request) -> httpx.Response:
        query = json.loads(request.content)["query"]
        rows = {
            "agents": [agent_row],
            "tools_latest": [latest_row()],
            "tool_versions": [WEATHER.to_document()],
            "function_names": [
                {
                    "tool_name": "weather",
                    "tool_functions_schema": WEATHER.to_document()["tool_functions_schema"],
                    "functions": None,
                }
            ],
        }[query]
        return httpx.Response(200, json=rows)

    postgrest.router.post(READ).mock(side_effect=answer)

    async with postgrest.storage.unit_of_work(read_only=True) as uow:
        agent = await uow.agents.get("a-1")
        latest = await uow.tools.latest("weather")
        versions = await uow.tools.versions("weather")
        owners = await uow.bindings.enabled_function_names("a-1", {"get_forecast", "play"})

    assert agent == VoiceAgent("a-1", "support", "Help.", ModelSettings("gemini", "Puck", 0.7))
    assert latest == WEATHER
    assert versions == [WEATHER]
    assert owners == {"get_forecast": "weather"}


async def test_the_toolset_is_one_request_and_its_secrets_are_decrypted_here(
    postgrest: PostgrestDouble,
) -> None:
    binding_id = "a-1/weather"
    row = {
        "id": binding_id,
        "agent_id": "a-1",
        "tool_name": "weather",
        "config": {},
        "sensitive_config": {"token": seal(postgrest.cipher, binding_id, "token", CANARY)},
        "is_enabled": True,
        "functions": None,
        "created_at": "2025-01-01T00:00:00+00:00",
        "tool": latest_row(),
    }
    postgrest.answer("tool_platform_read", httpx.Response(200, json=[row]))

    async with postgrest.storage.unit_of_work(read_only=True) as uow:
        [bound] = await uow.bindings.load_toolset("a-1")

    assert len(postgrest.router.calls) == 1
    assert bound.tool == WEATHER
    assert bound.unreadable_secrets is None
    assert bound.binding.secrets["token"].reveal() == CANARY
    assert bound.binding.created_at == EPOCH


async def test_writes_send_nothing_until_commit_then_one_call_with_every_change(
    postgrest: PostgrestDouble,
) -> None:
    commit = postgrest.answer("tool_platform_commit", httpx.Response(204))
    agent = voice_agent("support", "a-1")
    binding = agent_binding("a-1", "weather", secrets={"token": CANARY})

    async with postgrest.storage.unit_of_work() as uow:
        await uow.tools.add_version(WEATHER)
        await uow.agents.add(agent)
        await uow.bindings.add(binding)
        await uow.bindings.delete("b-old")
        assert postgrest.sent() == []
        await uow.commit()

    [(method, path, body)] = postgrest.sent()
    assert (method, path) == ("POST", COMMIT)
    assert [change["op"] for change in body["changes"]] == [
        "add_version",
        "add_agent",
        "add_binding",
        "delete_binding",
    ]
    add_version, add_agent, add_binding, delete_binding = body["changes"]
    assert add_version["document"] == WEATHER.to_document()
    assert add_version["item"]["version"] == 1
    assert add_version["at"] == EPOCH.isoformat()
    assert add_agent["item"]["id"] == "a-1"
    assert add_agent["item"]["name"] == "support"
    assert delete_binding == {"op": "delete_binding", "id": "b-old"}
    item = add_binding["item"]
    assert (item["id"], item["agent_id"], item["tool_name"]) == ("a-1/weather", "a-1", "weather")
    assert item["created_at"] == EPOCH.isoformat()
    assert_no_secret(commit.calls.last.request.content.decode())
    sealed = item["sensitive_config"]["token"]
    encrypted = EncryptedSecret(sealed["key_id"], base64.b64decode(sealed["ciphertext"]))
    assert postgrest.cipher.decrypt(encrypted, SecretAddress("a-1/weather", "token")) == CANARY


async def test_a_read_after_a_write_carries_the_units_changes(postgrest: PostgrestDouble) -> None:
    postgrest.answer("tool_platform_read", httpx.Response(200, json=[]))

    async with postgrest.storage.unit_of_work() as uow:
        await uow.agents.delete("a-1")
        await uow.agents.get("a-1")

    assert postgrest.sent() == [
        (
            "POST",
            READ,
            {
                "changes": [{"op": "delete_agent", "id": "a-1"}],
                "query": "agents",
                "args": {"id": "a-1"},
            },
        )
    ]


async def test_leaving_without_commit_or_committing_nothing_sends_nothing(
    postgrest: PostgrestDouble,
) -> None:
    async with postgrest.storage.unit_of_work() as uow:
        await uow.agents.delete("a-1")
    async with postgrest.storage.unit_of_work() as uow:
        await uow.commit()

    assert postgrest.sent() == []


async def test_a_read_only_unit_refuses_to_record_a_write(postgrest: PostgrestDouble) -> None:
    async with postgrest.storage.unit_of_work(read_only=True) as uow:
        with pytest.raises(RuntimeError, match="read-only"):
            await uow.agents.delete("a-1")


async def test_upgrade_checks_the_remote_schema_version_and_points_to_supabase_db_push(
    postgrest: PostgrestDouble,
) -> None:
    postgrest.answer("tool_platform_schema_version", httpx.Response(200, json=SCHEMA_VERSION))

    message = await postgrest.storage.upgrade()

    assert postgrest.sent() == [("POST", RPC_PATH + "tool_platform_schema_version", {})]
    assert "supabase db push" in message
    assert SCHEMA_VERSION in message


async def test_upgrade_refuses_a_remote_schema_of_another_version(
    postgrest: PostgrestDouble,
) -> None:
    postgrest.answer("tool_platform_schema_version", httpx.Response(200, json="0001"))

    refusal = rf"revision 0001.*needs {SCHEMA_VERSION}.*supabase db push"
    with pytest.raises(StorageUnavailable, match=refusal):
        await postgrest.storage.upgrade()


async def test_resealing_reads_every_binding_then_commits_the_resealed_ones_at_once(
    postgrest: PostgrestDouble,
) -> None:
    unknown_key = seal(postgrest.cipher, "b-1", "token", "x") | {"key_id": "gone"}
    rows = [
        {"id": "b-1", "sensitive_config": {"token": unknown_key}},
        {"id": "b-2", "sensitive_config": {"token": CANARY}},
    ]
    postgrest.answer("tool_platform_read", httpx.Response(200, json=rows))
    commit = postgrest.answer("tool_platform_commit", httpx.Response(204))

    report = await postgrest.storage.encrypt_plaintext_secrets()

    assert report.resealed == 1
    assert report.unreadable == ()
    assert [path for _, path, _ in postgrest.sent()] == [READ, COMMIT]
    [change] = json.loads(commit.calls.last.request.content)["changes"]
    assert change["op"] == "update_binding"
    assert change["item"]["id"] == "b-2"
    assert_no_secret(commit.calls.last.request.content.decode())
    sealed = change["item"]["sensitive_config"]["token"]
    encrypted = EncryptedSecret(sealed["key_id"], base64.b64decode(sealed["ciphertext"]))
    assert postgrest.cipher.decrypt(encrypted, SecretAddress("b-2", "token")) == CANARY
