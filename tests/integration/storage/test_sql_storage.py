"""What only the SQL storage has: migrations, the one-SELECT load, secrets at rest.

Each test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from adapters.secrets.aes_gcm import AesGcmSecretCipher
from adapters.sqlalchemy.storage import SqlAlchemyStorage
from adapters.sqlalchemy.tables import agent_tools, metadata
from adapters.storage_common.tool_versions import ToolVersions
from adapters.supabase.storage import SCHEMA_VERSION
from application.ports import EncryptedSecret, SecretAddress
from domain.errors import StorageUnavailable
from domain.schema.limits import SchemaLimits
from domain.tools.unreadable import UnreadableTool
from tests.builders import CANARY, TickingClock, agent_binding, tool_definition, voice_agent
from tests.builders import http_tool_document as document
from tests.integration.statements import count_statements

OLD_KEY = ("old", bytes(range(32)))
NEW_KEY = ("new", bytes(range(1, 33)))


def storage_on(url: str, *keys: tuple[str, bytes]) -> SqlAlchemyStorage:
    """A storage on ``url`` whose key ring is ``keys`` (default: the old key alone)."""
    return SqlAlchemyStorage(url, AesGcmSecretCipher(list(keys or [OLD_KEY])), SchemaLimits())


@pytest.fixture
async def storage(url: str) -> AsyncIterator[SqlAlchemyStorage]:
    """An open, migrated storage under the old key."""
    opened = storage_on(url)
    await opened.open()
    await opened.upgrade()
    yield opened
    await opened.close()


async def seed(storage: SqlAlchemyStorage) -> None:
    """Agent ``support`` bound to three tools, one of them disabled, with secrets."""
    tools = [
        tool_definition(document("weather", secret_names=["api_key"])),
        tool_definition(document("news", ["get_headlines"])),
        tool_definition(document("maps", ["get_route"])),
    ]
    async with storage.unit_of_work() as uow:
        for tool in tools:
            await uow.tools.add_version(tool)
        await uow.agents.add(voice_agent("support"))
        clock = TickingClock()
        await uow.bindings.add(
            agent_binding(
                "agent-support", "weather", created_at=clock(), secrets={"api_key": CANARY}
            )
        )
        await uow.bindings.add(agent_binding("agent-support", "news", created_at=clock()))
        await uow.bindings.add(
            agent_binding("agent-support", "maps", created_at=clock(), enabled=False)
        )
        await uow.commit()


async def raw_sensitive_config(storage: SqlAlchemyStorage) -> dict[str, Any]:
    """``agent_tools.sensitive_config`` by binding id, as stored."""
    async with storage.engine.connect() as connection:
        rows = await connection.execute(sa.select(agent_tools.c.id, agent_tools.c.sensitive_config))
        return {row.id: row.sensitive_config for row in rows}


async def set_raw_sensitive_config(storage: SqlAlchemyStorage, binding_id: str, value: Any) -> None:
    """Overwrite one binding's stored ``sensitive_config``."""
    async with storage.engine.begin() as connection:
        await connection.execute(
            agent_tools.update()
            .where(agent_tools.c.id == binding_id)
            .values(sensitive_config=value)
        )


# ------------------------------------------------------------------ migrations


async def test_the_migrations_create_exactly_the_tables_the_code_declares(
    storage: SqlAlchemyStorage,
) -> None:
    async with storage.engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )

    assert differences == []


async def test_upgrading_again_changes_nothing(storage: SqlAlchemyStorage) -> None:
    said = await storage.upgrade()
    assert said == f"the database schema is up to date (revision {SCHEMA_VERSION})"


# ------------------------------------------------------------------ one round trip


async def test_loading_a_toolset_is_one_select(storage: SqlAlchemyStorage) -> None:
    await seed(storage)
    async with storage.unit_of_work() as uow:
        await uow.bindings.load_toolset("agent-support")  # warm: its tool versions read

        with count_statements(storage.engine) as log:
            bound = await uow.bindings.load_toolset("agent-support")

    assert len(log.selects) == 1, log.statements
    assert [item.tool.name for item in bound] == ["weather", "news"]
    assert bound[0].binding.secrets["api_key"].reveal() == CANARY
    assert bound[0].unreadable_secrets is None


@pytest.mark.parametrize("reference", ["agent-support", "support"])
async def test_loading_an_agent_with_its_toolset_is_one_select(
    storage: SqlAlchemyStorage, reference: str
) -> None:
    await seed(storage)
    async with storage.unit_of_work() as uow:
        await uow.bindings.load_toolset("agent-support")  # warm: its tool versions read

        with count_statements(storage.engine) as log:
            found = await uow.bindings.load_agent_toolset(reference)

    assert len(log.selects) == 1, log.statements
    assert found is not None
    agent, bound = found
    assert agent == voice_agent("support")
    assert [item.tool.name for item in bound] == ["weather", "news"]
    assert bound[0].binding.secrets["api_key"].reveal() == CANARY


