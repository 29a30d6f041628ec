"""The statement counter of ``statements.py``, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.integration.statements import count_statements, statement_kind


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest) -> AsyncIterator[AsyncEngine]:
    """An async engine over an empty database, once per backend."""
    fixture = "sqlite_url" if request.param == "sqlite" else "fresh_postgres_url"
    url: str = request.getfixturevalue(fixture)
    engine = create_async_engine(url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def warm_up(engine: AsyncEngine) -> None:
    """Open the pool's first connection (dialect set-up happens here, not in the count)."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def test_two_selects_in_one_transaction_count_two(engine: AsyncEngine) -> None:
    await warm_up(engine)
    with count_statements(engine) as log:
        async with engine.begin() as connection:
            assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
            assert (await connection.execute(text("SELECT 2"))).scalar_one() == 2
    assert log.selects == ["SELECT 1", "SELECT 2"]
    assert log.statements == ["SELECT 1", "SELECT 2"]  # no BEGIN, COMMIT or set-up


async def test_a_cold_engine_counts_only_the_test_statements(engine: AsyncEngine) -> None:
    with count_statements(engine) as log:
        async with engine.begin() as connection:
            await connection.execute(text("SELECT 1"))
            await connection.execute(text("SELECT 1"))
    assert log.statements == ["SELECT 1", "SELECT 1"]


async def test_writes_are_recorded_but_not_counted_as_selects(engine: AsyncEngine) -> None:
    await warm_up(engine)
    with count_statements(engine) as log:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
            await connection.execute(
                text("INSERT INTO t (id, v) VALUES (:id, :v)"),
                [{"id": 1, "v": "a"}, {"id": 2, "v": "b"}],
            )
            await connection.execute(text("UPDATE t SET v = 'c' WHERE id = 1"))
            rows = await connection.execute(
                text("WITH picked AS (SELECT id, v FROM t) SELECT v FROM picked ORDER BY id")
            )
            assert rows.scalars().all() == ["c", "b"]
    kinds = [statement.kind for statement in log.recorded]
    assert kinds == ["CREATE", "INSERT", "UPDATE", "SELECT"]
    assert len(log.selects) == 1
    [insert] = log.of_kind("insert")
    assert insert.startswith("INSERT INTO t (id, v) VALUES (")
    assert log.recorded[1].executemany


async def test_the_listener_is_removed_on_exit(engine: AsyncEngine) -> None:
    with count_statements(engine) as log:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 2"))
    assert log.statements == ["SELECT 1"]


async def test_clear_forgets_what_was_recorded(engine: AsyncEngine) -> None:
    with count_statements(engine) as log:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            log.clear()
            await connection.execute(text("SELECT 2"))
    assert log.selects == ["SELECT 2"]


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("SELECT 1", "SELECT"),
        ("  select a FROM t", "SELECT"),
        ("-- a comment\n/* another\n one */ (SELECT 1) UNION (SELECT 2)", "SELECT"),
        ("WITH x AS (SELECT 1) SELECT * FROM x", "SELECT"),
        ("WITH x AS (DELETE FROM t RETURNING id) SELECT * FROM x", "WITH"),
        ("INSERT INTO t SELECT * FROM u", "INSERT"),
        ("update t set a = 1", "UPDATE"),
        ("BEGIN", "BEGIN"),
        ("SAVEPOINT sa_savepoint_1", "SAVEPOINT"),
        ("PRAGMA journal_mode=WAL", "PRAGMA"),
        ("", ""),
        ("  -- only a comment", ""),
    ],
)
def test_statement_kind(sql: str, kind: str) -> None:
    assert statement_kind(sql) == kind
