"""Row-level security and the RPC functions of the Supabase schema, on real PostgreSQL.

Each case runs in a transaction that is rolled back, acting as PostgREST does: the
role (``set local role``) and ``request.jwt.claims`` with the user's id as ``sub``.
``owner`` owns agent A (and so its bindings); ``stranger`` is another authenticated
user; ``anon`` is not signed in; ``service_role`` is the worker's key. A case is
allowed when the statement succeeds and touches the target row; denied when it fails
for want of a privilege or a policy (42501), or touches nothing.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import asyncpg
import pytest

from tests.integration.postgres import DatabaseFactory
from tests.integration.supabase_schema import apply_supabase_schema, dsn

OWNER = "00000000-0000-4000-8000-00000000000a"
STRANGER = "00000000-0000-4000-8000-00000000000b"
ROLES = {
    "anon": ("anon", None),
    "owner": ("authenticated", OWNER),
    "stranger": ("authenticated", STRANGER),
    "service_role": ("service_role", None),
}

_TOOL = """insert into platform_tools values ('{id}', '{id}', 'd', 'd', 'http', '{{}}', 'none',
    '{{}}', '[]', '{{"functions": []}}', '{{}}', 1, 'f', now(), now())"""
_CALL = """insert into tool_calls values ('{id}', now() - interval '1 hour', '{agent}', 's',
    'c', 'f', 1.5, 'ok', false, null, 'tool-1', 1, 'http', null, '{{}}', 'none', null, null)"""
_CALL_ROW = """'[{"id": "call-new", "started_at": "2026-11-30T00:00:00Z", "agent_id": "agent-a",
    "session_id": "s", "llm_call_id": "c", "function": "f", "duration_ms": 1, "outcome": "ok",
    "repeated": false, "details": {}, "payloads": "none"}]'"""
SEED = [
    f"insert into agents values ('agent-a', 'a', 'i', null, null, null, '{OWNER}', now(), now())",
    "insert into agents values ('agent-b', 'b', 'i', null, null, null, "
    f"'{STRANGER}', now(), now())",
    _TOOL.format(id="tool-1"),
    _TOOL.format(id="tool-2"),
    _TOOL.format(id="tool-3"),
    "insert into platform_tool_versions values ('tool-2', 1, '{}', 'f', now())",
    """insert into agent_tools values ('binding-a', 'agent-a', 'tool-1', '{}',
        '{"token": {"key_id": "k", "ciphertext": "c2VhbGVk"}}', true, null, now())""",
    """insert into agent_tools values ('binding-a-off', 'agent-a', 'tool-3', '{}', '{}', false,
        null, now())""",
    """insert into agent_tools values ('binding-b', 'agent-b', 'tool-1', '{}',
        '{"token": {"key_id": "k", "ciphertext": "b3RoZXI="}}', true, null, now())""",
    f"insert into api_keys values ('0123456789ab', 'ops', '[\"admin\"]', '{'a' * 64}', now(),"
    " null)",
    _CALL.format(id="call-a", agent="agent-a"),
    _CALL.format(id="call-b", agent="agent-b"),
]

