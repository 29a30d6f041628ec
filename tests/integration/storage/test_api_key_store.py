"""The API key store's contract, on every backend: memory, SQLite, PostgreSQL, Supabase."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta

import pytest

from adapters.memory.api_keys import InMemoryApiKeyStore
from adapters.sqlalchemy.api_keys import SqlAlchemyApiKeyStore
from adapters.supabase.api_keys import SupabaseApiKeyStore
from application.ports import ApiKeyStore
from domain.api_keys import ApiKey, Scope
from domain.errors import Conflict
from tests.builders import EPOCH
from tests.integration.storage.conftest import sql_storage, supabase_storage


@asynccontextmanager
async def _memory(request: pytest.FixtureRequest) -> AsyncIterator[ApiKeyStore]:
    yield InMemoryApiKeyStore()


@asynccontextmanager
async def _sqlite(request: pytest.FixtureRequest) -> AsyncIterator[ApiKeyStore]:
    tmp_path = request.getfixturevalue("tmp_path")
    async with sql_storage(f"sqlite+aiosqlite:///{tmp_path}/keys.db") as storage:
        yield SqlAlchemyApiKeyStore(storage)


@asynccontextmanager
async def _postgres(request: pytest.FixtureRequest) -> AsyncIterator[ApiKeyStore]:
    async with sql_storage(request.getfixturevalue("fresh_postgres_url")) as storage:
        yield SqlAlchemyApiKeyStore(storage)


@asynccontextmanager
async def _supabase(request: pytest.FixtureRequest) -> AsyncIterator[ApiKeyStore]:
    url = request.getfixturevalue("fresh_postgres_url")
    async with supabase_storage(url) as (storage, _):
        yield SupabaseApiKeyStore(storage._rpc)


STORES = {"memory": _memory, "sqlite": _sqlite, "postgres": _postgres, "supabase": _supabase}


@pytest.fixture(params=sorted(STORES))
async def store(request: pytest.FixtureRequest) -> AsyncIterator[ApiKeyStore]:
    opened: AbstractAsyncContextManager[ApiKeyStore] = STORES[request.param](request)
    async with opened as store:
        yield store


def _key(name: str, key_id: str, *scopes: Scope) -> ApiKey:
    return ApiKey(key_id, name, frozenset(scopes), "ab" * 32, EPOCH)


async def test_a_key_reads_back_as_stored(store: ApiKeyStore) -> None:
    key = _key("deployer", "0123456789ab", Scope.TOOLS_WRITE, Scope.CALLS_READ)

    await store.add(key)

    assert await store.get("0123456789ab") == key
    assert await store.get("ffffffffffff") is None
    assert await store.list_all() == [key]


async def test_names_are_unique(store: ApiKeyStore) -> None:
    await store.add(_key("deployer", "000000000001", Scope.ADMIN))

    with pytest.raises(Conflict, match="deployer"):
        await store.add(_key("deployer", "000000000002", Scope.ADMIN))

    assert [key.id for key in await store.list_all()] == ["000000000001"]


async def test_keys_are_listed_by_name(store: ApiKeyStore) -> None:
    for name, key_id in (("zeta", "000000000001"), ("alpha", "000000000002")):
        await store.add(_key(name, key_id, Scope.ADMIN))

    assert [key.name for key in await store.list_all()] == ["alpha", "zeta"]


async def test_revoking_keeps_the_key_marked_with_its_first_time(store: ApiKeyStore) -> None:
    await store.add(_key("leaving", "000000000001", Scope.ADMIN))

    first = await store.revoke("leaving", EPOCH + timedelta(days=1))
    again = await store.revoke("leaving", EPOCH + timedelta(days=2))

    assert first is not None
    assert again is not None
    assert first.revoked_at == again.revoked_at == EPOCH + timedelta(days=1)
    stored = await store.get("000000000001")
    assert stored is not None
    assert stored.revoked
    assert await store.revoke("nobody", EPOCH) is None
