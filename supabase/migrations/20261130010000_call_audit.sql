-- Call audit (Alembic revision 0003): each agent's audit_payloads, the tool_calls table
-- with the same columns, constraints and indexes as Alembic makes, row-level security
-- (an owner reads the calls of their own agents, nothing more), and the RPC functions
-- the Supabase call log calls (docs/supabase.md, docs/audit.md).

alter table public.agents
    add column audit_payloads varchar(8) not null default 'none';

create table public.tool_calls (
    id varchar(36) not null,
    started_at timestamp with time zone not null,
    agent_id varchar(36) not null,
    session_id text not null,
    llm_call_id text not null,
    function text not null,
    duration_ms double precision not null,
    outcome varchar(32) not null,
    repeated boolean not null,
    binding_id varchar(36),
    tool varchar(64),
    tool_version integer,
    kind varchar(16),
    error text,
    details jsonb not null,
    payloads varchar(8) not null,
    arguments jsonb,
    result jsonb,
    constraint pk_tool_calls primary key (id)
);
create index ix_tool_calls_started_at on public.tool_calls (started_at);
create index ix_tool_calls_agent_id_started_at on public.tool_calls (agent_id, started_at);
create index ix_tool_calls_tool_started_at on public.tool_calls (tool, started_at);
create index ix_tool_calls_function_started_at on public.tool_calls (function, started_at);
create index ix_tool_calls_outcome_started_at on public.tool_calls (outcome, started_at);

-- ------------------------------------------------------------------ privileges and RLS
-- Only the platform (service_role) writes records; an owner reads their agents' calls.

revoke all on public.tool_calls from public, anon, authenticated;
grant all on public.tool_calls to service_role;
grant select on public.tool_calls to authenticated;

alter table public.tool_calls enable row level security;

create policy tool_calls_owner_select on public.tool_calls
    for select to authenticated using (
        exists (
            select 1 from public.agents a
            where a.id = tool_calls.agent_id and a.owner_id = (select auth.uid())::text
        )
    );

-- ------------------------------------------------------------------ RPC functions

create or replace function public.tool_platform_schema_version() returns text
language sql immutable security invoker set search_path = ''
as $$ select '0003'::text $$;

-- Agents carry audit_payloads: the commit of revision 0002 applies each change as it
-- did, and an agent's change then sets the new column from its item.
alter function public.tool_platform_commit(jsonb) rename to tool_platform_commit_0002;

create function public.tool_platform_commit(changes jsonb) returns void
language plpgsql security invoker set search_path = ''
as $$
declare
    change jsonb;
begin
    for change in select value from jsonb_array_elements(changes) loop
        perform public.tool_platform_commit_0002(jsonb_build_array(change));
        if change ->> 'op' in ('add_agent', 'update_agent') then
            update public.agents a
            set audit_payloads = coalesce(change -> 'item' ->> 'audit_payloads', 'none')
            where a.id = change -> 'item' ->> 'id';
        end if;
    end loop;
end
$$;

-- Store a batch of call records (the rows as the adapter writes them), all or none.
create function public.tool_platform_append_calls(records jsonb) returns void
language sql security invoker set search_path = ''
as $$
    insert into public.tool_calls
    select * from jsonb_populate_recordset(null::public.tool_calls, records)
$$;

-- Call records, newest first: filters agent_ids (an array), tool, function, outcome,
-- since, id; at most args ->> 'limit' of them.
create function public.tool_platform_find_calls(args jsonb) returns jsonb
language sql stable security invoker set search_path = ''
as $$
    select coalesce(jsonb_agg(to_jsonb(c) order by c.started_at desc, c.id desc), '[]'::jsonb)
    from (
        select * from public.tool_calls t
        where (not args ? 'agent_ids' or t.agent_id in (
                select jsonb_array_elements_text(args -> 'agent_ids')))
            and (not args ? 'tool' or t.tool = args ->> 'tool')
            and (not args ? 'function' or t.function = args ->> 'function')
            and (not args ? 'outcome' or t.outcome = args ->> 'outcome')
            and (not args ? 'since' or t.started_at >= (args ->> 'since')::timestamptz)
            and (not args ? 'id' or t.id = args ->> 'id')
        order by t.started_at desc, t.id desc
        limit coalesce((args ->> 'limit')::int, 50)
    ) c
$$;

-- Tool, function, outcome and duration of every call the filters select (statistics).
create function public.tool_platform_call_timings(args jsonb) returns jsonb
language sql stable security invoker set search_path = ''
as $$
    select coalesce(jsonb_agg(jsonb_build_object(
        'tool', t.tool, 'function', t.function, 'outcome', t.outcome,
        'duration_ms', t.duration_ms)), '[]'::jsonb)
    from public.tool_calls t
    where (not args ? 'agent_ids' or t.agent_id in (
            select jsonb_array_elements_text(args -> 'agent_ids')))
        and (not args ? 'since' or t.started_at >= (args ->> 'since')::timestamptz)
$$;

-- Retention: delete the records of calls started before a time; say how many.
create function public.tool_platform_prune_calls(before timestamptz) returns integer
language sql security invoker set search_path = ''
as $$
    with deleted as (
        delete from public.tool_calls t where t.started_at < before returning 1
    )
    select count(*)::int from deleted
$$;

revoke all on function public.tool_platform_commit(jsonb), public.tool_platform_append_calls(jsonb),
    public.tool_platform_find_calls(jsonb), public.tool_platform_call_timings(jsonb),
    public.tool_platform_prune_calls(timestamptz)
    from public, anon, authenticated;
grant execute on function public.tool_platform_commit(jsonb), public.tool_platform_append_calls(jsonb),
    public.tool_platform_find_calls(jsonb), public.tool_platform_call_timings(jsonb),
    public.tool_platform_prune_calls(timestamptz)
    to service_role;
-- An owner may read their own agents' calls through the same functions (RLS applies).
grant execute on function public.tool_platform_find_calls(jsonb),
    public.tool_platform_call_timings(jsonb) to authenticated;
