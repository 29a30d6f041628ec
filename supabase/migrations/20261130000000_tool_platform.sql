-- The tool platform's schema on Supabase: the same tables, columns, constraints and
-- cascade/restrict rules as the Alembic migrations up to revision 0002 (a test compares
-- them), plus what only Supabase needs: row-level security, column privileges that keep
-- sensitive_config from anon and authenticated, and the RPC functions the Supabase
-- adapter calls (docs/supabase.md). Every later schema change lands in a new Alembic
-- revision and a new file here, in the same commit.

create table public.agents (
    id varchar(36) not null,
    name varchar(100) not null,
    instructions text not null,
    model varchar(200),
    voice varchar(100),
    temperature double precision,
    owner_id varchar(200),
    created_at timestamp with time zone not null,
    updated_at timestamp with time zone not null,
    constraint pk_agents primary key (id),
    constraint uq_agents_name unique (name)
);

create table public.platform_tools (
    id varchar(36) not null,
    name varchar(64) not null,
    display_name text not null,
    description text not null,
    kind varchar(16) not null,
    config_schema jsonb not null,
    auth_type varchar(64) not null,
    auth_config jsonb not null,
    secret_names jsonb not null,
    tool_functions_schema jsonb not null,
    run jsonb not null,
    version integer not null,
    fingerprint varchar(80) not null,
    created_at timestamp with time zone not null,
    updated_at timestamp with time zone not null,
    constraint pk_platform_tools primary key (id),
    constraint uq_platform_tools_name unique (name)
);

create table public.agent_tools (
    id varchar(36) not null,
    agent_id varchar(36) not null,
    tool_id varchar(36) not null,
    config jsonb not null,
    sensitive_config jsonb not null,
    is_enabled boolean not null,
    functions jsonb,
    created_at timestamp with time zone not null,
    constraint pk_agent_tools primary key (id),
    constraint fk_agent_tools_agent_id_agents foreign key (agent_id)
        references public.agents (id) on delete cascade,
    constraint fk_agent_tools_tool_id_platform_tools foreign key (tool_id)
        references public.platform_tools (id) on delete restrict,
    constraint uq_agent_tools_agent_id_tool_id unique (agent_id, tool_id)
);
create index ix_agent_tools_agent_id on public.agent_tools (agent_id);
create index ix_agent_tools_tool_id on public.agent_tools (tool_id);

create table public.platform_tool_versions (
    tool_id varchar(36) not null,
    version integer not null,
    document jsonb not null,
    fingerprint varchar(80) not null,
    created_at timestamp with time zone not null,
    constraint pk_platform_tool_versions primary key (tool_id, version),
    constraint fk_platform_tool_versions_tool_id_platform_tools foreign key (tool_id)
        references public.platform_tools (id) on delete cascade
);

-- Supabase only: the owner policies filter on owner_id.
create index ix_agents_owner_id on public.agents (owner_id);

-- ------------------------------------------------------------------ privileges
-- Supabase grants every privilege on new tables in public to anon, authenticated and
-- service_role by default; take them back and grant only what the RLS model allows.

revoke all on public.agents, public.platform_tools, public.platform_tool_versions,
    public.agent_tools from public, anon, authenticated;
grant all on public.agents, public.platform_tools, public.platform_tool_versions,
    public.agent_tools to service_role;

grant select on public.platform_tools, public.platform_tool_versions to authenticated;
grant select, insert, update, delete on public.agents to authenticated;
-- Every column but sensitive_config: authenticated can never read or write ciphertexts.
grant select (id, agent_id, tool_id, config, is_enabled, functions, created_at)
    on public.agent_tools to authenticated;
grant update (config, is_enabled, functions) on public.agent_tools to authenticated;
grant delete on public.agent_tools to authenticated;

-- ------------------------------------------------------------------ row-level security
-- service_role bypasses RLS (Supabase creates it with BYPASSRLS); anon has no
-- privilege at all; authenticated users see platform tools and their own agents.

alter table public.agents enable row level security;
alter table public.platform_tools enable row level security;
alter table public.platform_tool_versions enable row level security;
alter table public.agent_tools enable row level security;

create policy platform_tools_readable on public.platform_tools
    for select to authenticated using (true);
create policy platform_tool_versions_readable on public.platform_tool_versions
    for select to authenticated using (true);

create policy agents_owner_select on public.agents
    for select to authenticated using (owner_id = (select auth.uid())::text);
create policy agents_owner_insert on public.agents
    for insert to authenticated with check (owner_id = (select auth.uid())::text);
create policy agents_owner_update on public.agents
    for update to authenticated
    using (owner_id = (select auth.uid())::text)
    with check (owner_id = (select auth.uid())::text);
create policy agents_owner_delete on public.agents
    for delete to authenticated using (owner_id = (select auth.uid())::text);

