"""SQLite's writers take turns: each takes the write lock when it begins.

A second writer waits for the first to end (within the busy timeout) and then sees
what it committed, so it never fails on a stale snapshot; readers never wait.
"""

from __future__ import annotations

import asyncio

import pytest

from adapters.sqlalchemy.storage import SqlAlchemyStorage
from domain.errors import Conflict, StorageUnavailable
from tests.builders import voice_agent
from tests.integration.storage.conftest import sql_storage


async def add_agent(storage: SqlAlchemyStorage, name: str, agent_id: str) -> None:
    async with storage.unit_of_work() as uow:
        await uow.agents.add(voice_agent(name, agent_id))
        await uow.commit()


async def test_a_second_writer_waits_for_the_first_and_sees_its_commit(sqlite_url: str) -> None:
    async with sql_storage(sqlite_url) as storage:
        async with storage.unit_of_work() as first:
            await first.agents.add(voice_agent("taken", "first"))
            second = asyncio.create_task(add_agent(storage, "taken", "second"))
            await asyncio.sleep(0.3)
            assert not second.done()
            async with storage.unit_of_work(read_only=True) as reader:
                assert await reader.agents.list_all() == []
            await first.commit()

        with pytest.raises(Conflict, match="already exists"):
            await second
        async with storage.unit_of_work(read_only=True) as reader:
            assert [agent.id for agent in await reader.agents.list_all()] == ["first"]


async def test_writers_one_after_another_all_land(sqlite_url: str) -> None:
    async with sql_storage(sqlite_url) as storage:
        await asyncio.gather(*(add_agent(storage, f"agent-{i}", f"id-{i}") for i in range(30)))

        async with storage.unit_of_work(read_only=True) as reader:
            assert len(await reader.agents.list_all()) == 30


async def test_a_read_only_unit_cannot_write(sqlite_url: str) -> None:
    async with sql_storage(sqlite_url) as storage:
        with pytest.raises(StorageUnavailable, match="readonly"):
            async with storage.unit_of_work(read_only=True) as reader:
                await reader.agents.add(voice_agent("sneaky"))

        async with storage.unit_of_work() as writer:
            await writer.agents.add(voice_agent("honest"))
            await writer.commit()
        async with storage.unit_of_work(read_only=True) as reader:
            assert [agent.name for agent in await reader.agents.list_all()] == ["honest"]
