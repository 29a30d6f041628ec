"""Schema parity: the Supabase migrations make the same schema as the Alembic ones.

One fresh database gets the Alembic migrations (``tool-platform db upgrade``), another
Supabase's roles and ``supabase/migrations``; their tables, columns (types, nullability,
defaults), constraints and indexes must be the same, except the Supabase-only additions
documented in ``docs/supabase.md`` (listed below). Row-level security, policies,
privileges and functions are Supabase-only by nature and are tested on their own.
"""

from __future__ import annotations

import asyncpg
import pytest

from adapters.supabase.storage import SCHEMA_VERSION
from tests.integration.postgres import DatabaseFactory
from tests.integration.storage.conftest import sql_storage
from tests.integration.supabase_schema import apply_supabase_schema, dsn

SUPABASE_ONLY = {
    ("index", "agents", "CREATE INDEX ix_agents_owner_id ON public.agents USING btree (owner_id)"),
}
"""What only the Supabase schema has: the index the owner policies filter on."""

_COLUMNS = """
    select 'column', c.relname, format('%s %s %s default %s', a.attname,
        format_type(a.atttypid, a.atttypmod),
        case when a.attnotnull then 'not null' else 'null' end,
        pg_get_expr(d.adbin, d.adrelid))
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
        and c.relname <> 'alembic_version'
"""
_CONSTRAINTS = """
    select 'constraint', conrelid::regclass::text, conname || ' ' || pg_get_constraintdef(oid)
    from pg_constraint
    where connamespace = 'public'::regnamespace and conrelid <> 0
        and conrelid::regclass::text <> 'alembic_version'
"""
_INDEXES = """
    select 'index', tablename, indexdef from pg_indexes
    where schemaname = 'public' and tablename <> 'alembic_version'
"""


async def _schema(url: str) -> set[tuple[str, str, str]]:
    connection = await asyncpg.connect(dsn(url))
    try:
        rows = [
            tuple(row)
            for query in (_COLUMNS, _CONSTRAINTS, _INDEXES)
            for row in await connection.fetch(query)
        ]
    finally:
        await connection.close()
    return {(str(kind), str(table), str(what)) for kind, table, what in rows}


@pytest.fixture
async def migrated(postgres_database_factory: DatabaseFactory) -> tuple[str, str]:
    """Two fresh databases: one migrated by Alembic, one by the Supabase migrations."""
    alembic_url, supabase_url = postgres_database_factory(), postgres_database_factory()
    async with sql_storage(alembic_url):
        pass
    await apply_supabase_schema(supabase_url)
    return alembic_url, supabase_url


async def test_the_supabase_migrations_make_the_alembic_schema_plus_the_documented_additions(
    migrated: tuple[str, str],
) -> None:
    alembic_url, supabase_url = migrated

    alembic, supabase = await _schema(alembic_url), await _schema(supabase_url)

    assert {table for _, table, _ in alembic} == {
        "agents",
        "platform_tools",
        "platform_tool_versions",
        "agent_tools",
        "api_keys",
        "tool_calls",
    }
    assert alembic - supabase == set()
    assert supabase - alembic == SUPABASE_ONLY


async def test_the_supabase_schema_reports_the_alembic_head_it_matches(
    migrated: tuple[str, str],
) -> None:
    alembic_url, supabase_url = migrated
    alembic = await asyncpg.connect(dsn(alembic_url))
    supabase = await asyncpg.connect(dsn(supabase_url))
    try:
        head = await alembic.fetchval("select version_num from alembic_version")
        reported = await supabase.fetchval("select public.tool_platform_schema_version()")
    finally:
        await alembic.close()
        await supabase.close()

    assert head == SCHEMA_VERSION == reported
