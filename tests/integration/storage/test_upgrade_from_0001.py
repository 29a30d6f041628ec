"""A database made by the code of schema revision 0001 upgrades without new versions.

On SQLite the fixture file itself; on PostgreSQL its rows, copied into a database
migrated to 0001.

``fixtures/schema_0001.db`` was made by that code (``fixtures/README.md`` says how): its
stored fingerprints hash the whole run spec, defaults included. Revision 0002 rewrites
them to today's computation, and nothing else moves: no tool gets a new version, and
defining or syncing an unchanged tool again writes nothing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from adapters.code_sync import sync_packages
from adapters.executors.python import PythonHandlers
from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.secrets.aes_gcm import AesGcmSecretCipher
from adapters.sqlalchemy.storage import MIGRATIONS, SqlAlchemyStorage
from adapters.sqlalchemy.tables import agent_tools, agents, platform_tool_versions, platform_tools
from adapters.supabase.storage import SCHEMA_VERSION
from application.policies import HandlerPolicy
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.errors import McpServerUnavailable
from domain.schema.limits import SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.kinds import ToolKind

FIXTURE = Path(__file__).parent / "fixtures" / "schema_0001.db"
FIXTURE_KEYS = "fixture:" + "A" * 43 + "="
LATER_COLUMNS = {"audit_payloads"}
"""Columns added after revision 0001 (not in the fixture)."""
VERSIONS = {"echo": 1, "notes": 1, "post-box": 1, "remote": 1, "weather": 2}


def fixture_storage(url: str) -> SqlAlchemyStorage:
    """A storage on ``url`` under the fixture's key."""
    cipher = AesGcmSecretCipher.parse(FIXTURE_KEYS, "the fixture key")
    return SqlAlchemyStorage(url, cipher, SchemaLimits())


async def copy_to_postgres_at_0001(source: SqlAlchemyStorage, url: str) -> None:
    """Migrate the PostgreSQL database at ``url`` to 0001 and copy every fixture row in."""
    target = fixture_storage(url)
    await target.open()
    try:
        async with target.engine.begin() as connection:
            await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "0001"))
        async with source.engine.connect() as reading, target.engine.begin() as writing:
            for table in (agents, platform_tools, platform_tool_versions, agent_tools):
                at_0001 = [column for column in table.c if column.name not in LATER_COLUMNS]
                rows = [dict(row._mapping) for row in await reading.execute(sa.select(*at_0001))]
                await writing.execute(table.insert(), rows)
    finally:
        await target.close()


def alembic_config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@pytest.fixture(params=["sqlite", "postgres"])
async def upgraded(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[SqlAlchemyStorage, str]]:
    """The fixture's data at revision 0001 on each database, upgraded; and what it said."""
    shutil.copy(FIXTURE, tmp_path / "old.db")
    storage = fixture_storage(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    await storage.open()
    if request.param == "postgres":
        url = request.getfixturevalue("fresh_postgres_url")
        await copy_to_postgres_at_0001(storage, url)
        await storage.close()
        storage = fixture_storage(url)
        await storage.open()
    said = await storage.upgrade()
    yield storage, said
    await storage.close()


def tools(storage: SqlAlchemyStorage) -> ToolService:
    handlers = PythonHandlers(HandlerPolicy(("tests.handlers", "tests.code_tools")))
    return ToolService(storage.unit_of_work, InMemoryModelCompatibility(), handlers)


async def history_rows(storage: SqlAlchemyStorage) -> int:
    async with storage.engine.connect() as connection:
        return int(
            (
                await connection.execute(
                    sa.select(sa.func.count()).select_from(platform_tool_versions)
                )
            ).scalar_one()
        )


async def test_the_upgrade_keeps_every_version_and_stores_todays_fingerprints(
    upgraded: tuple[SqlAlchemyStorage, str],
) -> None:
    storage, said = upgraded
    async with storage.engine.connect() as connection:
        latest = (
            await connection.execute(
                sa.select(
                    platform_tools.c.name, platform_tools.c.version, platform_tools.c.fingerprint
                )
            )
        ).all()
        history = (
            await connection.execute(
                sa.select(platform_tool_versions.c.document, platform_tool_versions.c.fingerprint)
            )
        ).all()
    service = tools(storage)

    assert said == f"migrated the database schema from 0001 to revision {SCHEMA_VERSION}"
    assert {row.name: row.version for row in latest} == VERSIONS
    for row in latest:
        assert row.fingerprint == (await service.show(row.name)).fingerprint
    assert len(history) == 6
    for row in history:
        document = row.document if isinstance(row.document, dict) else json.loads(row.document)
        stored = await service.show(document["name"], document["version"])
        assert row.fingerprint == document["fingerprint"] == stored.fingerprint


async def test_defining_or_syncing_unchanged_tools_again_writes_nothing(
    upgraded: tuple[SqlAlchemyStorage, str],
) -> None:
    storage, _ = upgraded
    service = tools(storage)
    before = await history_rows(storage)

    redefined = []
    for tool in await service.list_all():
        assert isinstance(tool, ToolDefinition)
        document = tool.to_document()
        del document["version"], document["fingerprint"]
        if tool.kind is ToolKind.MCP and not tool.functions:
            # Stored before mcp tools were listed at define: its document, defined
            # again, now lists its (unreachable) server instead (tests/integration/mcp_define).
            with pytest.raises(McpServerUnavailable):
                await service.define(document)
            continue
        redefined.append(await service.define(document))
    synced = await sync_packages(["tests.code_tools"], service)

    assert [outcome.changed for outcome in redefined] == [False] * (len(VERSIONS) - 1)
    assert [item.outcome.changed for item in synced] == [False]
    assert await history_rows(storage) == before
    assert {tool.name: tool.version for tool in await service.list_all()} == VERSIONS


async def test_the_fixture_agent_still_loads_its_tools_and_secrets(
    upgraded: tuple[SqlAlchemyStorage, str],
) -> None:
    storage, _ = upgraded
    handlers = PythonHandlers(HandlerPolicy(("tests.handlers", "tests.code_tools")))
    every_kind = ToolKind  # what is stored, whichever kinds a runtime can run
    loader = ToolsetLoader(storage.unit_of_work, InMemoryModelCompatibility(), handlers, every_kind)

    toolset = await loader.load("front-desk")

    assert toolset.left_out == ()
    assert {function.tool.name for function in toolset.functions} == {"echo", "notes", "weather"}
    secrets = {
        injection.tool_name: {name: secret.reveal() for name, secret in injection.secrets.items()}
        for injection in toolset.injections.values()
    }
    assert secrets["weather"] == {"api_key": "fixture-api-key"}
    assert secrets["notes"] == {"notes_token": "fixture-notes-token"}
