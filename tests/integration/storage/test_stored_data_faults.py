"""Stored data that today's code cannot use is left out with its reason, never fatal.

A tool stored under looser limits, secrets whose stored column is not an object of
secrets, a secret whose key is gone: each costs only its own binding (or, in a
rotation, its own secret). Each test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa

from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.secrets.aes_gcm import AesGcmSecretCipher
from adapters.sqlalchemy.storage import SqlAlchemyStorage
from application.policies import HandlerPolicy
from application.tools import ToolService
from domain.errors import StoredToolUnreadable
from domain.schema.limits import DEFAULT_LIMITS, SchemaLimits
from domain.secrets import Secret
from domain.tools.unreadable import UnreadableTool
from domain.toolset_resolution import BoundTool
from tests.builders import CANARY, function_doc, http_tool_document
from tests.integration.storage.test_sql_storage import (
    NEW_KEY,
    OLD_KEY,
    raw_sensitive_config,
    seed,
    set_raw_sensitive_config,
)

STRICT = SchemaLimits(max_schema_bytes=1024)
WORDY = {"type": "object", "properties": {"text": {"type": "string", "description": "x" * 2000}}}
WORDY_NEWS = http_tool_document("news", [function_doc("get_headlines", WORDY)])
"""Version 2 of ``news``: fine under the default limits, too big for :data:`STRICT`."""


@pytest.fixture
async def seeded(url: str) -> str:
    """``url``, migrated and seeded: agent ``support`` bound to weather (with a secret),
    news and maps (disabled), under the old key."""
    async with opened(url) as storage:
        await storage.upgrade()
        await seed(storage)
    return url


class opened:  # noqa: N801 (used like a function: ``async with opened(url) as storage``)
    """An open storage on ``url`` with the given keys (default: the old key) and limits."""

    def __init__(
        self, url: str, *keys: tuple[str, bytes], limits: SchemaLimits = DEFAULT_LIMITS
    ) -> None:
        self.storage = SqlAlchemyStorage(url, AesGcmSecretCipher(list(keys or [OLD_KEY])), limits)

    async def __aenter__(self) -> SqlAlchemyStorage:
        await self.storage.open()
        return self.storage

    async def __aexit__(self, *exc_info: object) -> None:
        await self.storage.close()


async def set_raw_text(storage: SqlAlchemyStorage, binding_id: str, text: str) -> None:
    """Overwrite one binding's stored ``sensitive_config`` with any text (SQLite keeps it)."""
    async with storage.engine.begin() as connection:
        await connection.execute(
            sa.text("UPDATE agent_tools SET sensitive_config = :text WHERE id = :id"),
            {"text": text, "id": binding_id},
        )


async def raw_text(storage: SqlAlchemyStorage, binding_id: str) -> str:
    """One binding's stored ``sensitive_config``, as text."""
    async with storage.engine.connect() as connection:
        query = sa.text("SELECT sensitive_config FROM agent_tools WHERE id = :id")
        return str((await connection.execute(query, {"id": binding_id})).scalar_one())


async def load(storage: SqlAlchemyStorage) -> list[BoundTool]:
    async with storage.unit_of_work(read_only=True) as uow:
        return await uow.bindings.load_toolset("agent-support")


def tools_of(storage: SqlAlchemyStorage) -> ToolService:
    return ToolService(
        storage.unit_of_work, InMemoryModelCompatibility(), HandlerPolicy(), storage._limits
    )


# ------------------------------------------------------------------ tools under stricter rules


async def test_a_tool_that_stricter_limits_refuse_costs_only_its_bindings(seeded: str) -> None:
    async with opened(seeded) as storage:
        await tools_of(storage).define(
            http_tool_document("news", [function_doc("get_headlines", WORDY)])
        )

    async with opened(seeded, limits=STRICT) as strict:
        bound = await load(strict)
        listed = await tools_of(strict).list_all()

    by_name = {item.tool.name: item.tool for item in bound}
    assert isinstance(by_name["news"], UnreadableTool)
    assert "1024" in by_name["news"].reason
    assert by_name["weather"].version == 1
    assert not isinstance(by_name["weather"], UnreadableTool)
    assert [(tool.name, isinstance(tool, UnreadableTool)) for tool in listed] == [
        ("maps", False),
        ("news", True),
        ("weather", False),
    ]