STATEMENTS = {
    ("platform_tools", "select"): "select id from platform_tools where id = 'tool-2'",
    ("platform_tools", "insert"): _TOOL.format(id="tool-new") + " returning id",
    ("platform_tools", "update"): "update platform_tools set description = 'x' "
    "where id = 'tool-2' returning id",
    ("platform_tools", "delete"): "delete from platform_tools where id = 'tool-2' returning id",
    ("platform_tool_versions", "select"): "select tool_id from platform_tool_versions "
    "where tool_id = 'tool-2'",
    ("platform_tool_versions", "insert"): "insert into platform_tool_versions "
    "values ('tool-2', 2, '{}', 'f', now()) returning tool_id",
    ("platform_tool_versions", "update"): "update platform_tool_versions set fingerprint = 'g' "
    "where tool_id = 'tool-2' returning tool_id",
    ("platform_tool_versions", "delete"): "delete from platform_tool_versions "
    "where tool_id = 'tool-2' returning tool_id",
    ("agents", "select"): "select id from agents where id = 'agent-a'",
    ("agents", "insert"): "insert into agents values ('agent-new', 'new', 'i', null, null, null, "
    f"'{OWNER}', now(), now()) returning id",
    ("agents", "update"): "update agents set instructions = 'x' where id = 'agent-a' returning id",
    ("agents", "delete"): "delete from agents where id = 'agent-a' returning id",
    ("agent_tools", "select"): "select id, config, is_enabled from agent_tools "
    "where id = 'binding-a'",
    ("agent_tools", "insert"): "insert into agent_tools values ('binding-new', 'agent-a', "
    "'tool-2', '{}', '{}', true, null, now()) returning id",
    ("agent_tools", "update"): "update agent_tools set is_enabled = false "
    "where id = 'binding-a' returning id",
    ("agent_tools", "delete"): "delete from agent_tools where id = 'binding-a' returning id",
    ("agent_tools.sensitive_config", "select"): "select sensitive_config from agent_tools "
    "where id = 'binding-a'",
    ("agent_tools.sensitive_config", "update"): "update agent_tools set sensitive_config = '{}' "
    "where id = 'binding-a' returning id",
    ("rpc tool_platform_toolset", "execute"): "select jsonb_array_elements("
    "tool_platform_toolset('agent-a'))",
    ("rpc tool_platform_read", "execute"): "select jsonb_array_elements("
    "tool_platform_read('[]', 'agents', '{}'))",
    ("rpc tool_platform_commit", "execute"): "select tool_platform_commit("
    """'[{"op": "delete_agent", "id": "agent-a"}]') is null""",
    ("api_keys", "select"): "select id from api_keys where id = '0123456789ab'",
    ("api_keys", "update"): "update api_keys set revoked_at = now() "
    "where id = '0123456789ab' returning id",
    ("rpc tool_platform_api_keys", "execute"): "select jsonb_array_elements("
    "tool_platform_api_keys(null))",
    ("rpc tool_platform_api_key_revoke", "execute"): "select jsonb_array_elements("
    "tool_platform_api_key_revoke('ops', now()))",
    ("tool_calls", "select"): "select id from tool_calls where id = 'call-a'",
    ("tool_calls", "insert"): _CALL.format(id="call-new", agent="agent-a") + " returning id",
    ("tool_calls", "update"): "update tool_calls set error = 'x' where id = 'call-a' returning id",
    ("tool_calls", "delete"): "delete from tool_calls where id = 'call-a' returning id",
    ("rpc tool_platform_find_calls", "execute"): "select jsonb_array_elements("
    """tool_platform_find_calls('{"agent_ids": ["agent-a"]}'))""",
    ("rpc tool_platform_call_timings", "execute"): "select jsonb_array_elements("
    """tool_platform_call_timings('{"agent_ids": ["agent-a"]}'))""",
    ("rpc tool_platform_append_calls", "execute"): "select tool_platform_append_calls("
    + _CALL_ROW
    + ") is null",
    ("rpc tool_platform_prune_calls", "execute"): "select tool_platform_prune_calls(now()) = 2",
}

ALLOWED = {
    ("platform_tools", "select"): {"owner", "stranger", "service_role"},
    ("platform_tools", "insert"): {"service_role"},
    ("platform_tools", "update"): {"service_role"},
    ("platform_tools", "delete"): {"service_role"},
    ("platform_tool_versions", "select"): {"owner", "stranger", "service_role"},
    ("platform_tool_versions", "insert"): {"service_role"},
    ("platform_tool_versions", "update"): {"service_role"},
    ("platform_tool_versions", "delete"): {"service_role"},
    ("agents", "select"): {"owner", "service_role"},
    ("agents", "insert"): {"owner", "service_role"},
    ("agents", "update"): {"owner", "service_role"},
    ("agents", "delete"): {"owner", "service_role"},
    ("agent_tools", "select"): {"owner", "service_role"},
    ("agent_tools", "insert"): {"service_role"},
    ("agent_tools", "update"): {"owner", "service_role"},
    ("agent_tools", "delete"): {"owner", "service_role"},
    ("agent_tools.sensitive_config", "select"): {"service_role"},
    ("agent_tools.sensitive_config", "update"): {"service_role"},
    ("rpc tool_platform_toolset", "execute"): {"owner", "service_role"},
    ("rpc tool_platform_read", "execute"): {"service_role"},
    ("rpc tool_platform_commit", "execute"): {"service_role"},
    ("api_keys", "select"): {"service_role"},
    ("api_keys", "update"): {"service_role"},
    ("rpc tool_platform_api_keys", "execute"): {"service_role"},
    ("rpc tool_platform_api_key_revoke", "execute"): {"service_role"},
    ("tool_calls", "select"): {"owner", "service_role"},
    ("tool_calls", "insert"): {"service_role"},
    ("tool_calls", "update"): {"service_role"},
    ("tool_calls", "delete"): {"service_role"},
    ("rpc tool_platform_find_calls", "execute"): {"owner", "service_role"},
    ("rpc tool_platform_call_timings", "execute"): {"owner", "service_role"},
    ("rpc tool_platform_append_calls", "execute"): {"service_role"},
    ("rpc tool_platform_prune_calls", "execute"): {"service_role"},
}
"""The RLS model (docs/supabase.md): who may do what to the owner's rows."""


