"""The storage backends the repository contract suite runs against.

Every backend is an entry of :data:`BACKENDS`: a name (the test id) and a factory
that takes the pytest ``request`` and returns an async context manager yielding a
``UnitOfWorkFactory`` over a fresh, empty store (and cleaning it up on exit).

To add a backend (SQLite, PostgreSQL), write one such factory and add it here; the
``request`` lets it use other fixtures, for example a session-scoped database server
(``request.getfixturevalue("postgres_url")``), or ``pytest.skip`` when the server is
not available. Nothing else in the suite changes: the tests use the ports only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import asyncpg
import pytest
import respx

from adapters.memory.unit_of_work import InMemoryStorage
from adapters.secrets.aes_gcm import AesGcmSecretCipher
from adapters.sqlalchemy.storage import SqlAlchemyStorage
from adapters.supabase.rpc import SupabaseRpc
from adapters.supabase.storage import SupabaseStorage
from application.ports import SecretCipher, UnitOfWorkFactory
from domain.schema.limits import SchemaLimits
from domain.secrets import Secret
from tests.integration.storage.postgrest_standin import (
    BASE_URL,
    SERVICE_ROLE_KEY,
    PostgrestStandIn,
)
from tests.integration.supabase_schema import apply_supabase_schema, dsn

Backend = Callable[[pytest.FixtureRequest], AbstractAsyncContextManager[UnitOfWorkFactory]]
"""Opens one empty store for one test and yields its unit-of-work factory."""


@asynccontextmanager
async def memory_backend(request: pytest.FixtureRequest) -> AsyncIterator[UnitOfWorkFactory]:
    """The in-memory storage, with secrets encrypted under a throwaway key."""
    yield InMemoryStorage(AesGcmSecretCipher.ephemeral()).unit_of_work


@asynccontextmanager
async def sql_storage(url: str) -> AsyncIterator[SqlAlchemyStorage]:
    """An open, migrated SQL storage on ``url``, closed afterwards."""
    storage = SqlAlchemyStorage(url, AesGcmSecretCipher.ephemeral(), SchemaLimits())
    await storage.open()
    try:
        await storage.upgrade()
        yield storage
    finally:
        await storage.close()


@asynccontextmanager
async def sqlite_backend(request: pytest.FixtureRequest) -> AsyncIterator[UnitOfWorkFactory]:
    """A fresh SQLite file, migrated with the project's migrations."""
    tmp_path = request.getfixturevalue("tmp_path")
    async with sql_storage(f"sqlite+aiosqlite:///{tmp_path}/contract.db") as storage:
        yield storage.unit_of_work


@asynccontextmanager
async def postgres_backend(request: pytest.FixtureRequest) -> AsyncIterator[UnitOfWorkFactory]:
    """A new, empty PostgreSQL database on the session's throwaway server, migrated."""
    async with sql_storage(request.getfixturevalue("fresh_postgres_url")) as storage:
        yield storage.unit_of_work


@asynccontextmanager
async def supabase_storage(
    url: str, cipher: SecretCipher | None = None
) -> AsyncIterator[tuple[SupabaseStorage, PostgrestStandIn]]:
    """An open Supabase storage whose RPC calls reach ``url`` through the stand-in.

    The database at ``url`` gets Supabase's roles and the Supabase migrations first.
    """
    await apply_supabase_schema(url)
    pool = await asyncpg.create_pool(dsn(url), min_size=1, max_size=8)
    standin = PostgrestStandIn(dsn(url), pool)
    storage = SupabaseStorage(
        SupabaseRpc(BASE_URL, Secret(SERVICE_ROLE_KEY), timeout_seconds=30),
        cipher or AesGcmSecretCipher.ephemeral(),
        SchemaLimits(),
    )
    try:
        with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
            router.post(path__startswith="/rest/v1/rpc/").mock(side_effect=standin.handle)
            await storage.open()
            try:
                yield storage, standin
            finally:
                await storage.close()
    finally:
        await pool.close()


@asynccontextmanager
async def supabase_backend(request: pytest.FixtureRequest) -> AsyncIterator[UnitOfWorkFactory]:
    """The Supabase adapter, over the PostgREST stand-in, on a new PostgreSQL database."""
    async with supabase_storage(request.getfixturevalue("fresh_postgres_url")) as (storage, _):
        yield storage.unit_of_work


BACKENDS: dict[str, Backend] = {
    "memory": memory_backend,
    "sqlite": sqlite_backend,
    "postgres": postgres_backend,
    "supabase": supabase_backend,
}


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest) -> str:
    """A URL to an empty database of each SQL kind."""
    fixture = "sqlite_url" if request.param == "sqlite" else "fresh_postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture(params=sorted(BACKENDS))
async def storage(request: pytest.FixtureRequest) -> AsyncIterator[UnitOfWorkFactory]:
    """A unit-of-work factory over an empty store, once per backend."""
    async with BACKENDS[request.param](request) as unit_of_work:
        yield unit_of_work


WRITERS_INTERLEAVE = ("memory", "postgres", "supabase")
"""Backends on which two writers of one process can interleave their statements.

SQLite's writers take the write lock when they begin, so a second writer waits for the
first to end: a test that makes one writer wait for another inside its transaction
would wait for itself. ``test_sqlite_writers.py`` covers SQLite's side.
"""


@pytest.fixture(params=WRITERS_INTERLEAVE)
async def interleaving_storage(request: pytest.FixtureRequest) -> AsyncIterator[UnitOfWorkFactory]:
    """A unit-of-work factory over an empty store whose writers interleave."""
    async with BACKENDS[request.param](request) as unit_of_work:
        yield unit_of_work