async def test_an_unreadable_tool_is_named_when_read_and_repaired_by_defining_it_again(
    seeded: str,
) -> None:
    async with opened(seeded) as storage:
        await tools_of(storage).define(
            http_tool_document("news", [function_doc("get_headlines", WORDY)])
        )

    async with opened(seeded, limits=STRICT) as strict:
        tools = tools_of(strict)
        with pytest.raises(
            StoredToolUnreadable, match=r"tool 'news' \(version 2\).*define it again"
        ):
            await tools.show("news")
        repaired = await tools.define(http_tool_document("news", ["get_headlines"]))
        bound = await load(strict)

    assert (repaired.changed, repaired.tool.version) == (True, 3)
    assert [item.tool.name for item in bound] == ["weather", "news"]
    assert not any(isinstance(item.tool, UnreadableTool) for item in bound)


async def test_an_unreadable_tool_can_still_be_deleted(seeded: str) -> None:
    async with opened(seeded) as storage:
        await tools_of(storage).define(http_tool_document("lonely", [function_doc("f", WORDY)]))

    async with opened(seeded, limits=STRICT) as strict:
        await tools_of(strict).delete("lonely")
        listed = await tools_of(strict).list_all()

    assert "lonely" not in [tool.name for tool in listed]


# ------------------------------------------------------------------ unusable stored secrets


@pytest.mark.parametrize("column", [None, [], ["a", "b"], 42, "just text"])
async def test_stored_secrets_that_are_not_an_object_cost_only_their_binding(
    seeded: str, column: Any
) -> None:
    async with opened(seeded) as storage:
        await set_raw_sensitive_config(storage, "agent-support/news", column)
        bound = await load(storage)

    weather, news = bound
    assert weather.binding.secrets["api_key"].reveal() == CANARY
    assert news.binding.secrets == {}
    assert news.unreadable_secrets is not None
    assert "not an object of secrets" in news.unreadable_secrets


async def test_stored_secrets_that_are_not_json_cost_only_their_binding(sqlite_url: str) -> None:
    async with opened(sqlite_url) as storage:
        await storage.upgrade()
        await seed(storage)
        await set_raw_text(storage, "agent-support/news", '{"api_key": ' + CANARY)
        bound = await load(storage)
        report = await storage.rotate_secrets()

    weather, news = bound
    assert weather.unreadable_secrets is None
    assert news.unreadable_secrets == "its stored sensitive_config is not JSON"
    assert [(u.binding_id, u.secret_name) for u in report.unreadable] == [
        ("agent-support/news", None)
    ]
    assert CANARY not in repr(report)


async def test_changing_a_binding_whose_stored_secrets_are_unusable_keeps_them(
    sqlite_url: str,
) -> None:
    async with opened(sqlite_url) as storage:
        await storage.upgrade()
        await seed(storage)
        await set_raw_text(storage, "agent-support/news", "not json at all")
        async with storage.unit_of_work() as uow:
            binding = await uow.bindings.get("agent-support", "news")
            assert binding is not None
            await uow.bindings.update(replace(binding, enabled=False))
            await uow.commit()
        disabled = await raw_text(storage, "agent-support/news")
        async with storage.unit_of_work() as uow:
            binding = await uow.bindings.get("agent-support", "news")
            assert binding is not None
            repaired = replace(binding, enabled=True, secrets={"token": Secret("t")})
            await uow.bindings.update(repaired)
            await uow.commit()
        bound = await load(storage)

    assert disabled == "not json at all"
    assert bound[1].binding.secrets["token"].reveal() == "t"


# ------------------------------------------------------------------ rotation goes on


async def test_rotation_goes_past_unreadable_secrets_and_names_each(seeded: str) -> None:
    lost_key = ("lost", bytes(range(2, 34)))
    async with opened(seeded, lost_key) as storage, storage.unit_of_work() as uow:
        binding = await uow.bindings.get("agent-support", "news")
        assert binding is not None
        await uow.bindings.update(replace(binding, secrets={"token": Secret("t")}))
        await uow.commit()
    async with opened(seeded, OLD_KEY) as storage:
        await set_raw_sensitive_config(storage, "agent-support/maps", [])

    async with opened(seeded, NEW_KEY, OLD_KEY) as rotating:
        report = await rotating.rotate_secrets()
        stored = await raw_sensitive_config(rotating)

    assert report.resealed == 1
    assert stored["agent-support/weather"]["api_key"]["key_id"] == "new"
    assert stored["agent-support/news"]["token"]["key_id"] == "lost"
    assert sorted((u.binding_id, u.secret_name) for u in report.unreadable) == [
        ("agent-support/maps", None),
        ("agent-support/news", "token"),
    ]
    assert "'lost'" in next(u.reason for u in report.unreadable if u.secret_name == "token")