@pytest.fixture
async def database(postgres_database_factory: DatabaseFactory) -> AsyncIterator[asyncpg.Connection]:
    """A connection to a database with the Supabase schema and the seed rows."""
    url = postgres_database_factory()
    await apply_supabase_schema(url)
    connection = await asyncpg.connect(dsn(url))
    try:
        for statement in SEED:
            await connection.execute(statement)
        yield connection
    finally:
        await connection.close()


async def act_as(connection: asyncpg.Connection, actor: str) -> None:
    """Take the role and JWT claims PostgREST would for ``actor`` (inside a transaction)."""
    role, sub = ROLES[actor]
    claims = {"role": role} | ({"sub": sub} if sub else {})
    await connection.execute(
        "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)",
        role,
        json.dumps(claims),
    )


async def outcome(connection: asyncpg.Connection, actor: str, statement: str) -> bool:
    """Whether ``actor`` may run ``statement`` on the target row (rolled back either way)."""
    transaction = connection.transaction()
    await transaction.start()
    try:
        await act_as(connection, actor)
        rows = await connection.fetch(statement)
    except asyncpg.InsufficientPrivilegeError:
        return False
    finally:
        await transaction.rollback()
    return len(rows) > 0


async def test_every_table_operation_and_role_is_allowed_or_denied_as_documented(
    database: asyncpg.Connection,
) -> None:
    actual = {
        (case, actor): await outcome(database, actor, statement)
        for case, statement in STATEMENTS.items()
        for actor in ROLES
    }
    expected = {(case, actor): actor in ALLOWED[case] for case in STATEMENTS for actor in ROLES}

    assert {key: value for key, value in actual.items() if value != expected[key]} == {}


async def toolset(
    connection: asyncpg.Connection, actor: str, agent_id: str
) -> list[dict[str, object]]:
    """The toolset RPC's result for ``agent_id``, called as ``actor``."""
    async with connection.transaction():
        await act_as(connection, actor)
        result = await connection.fetchval("select tool_platform_toolset($1)", agent_id)
    return list(json.loads(result))


async def test_the_toolset_rpc_gives_the_enabled_bindings_with_their_tools_and_secrets(
    database: asyncpg.Connection,
) -> None:
    rows = await toolset(database, "service_role", "agent-a")

    assert [(row["id"], row["tool_name"]) for row in rows] == [("binding-a", "tool-1")]
    assert rows[0]["sensitive_config"] == {"token": {"key_id": "k", "ciphertext": "c2VhbGVk"}}
    tool = rows[0]["tool"]
    assert isinstance(tool, dict)
    assert tool["version"] == 1
    assert tool["tool_functions_schema"] == {"functions": []}


async def test_an_owner_gets_their_toolset_without_ciphertexts_and_nobody_elses(
    database: asyncpg.Connection,
) -> None:
    own = await toolset(database, "owner", "agent-a")
    others = await toolset(database, "owner", "agent-b")
    strangers_view = await toolset(database, "stranger", "agent-a")

    assert [(row["id"], row["sensitive_config"]) for row in own] == [("binding-a", {})]
    assert others == []
    assert strangers_view == []


async def test_every_table_has_row_level_security_and_policies_read_the_user_once(
    database: asyncpg.Connection,
) -> None:
    without_rls = await database.fetch(
        "select relname from pg_class where relnamespace = 'public'::regnamespace"
        " and relkind = 'r' and not relrowsecurity"
    )
    policies = await database.fetch(
        "select policyname, concat(qual, ' ', with_check) as text from pg_policies"
        " where schemaname = 'public'"
    )

    assert without_rls == []
    assert len(policies) == 10
    for policy in policies:
        text = policy["text"]
        assert text.count("auth.uid()") == text.count("SELECT auth.uid()"), policy["policyname"]