async def test_versions_not_read_yet_cost_one_more_select_of_their_tools_only(
    storage: SqlAlchemyStorage,
) -> None:
    await seed(storage)
    async with storage.unit_of_work() as uow:
        await uow.agents.get("agent-support")  # warm: a pooled connection, types known

        with count_statements(storage.engine) as cold:
            first = await uow.bindings.load_agent_toolset("agent-support")
        await uow.tools.add_version(
            tool_definition(document("news", ["get_headlines", "get_sports"]), version=2)
        )
        with count_statements(storage.engine) as one_new:
            second = await uow.bindings.load_agent_toolset("agent-support")

    assert len(cold.selects) == 2, cold.statements
    assert "tool_functions_schema" not in cold.selects[0]
    assert "tool_functions_schema" in cold.selects[1]
    assert len(one_new.selects) == 2, one_new.statements
    assert first is not None
    assert second is not None
    assert [item.tool.version for item in second[1]] == [1, 2]
    assert second[1][0].tool is first[1][0].tool
    assert second[1][1].tool is not first[1][1].tool


async def test_an_agent_without_bindings_loads_with_an_empty_toolset_and_no_agent_none(
    storage: SqlAlchemyStorage,
) -> None:
    async with storage.unit_of_work() as uow:
        await uow.agents.add(voice_agent("lonely"))
        await uow.commit()
    async with storage.unit_of_work(read_only=True) as uow:
        lonely = await uow.bindings.load_agent_toolset("lonely")
        nobody = await uow.bindings.load_agent_toolset("nobody")

    assert lonely == (voice_agent("lonely"), [])
    assert nobody is None


async def test_the_id_wins_over_another_agents_name(storage: SqlAlchemyStorage) -> None:
    await seed(storage)
    async with storage.unit_of_work() as uow:
        await uow.agents.add(voice_agent("agent-support", agent_id="agent-other"))
        await uow.commit()
    async with storage.unit_of_work(read_only=True) as uow:
        found = await uow.bindings.load_agent_toolset("agent-support")

    assert found is not None
    assert found[0].id == "agent-support"
    assert len(found[1]) == 2


async def test_a_loaded_bindings_config_and_allowlist_are_what_was_stored(
    storage: SqlAlchemyStorage,
) -> None:
    config = {"units": "metric", "levels": [1, 2.5, None, True], "nested": {"a": {}}}
    async with storage.unit_of_work() as uow:
        for name in ("weather", "news", "maps"):
            await uow.tools.add_version(tool_definition(document(name, [f"{name}_now"])))
        await uow.agents.add(voice_agent("support"))
        clock = TickingClock()
        await uow.bindings.add(agent_binding("agent-support", "weather", created_at=clock()))
        await uow.bindings.add(
            agent_binding(
                "agent-support", "news", created_at=clock(), config=config, functions=["news_now"]
            )
        )
        await uow.bindings.add(
            agent_binding("agent-support", "maps", created_at=clock(), functions=[])
        )
        await uow.commit()
    async with storage.engine.begin() as connection:  # an allowlist stored as SQL NULL
        await connection.execute(
            agent_tools.update()
            .where(agent_tools.c.id == "agent-support/weather")
            .values(functions=sa.null())
        )

    async with storage.unit_of_work(read_only=True) as uow:
        first = await uow.bindings.load_agent_toolset("support")
        second = await uow.bindings.load_agent_toolset("support")

    assert first is not None
    assert second is not None
    bindings = [item.binding for item in first[1]]
    assert [(binding.config, binding.functions) for binding in bindings] == [
        ({}, None),
        (config, ("news_now",)),
        ({}, ()),
    ]
    assert first[1][0].binding.config is not second[1][0].binding.config


async def test_loads_share_each_tool_version_and_new_limits_read_it_again(url: str) -> None:
    versions = ToolVersions()

    def sharing(limits: SchemaLimits) -> SqlAlchemyStorage:
        cipher = AesGcmSecretCipher([OLD_KEY])
        return SqlAlchemyStorage(url, cipher, limits, tool_versions=versions)

    first, second, strict = (
        sharing(SchemaLimits()),
        sharing(SchemaLimits()),
        sharing(SchemaLimits(max_schema_bytes=64)),
    )
    await first.open()
    await first.upgrade()
    await seed(first)
    await first.close()
    loaded = []
    for storage in (first, second, strict):
        await storage.open()
        async with storage.unit_of_work(read_only=True) as uow:
            loaded.append(await uow.bindings.load_toolset("agent-support"))
        await storage.close()

    assert loaded[0][0].tool is loaded[1][0].tool
    assert loaded[0][1].tool is loaded[1][1].tool
    assert isinstance(loaded[2][0].tool, UnreadableTool)
    assert "the limit is 64" in loaded[2][0].tool.reason


