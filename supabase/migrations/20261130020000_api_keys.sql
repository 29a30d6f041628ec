-- Admin API keys (Alembic revision 0004): a name, scopes and the key's SHA-256, never
-- the key. Only the service role reads or writes them: no policy lets anon or
-- authenticated see a row, and they are not granted the table at all.

create table public.api_keys (
    id varchar(32) not null,
    name varchar(100) not null,
    scopes jsonb not null,
    key_hash varchar(64) not null,
    created_at timestamp with time zone not null,
    revoked_at timestamp with time zone,
    constraint pk_api_keys primary key (id),
    constraint uq_api_keys_name unique (name)
);

alter table public.api_keys enable row level security;
revoke all on public.api_keys from anon, authenticated;

create or replace function public.tool_platform_schema_version() returns text
language sql immutable security invoker set search_path = ''
as $$ select '0004'::text $$;

-- Store a new key; a taken name is the platform's conflict.
create function public.tool_platform_api_key_add(item jsonb) returns void
language plpgsql security invoker set search_path = ''
as $$
begin
    insert into public.api_keys (id, name, scopes, key_hash, created_at, revoked_at)
    values (item ->> 'id', item ->> 'name', item -> 'scopes', item ->> 'key_hash',
            (item ->> 'created_at')::timestamptz, (item ->> 'revoked_at')::timestamptz);
exception when unique_violation then
    perform public.tool_platform_refuse('23505', 'conflict',
        pg_catalog.format('an API key named %L already exists', item ->> 'name'));
end
$$;

-- Every key by name, or the one with the given id.
create function public.tool_platform_api_keys(key_id text) returns jsonb
language sql stable security invoker set search_path = ''
as $$
    select coalesce(jsonb_agg(to_jsonb(k) order by k.name collate "C"), '[]'::jsonb)
    from public.api_keys k
    where key_id is null or k.id = key_id
$$;

-- Revoke the named key (a revoked key keeps its first time); the key's rows after it.
create function public.tool_platform_api_key_revoke(key_name text, at timestamptz) returns jsonb
language plpgsql security invoker set search_path = ''
as $$
begin
    update public.api_keys k set revoked_at = at
    where k.name = key_name and k.revoked_at is null;
    return (
        select coalesce(jsonb_agg(to_jsonb(k)), '[]'::jsonb)
        from public.api_keys k where k.name = key_name);
end
$$;

revoke all on function public.tool_platform_api_key_add(jsonb),
    public.tool_platform_api_keys(text), public.tool_platform_api_key_revoke(text, timestamptz)
    from public, anon, authenticated;
grant execute on function public.tool_platform_api_key_add(jsonb),
    public.tool_platform_api_keys(text), public.tool_platform_api_key_revoke(text, timestamptz)
    to service_role;