create policy agent_tools_owner_select on public.agent_tools
    for select to authenticated using (
        exists (
            select 1 from public.agents a
            where a.id = agent_tools.agent_id and a.owner_id = (select auth.uid())::text
        )
    );
create policy agent_tools_owner_update on public.agent_tools
    for update to authenticated
    using (
        exists (
            select 1 from public.agents a
            where a.id = agent_tools.agent_id and a.owner_id = (select auth.uid())::text
        )
    )
    with check (
        exists (
            select 1 from public.agents a
            where a.id = agent_tools.agent_id and a.owner_id = (select auth.uid())::text
        )
    );
create policy agent_tools_owner_delete on public.agent_tools
    for delete to authenticated using (
        exists (
            select 1 from public.agents a
            where a.id = agent_tools.agent_id and a.owner_id = (select auth.uid())::text
        )
    );

-- ------------------------------------------------------------------ RPC functions
-- All SECURITY INVOKER (RLS and privileges apply to the caller) with search_path
-- pinned to nothing: every name below is schema-qualified.

-- The Alembic revision this schema matches; `tool-platform db upgrade` checks it.
create function public.tool_platform_schema_version() returns text
language sql immutable security invoker set search_path = ''
as $$ select '0002'::text $$;

-- Raise one of the platform's refusals: the adapter reads the kind from the hint.
create function public.tool_platform_refuse(code text, kind text, message text) returns void
language plpgsql security invoker set search_path = ''
as $$
begin
    raise exception using errcode = code, message = message, hint = 'tool_platform:' || kind;
end
$$;

-- Apply a unit of work's recorded changes, in order, in the caller's transaction:
-- all of them land or none. Each change checks the rules the in-memory store checks.
create function public.tool_platform_commit(changes jsonb) returns void
language plpgsql security invoker set search_path = ''
as $$
declare
    change jsonb;
    item jsonb;
    found_id text;
    stamp timestamptz;
