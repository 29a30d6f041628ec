"""The throwaway PostgreSQL server and its fixtures (``postgres.py``, ``conftest.py``)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, make_url, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.integration import postgres

EXTERNAL_SERVER = bool(os.environ.get(postgres.TEST_DATABASE_URL_ENV, "").strip())


@pytest.fixture
async def engine(fresh_postgres_url: str) -> AsyncIterator[AsyncEngine]:
    """An asyncpg engine over a fresh, empty database."""
    engine = create_async_engine(fresh_postgres_url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def test_a_jsonb_document_round_trips(engine: AsyncEngine) -> None:
    metadata = MetaData()
    documents = Table(
        "documents",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("body", JSONB, nullable=False),
    )
    body = {
        "name": "get_weather",
        "parameters": {"type": "object", "required": ["city"], "nested": [1, 2.5, None]},
        "enabled": True,
        "unicode": "Zürich ☀",
    }
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(documents.insert().values(id=1, body=body))
    async with engine.connect() as connection:
        assert (await connection.execute(select(documents.c.body))).scalar_one() == body
        column_type = await connection.scalar(
            text(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 'documents' AND column_name = 'body'"
            )
        )
        assert column_type == "jsonb"
        found = await connection.scalar(
            select(documents.c.id).where(
                documents.c.body["parameters"]["required"][0].astext == "city"
            )
        )
        assert found == 1


async def test_the_server_is_postgresql_15(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        version = int(await connection.scalar(text("SHOW server_version_num")) or 0)
        encoding = await connection.scalar(text("SHOW server_encoding"))
    if EXTERNAL_SERVER:
        pytest.skip(f"{postgres.TEST_DATABASE_URL_ENV} is set: the server's version is its own")
    assert 150000 <= version < 160000
    assert encoding == "UTF8"


async def test_a_fresh_database_is_empty(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        tables = await connection.scalar(
            text("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        )
    assert tables == 0


async def test_two_fresh_databases_are_distinct(
    fresh_postgres_url: str, postgres_database_factory: postgres.DatabaseFactory
) -> None:
    other_url = postgres_database_factory()
    assert make_url(other_url).database != make_url(fresh_postgres_url).database
    first, second = create_async_engine(fresh_postgres_url), create_async_engine(other_url)
    try:
        async with first.begin() as connection:
            await connection.execute(text("CREATE TABLE only_here (id INTEGER)"))
        async with second.connect() as connection:
            names = await connection.scalar(
                text("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'")
            )
            assert names == 0
            current = await connection.scalar(text("SELECT current_database()"))
            assert current == make_url(other_url).database
    finally:
        await first.dispose()
        await second.dispose()


async def test_the_factory_drops_its_databases_even_with_open_connections(
    postgres_url: str,
) -> None:
    with postgres.DatabaseFactory(postgres_url) as factory:
        url = factory()
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        # the pool keeps the connection open: DROP ... WITH (FORCE) must still work
    server = create_async_engine(postgres_url)
    try:
        async with server.connect() as connection:
            left = await connection.scalar(
                text("SELECT count(*) FROM pg_database WHERE datname = :name"),
                {"name": make_url(url).database},
            )
        assert left == 0
    finally:
        await server.dispose()
        with pytest.raises(DBAPIError):  # its pooled connection was terminated
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        await engine.dispose()


def test_the_session_url_is_an_asyncpg_loopback_url(postgres_url: str) -> None:
    url = make_url(postgres_url)
    assert url.drivername == "postgresql+asyncpg"
    if not EXTERNAL_SERVER:
        assert url.host == "127.0.0.1"
        assert url.username == postgres.SUPERUSER
        assert url.database == postgres.SESSION_DATABASE


def test_sqlite_url_points_into_tmp_path(sqlite_url: str, tmp_path: Path) -> None:
    url = make_url(sqlite_url)
    assert url.drivername == "sqlite+aiosqlite"
    assert url.database == str(tmp_path / "tool_platform.db")


# ------------------------------------------------- no server: skip, or fail under CI


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@h:5/db", "postgresql+asyncpg://u:p@h:5/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        (
            "postgresql+psycopg://u@h/db?sslmode=disable",
            "postgresql+asyncpg://u@h/db?sslmode=disable",
        ),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_asyncpg_url(url: str, expected: str) -> None:
    assert postgres.asyncpg_url(url).render_as_string(hide_password=False) == expected


def test_asyncpg_url_refuses_other_databases() -> None:
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        postgres.asyncpg_url("sqlite+aiosqlite:///x.db")


def test_no_server_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    problem = postgres.PostgresUnavailable("initdb failed", "line one\ninitdb: error: boom\n")
    with pytest.raises(pytest.skip.Exception, match=r"initdb failed \(initdb: error: boom\)"):
        postgres.unavailable(problem)


def test_no_server_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    problem = postgres.PostgresUnavailable("initdb failed", "line one\ninitdb: error: boom\n")
    with pytest.raises(pytest.fail.Exception) as failure:
        postgres.unavailable(problem)
    assert "required under CI=true" in str(failure.value)
    assert "line one\ninitdb: error: boom" in str(failure.value)


@pytest.mark.parametrize("ci", ["", "true"])
def test_a_failing_initdb_skips_or_fails_and_leaves_nothing_behind(
    ci: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Broken binaries: the reason and output are reported and the temp dir is removed."""
    monkeypatch.setenv("CI", ci)
    monkeypatch.delenv(postgres.TEST_DATABASE_URL_ENV, raising=False)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for name in ("initdb", "pg_ctl"):
        script = bindir / name
        script.write_text("#!/bin/sh\necho 'initdb: error: simulated failure' >&2\nexit 1\n")
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    folders = {Path(tempfile.gettempdir()), Path("/tmp"), postgres.SHM_DIR}
    before = {path for folder in folders for path in folder.glob(f"{postgres.ROOT_PREFIX}*")}
    expected = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(expected, match="initdb failed"):
        next(postgres.session_server_url(bindir))
    after = {path for folder in folders for path in folder.glob(f"{postgres.ROOT_PREFIX}*")}
    assert after <= before


def test_the_sweep_removes_only_clusters_of_dead_sessions(tmp_path: Path) -> None:
    finished = subprocess.Popen(["true"])
    finished.wait()  # reaped: its pid names no process now
    base = postgres.SHM_DIR if postgres.SHM_DIR.is_dir() else Path(tempfile.gettempdir())
    orphan = Path(tempfile.mkdtemp(prefix=postgres.ROOT_PREFIX, dir=base))
    alive = Path(tempfile.mkdtemp(prefix=postgres.ROOT_PREFIX, dir=base))
    try:
        (orphan / postgres.OWNER_FILE).write_text(str(finished.pid))
        (alive / postgres.OWNER_FILE).write_text(str(os.getppid()))
        removed = postgres.sweep_stale_clusters(tmp_path, run_as=None)
        assert orphan in removed
        assert not orphan.exists()
        assert alive.exists()
    finally:
        shutil.rmtree(orphan, ignore_errors=True)
        shutil.rmtree(alive, ignore_errors=True)