class CountingCipher(AesGcmSecretCipher):
    """The old key, counting decryptions."""

    def __init__(self) -> None:
        super().__init__([OLD_KEY])
        self.decrypted = 0

    def decrypt(self, secret: EncryptedSecret, address: SecretAddress) -> str:
        self.decrypted += 1
        return super().decrypt(secret, address)


async def test_the_bind_time_name_check_is_one_select_that_decrypts_nothing(url: str) -> None:
    cipher = CountingCipher()
    storage = SqlAlchemyStorage(url, cipher, SchemaLimits())
    await storage.open()
    await storage.upgrade()
    await seed(storage)
    async with storage.unit_of_work() as uow:
        await uow.agents.get("agent-support")  # warm: a pooled connection, types known

        with count_statements(storage.engine) as log:
            names = await uow.bindings.enabled_function_names(
                "agent-support", {"get_forecast", "get_headlines", "get_route"}
            )
    await storage.close()

    assert len(log.selects) == 1, log.statements
    assert names == {"get_forecast": "weather", "get_headlines": "news"}
    assert cipher.decrypted == 0


# ------------------------------------------------------------------ secrets at rest


async def test_secrets_are_stored_as_ciphertexts_with_their_key_id(
    storage: SqlAlchemyStorage,
) -> None:
    await seed(storage)

    stored = (await raw_sensitive_config(storage))["agent-support/weather"]

    assert set(stored) == {"api_key"}
    assert stored["api_key"]["key_id"] == "old"
    assert CANARY.encode() not in base64.b64decode(stored["api_key"]["ciphertext"])


async def test_a_ciphertext_copied_into_another_binding_does_not_decrypt(
    storage: SqlAlchemyStorage,
) -> None:
    await seed(storage)
    stolen = (await raw_sensitive_config(storage))["agent-support/weather"]
    await set_raw_sensitive_config(storage, "agent-support/news", stolen)

    async with storage.unit_of_work() as uow:
        bound = await uow.bindings.load_toolset("agent-support")

    weather, news = bound
    assert weather.unreadable_secrets is None
    assert news.binding.secrets == {}
    assert news.unreadable_secrets is not None
    assert "does not decrypt" in news.unreadable_secrets


async def test_plaintext_secrets_are_refused_at_load_until_encrypted_in_place(
    storage: SqlAlchemyStorage,
) -> None:
    await seed(storage)
    await set_raw_sensitive_config(storage, "agent-support/weather", {"api_key": CANARY})

    async with storage.unit_of_work() as uow:
        refused = (await uow.bindings.load_toolset("agent-support"))[0]
    encrypted = await storage.encrypt_plaintext_secrets()
    async with storage.unit_of_work() as uow:
        repaired = (await uow.bindings.load_toolset("agent-support"))[0]

    assert refused.unreadable_secrets is not None
    assert "secrets encrypt-plaintext" in refused.unreadable_secrets
    assert CANARY not in refused.unreadable_secrets
    assert encrypted.resealed == 1
    assert (await raw_sensitive_config(storage))["agent-support/weather"]["api_key"][
        "key_id"
    ] == "old"
    assert repaired.binding.secrets["api_key"].reveal() == CANARY
    assert (await storage.encrypt_plaintext_secrets()).resealed == 0


async def test_rotation_re_encrypts_under_the_first_key_and_old_keys_can_go(url: str) -> None:
    before = storage_on(url, OLD_KEY)
    await before.open()
    await before.upgrade()
    await seed(before)
    await before.close()

    rotating = storage_on(url, NEW_KEY, OLD_KEY)
    await rotating.open()
    rotated = await rotating.rotate_secrets()
    again = await rotating.rotate_secrets()
    stored = await raw_sensitive_config(rotating)
    await rotating.close()

    after = storage_on(url, NEW_KEY)
    await after.open()
    async with after.unit_of_work() as uow:
        bound = await uow.bindings.load_toolset("agent-support")
    await after.close()

    assert (rotated.resealed, again.resealed) == (1, 0)
    assert rotated.unreadable == again.unreadable == ()
    assert stored["agent-support/weather"]["api_key"]["key_id"] == "new"
    assert bound[0].binding.secrets["api_key"].reveal() == CANARY


async def test_deleting_an_agent_deletes_its_binding_rows_and_their_secrets(
    storage: SqlAlchemyStorage,
) -> None:
    await seed(storage)

    async with storage.unit_of_work() as uow:
        await uow.agents.delete("agent-support")
        await uow.commit()

    assert await raw_sensitive_config(storage) == {}


# ------------------------------------------------------------------ faults


async def test_an_unreachable_database_is_a_clear_storage_error() -> None:
    unreachable = SqlAlchemyStorage(
        "postgresql+asyncpg://nobody@127.0.0.1:9/none",
        AesGcmSecretCipher([OLD_KEY]),
        SchemaLimits(),
    )
    await unreachable.open()
    try:
        with pytest.raises(StorageUnavailable, match="the database cannot be used"):
            async with unreachable.unit_of_work():
                pass
    finally:
        await unreachable.close()