begin
    for change in select value from jsonb_array_elements(changes) loop
        item := change -> 'item';
        stamp := (change ->> 'at')::timestamptz;
        case change ->> 'op'
        when 'add_version' then
            -- Concurrent definitions of one tool take turns, as on the SQL storage.
            perform pg_catalog.pg_advisory_xact_lock(29808, pg_catalog.hashtext(item ->> 'name'));
            if (item ->> 'version')::int = 1 then
                if exists (select 1 from public.platform_tools t where t.name = item ->> 'name') then
                    perform public.tool_platform_refuse('23505', 'version_conflict',
                        pg_catalog.format('version 1 of tool %L is taken', item ->> 'name'));
                end if;
                found_id := pg_catalog.gen_random_uuid()::text;
                insert into public.platform_tools (
                    id, name, display_name, description, kind, config_schema, auth_type,
                    auth_config, secret_names, tool_functions_schema, run, version,
                    fingerprint, created_at, updated_at)
                values (
                    found_id, item ->> 'name', item ->> 'display_name', item ->> 'description',
                    item ->> 'kind', item -> 'config_schema', item ->> 'auth_type',
                    item -> 'auth_config', item -> 'secret_names', item -> 'tool_functions_schema',
                    item -> 'run', 1, item ->> 'fingerprint', stamp, stamp);
            else
                update public.platform_tools t set
                    display_name = item ->> 'display_name', description = item ->> 'description',
                    kind = item ->> 'kind', config_schema = item -> 'config_schema',
                    auth_type = item ->> 'auth_type', auth_config = item -> 'auth_config',
                    secret_names = item -> 'secret_names',
                    tool_functions_schema = item -> 'tool_functions_schema', run = item -> 'run',
                    version = (item ->> 'version')::int, fingerprint = item ->> 'fingerprint',
                    updated_at = stamp
                where t.name = item ->> 'name' and t.version = (item ->> 'version')::int - 1
                returning t.id into found_id;
                if found_id is null then
                    perform public.tool_platform_refuse('23505', 'version_conflict',
                        pg_catalog.format('version %s of tool %L is taken',
                            item ->> 'version', item ->> 'name'));
                end if;
            end if;
            insert into public.platform_tool_versions (tool_id, version, document, fingerprint, created_at)
            values (found_id, (item ->> 'version')::int, change -> 'document', item ->> 'fingerprint', stamp);
        when 'delete_tool' then
            if exists (
                select 1 from public.agent_tools b join public.platform_tools t on t.id = b.tool_id
                where t.name = change ->> 'name'
            ) then
                perform public.tool_platform_refuse('23503', 'conflict', pg_catalog.format(
                    'tool %L is still bound to agents; unbind it first', change ->> 'name'));
            end if;
            delete from public.platform_tools t where t.name = change ->> 'name';
        when 'add_agent', 'update_agent' then
            if change ->> 'op' = 'add_agent' then
                if exists (select 1 from public.agents a where a.id = item ->> 'id') then
                    perform public.tool_platform_refuse('23505', 'conflict', pg_catalog.format(
                        'an agent with id %L already exists', item ->> 'id'));
                end if;
            elsif not exists (select 1 from public.agents a where a.id = item ->> 'id') then
                perform public.tool_platform_refuse('P0002', 'not_found', pg_catalog.format(
                    'no agent has the id %L', item ->> 'id'));
            end if;
            if exists (
                select 1 from public.agents a where a.name = item ->> 'name' and a.id <> item ->> 'id'
            ) then
                perform public.tool_platform_refuse('23505', 'conflict', pg_catalog.format(
                    'an agent named %L already exists', item ->> 'name'));
            end if;
            if change ->> 'op' = 'add_agent' then
                insert into public.agents (
                    id, name, instructions, model, voice, temperature, owner_id,
                    created_at, updated_at)
                values (
                    item ->> 'id', item ->> 'name', item ->> 'instructions', item ->> 'model',
                    item ->> 'voice', (item ->> 'temperature')::double precision,
                    item ->> 'owner_id', stamp, stamp);
            else
                update public.agents a set
                    name = item ->> 'name', instructions = item ->> 'instructions',
                    model = item ->> 'model', voice = item ->> 'voice',
                    temperature = (item ->> 'temperature')::double precision,
                    owner_id = item ->> 'owner_id', updated_at = stamp
                where a.id = item ->> 'id';
            end if;
        when 'delete_agent' then
            delete from public.agents a where a.id = change ->> 'id';
        when 'add_binding' then
            if not exists (select 1 from public.agents a where a.id = item ->> 'agent_id') then
                perform public.tool_platform_refuse('P0002', 'not_found', pg_catalog.format(
                    'no agent has the id %L', item ->> 'agent_id'));
            end if;
            select t.id into found_id from public.platform_tools t where t.name = item ->> 'tool_name';
            if found_id is null then
                perform public.tool_platform_refuse('P0002', 'not_found', pg_catalog.format(
                    'tool %L does not exist', item ->> 'tool_name'));
            end if;
            if exists (
                select 1 from public.agent_tools b
                where b.agent_id = item ->> 'agent_id' and b.tool_id = found_id
            ) then
                perform public.tool_platform_refuse('23505', 'conflict', pg_catalog.format(
                    'agent %s is already bound to %L', item ->> 'agent_id', item ->> 'tool_name'));
            end if;
            insert into public.agent_tools (
                id, agent_id, tool_id, config, sensitive_config, is_enabled, functions, created_at)
            values (
                item ->> 'id', item ->> 'agent_id', found_id, item -> 'config',
                item -> 'sensitive_config', (item ->> 'is_enabled')::boolean,
                nullif(item -> 'functions', 'null'::jsonb), (item ->> 'created_at')::timestamptz);
        when 'update_binding' then
            -- A column missing from the item is left as stored.
            update public.agent_tools b set
                config = coalesce(item -> 'config', b.config),
                sensitive_config = coalesce(item -> 'sensitive_config', b.sensitive_config),
                is_enabled = coalesce((item ->> 'is_enabled')::boolean, b.is_enabled),
                functions = case when item ? 'functions'
                    then nullif(item -> 'functions', 'null'::jsonb) else b.functions end
            where b.id = item ->> 'id'
            returning b.id into found_id;
            if found_id is null then
                perform public.tool_platform_refuse('P0002', 'not_found', pg_catalog.format(
                    'no binding has the id %L', item ->> 'id'));
            end if;
        when 'delete_binding' then
            delete from public.agent_tools b where b.id = change ->> 'id';
        when 'delete_agent_bindings' then
            delete from public.agent_tools b where b.agent_id = change ->> 'agent_id';
        else
            perform public.tool_platform_refuse('22023', 'invalid',
                pg_catalog.format('unknown change %L', change ->> 'op'));
        end case;
    end loop;
end
$$;

-- An agent's enabled bindings with their tools' latest versions, oldest first: the
-- worker's one request per job. sensitive_config comes only to a caller allowed to
-- read it (service_role); an authenticated owner gets the rest, under RLS.
create function public.tool_platform_toolset(agent_id text) returns jsonb
language plpgsql stable security invoker set search_path = ''
as $$
declare
    secrets_readable boolean := pg_catalog.has_column_privilege(
        'public.agent_tools', 'sensitive_config', 'SELECT');
    result jsonb;
