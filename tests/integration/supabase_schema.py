"""The Supabase schema on the throwaway PostgreSQL server, with Supabase's roles.

Supabase's ``anon``, ``authenticated`` and ``service_role`` roles, the ``auth.uid()``
and ``auth.role()`` functions and the default privileges Supabase gives them in
``public`` are created as Supabase defines them, then the migrations in
``supabase/migrations`` are applied in order, as ``supabase db push`` would.
"""

from __future__ import annotations

from pathlib import Path

import asyncpg

MIGRATIONS = Path(__file__).resolve().parents[2] / "supabase" / "migrations"

SUPABASE_PLATFORM = """
do $$
declare
    role_name text;
begin
    foreach role_name in array array['anon', 'authenticated', 'service_role'] loop
        begin
            execute format('create role %I nologin noinherit', role_name);
        exception when duplicate_object or unique_violation then
            null;
        end;
    end loop;
end
$$;
alter role service_role bypassrls;
create schema if not exists auth;
create or replace function auth.uid() returns uuid language sql stable as $$
    select coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
$$;
create or replace function auth.role() returns text language sql stable as $$
    select coalesce(
        nullif(current_setting('request.jwt.claim.role', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
    )::text
$$;
grant usage on schema auth to anon, authenticated, service_role;
grant execute on function auth.uid(), auth.role() to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public
    grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public
    grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public
    grant all on sequences to anon, authenticated, service_role;
"""


def dsn(url: str) -> str:
    """A libpq DSN for asyncpg from the fixtures' SQLAlchemy URL."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def apply_supabase_schema(url: str) -> None:
    """Create Supabase's roles and auth functions in the database, then the migrations."""
    connection = await asyncpg.connect(dsn(url))
    try:
        await connection.execute(SUPABASE_PLATFORM)
        for migration in sorted(MIGRATIONS.glob("*.sql")):
            await connection.execute(migration.read_text())
    finally:
        await connection.close()