begin
    if secrets_readable then
        select coalesce(jsonb_agg(jsonb_build_object(
            'id', b.id, 'agent_id', b.agent_id, 'tool_name', t.name, 'config', b.config,
            'sensitive_config', b.sensitive_config, 'is_enabled', b.is_enabled,
            'functions', b.functions, 'created_at', b.created_at, 'tool', to_jsonb(t))
            order by b.created_at, b.id collate "C"), '[]'::jsonb)
        into result
        from public.agent_tools b join public.platform_tools t on t.id = b.tool_id
        where b.agent_id = tool_platform_toolset.agent_id and b.is_enabled;
    else
        select coalesce(jsonb_agg(jsonb_build_object(
            'id', b.id, 'agent_id', b.agent_id, 'tool_name', t.name, 'config', b.config,
            'sensitive_config', '{}'::jsonb, 'is_enabled', b.is_enabled,
            'functions', b.functions, 'created_at', b.created_at, 'tool', to_jsonb(t))
            order by b.created_at, b.id collate "C"), '[]'::jsonb)
        into result
        from public.agent_tools b join public.platform_tools t on t.id = b.tool_id
        where b.agent_id = tool_platform_toolset.agent_id and b.is_enabled;
    end if;
    return result;
end
$$;

-- One named read of the repositories, as JSON (the adapter's only way to read).
create function public.tool_platform_query(query text, args jsonb) returns jsonb
language plpgsql stable security invoker set search_path = ''
as $$
begin
    case query
    when 'tools_latest' then
        return (
            select coalesce(jsonb_agg(to_jsonb(t) order by t.name collate "C"), '[]'::jsonb)
            from public.platform_tools t
            where not args ? 'name' or t.name = args ->> 'name');
    when 'tool_versions' then
        return (
            select coalesce(jsonb_agg(v.document order by v.version), '[]'::jsonb)
            from public.platform_tool_versions v join public.platform_tools t on t.id = v.tool_id
            where t.name = args ->> 'name'
                and (not args ? 'version' or v.version = (args ->> 'version')::int));
    when 'agents' then
        return (
            select coalesce(jsonb_agg(to_jsonb(a) order by a.name collate "C"), '[]'::jsonb)
            from public.agents a
            where (not args ? 'id' or a.id = args ->> 'id')
                and (not args ? 'name' or a.name = args ->> 'name'));
    when 'bindings' then
        return (
            select coalesce(jsonb_agg(jsonb_build_object(
                'id', b.id, 'agent_id', b.agent_id, 'tool_name', t.name, 'config', b.config,
                'sensitive_config', b.sensitive_config, 'is_enabled', b.is_enabled,
                'functions', b.functions, 'created_at', b.created_at)
                order by b.created_at, b.id collate "C"), '[]'::jsonb)
            from public.agent_tools b join public.platform_tools t on t.id = b.tool_id
            where (not args ? 'agent_id' or b.agent_id = args ->> 'agent_id')
                and (not args ? 'tool_name' or t.name = args ->> 'tool_name'));
    when 'function_names' then
        return (
            select coalesce(jsonb_agg(jsonb_build_object(
                'tool_name', t.name, 'tool_functions_schema', t.tool_functions_schema,
                'functions', b.functions)
                order by b.created_at, b.id collate "C"), '[]'::jsonb)
            from public.agent_tools b join public.platform_tools t on t.id = b.tool_id
            where b.agent_id = args ->> 'agent_id' and b.is_enabled);
    when 'toolset' then
        return public.tool_platform_toolset(args ->> 'agent_id');
    else
        raise exception using errcode = '22023', hint = 'tool_platform:invalid',
            message = pg_catalog.format('unknown query %L', query);
    end case;
end
$$;

-- Read as a unit of work sees the storage: with its recorded changes applied, in a
-- subtransaction that is always rolled back, so nothing it has not committed lands.
create function public.tool_platform_read(changes jsonb, query text, args jsonb) returns jsonb
language plpgsql security invoker set search_path = ''
as $$
declare
    result jsonb;
begin
    if jsonb_array_length(changes) = 0 then
        return public.tool_platform_query(query, args);
    end if;
    begin
        perform public.tool_platform_commit(changes);
        result := public.tool_platform_query(query, args);
        raise exception using errcode = 'TPRB1', message = 'roll the preview back';
    exception when sqlstate 'TPRB1' then
        return result;
    end;
end
$$;

revoke all on function public.tool_platform_schema_version(), public.tool_platform_refuse(text, text, text),
    public.tool_platform_commit(jsonb), public.tool_platform_toolset(text),
    public.tool_platform_query(text, jsonb), public.tool_platform_read(jsonb, text, jsonb)
    from public, anon, authenticated;
grant execute on function public.tool_platform_schema_version(), public.tool_platform_refuse(text, text, text),
    public.tool_platform_commit(jsonb), public.tool_platform_toolset(text),
    public.tool_platform_query(text, jsonb), public.tool_platform_read(jsonb, text, jsonb)
    to service_role;
-- An owner may load their own agents' toolsets (RLS decides which bindings; no secrets).
grant execute on function public.tool_platform_toolset(text), public.tool_platform_schema_version()
    to authenticated;
