"""A stand-in for PostgREST's RPC endpoint that forwards calls to a real PostgreSQL.

No PostgREST can run here. This does what PostgREST documents for
``POST /rest/v1/rpc/<function>`` with a JSON object body: in one transaction, switch to
the role the JWT names (``set local role``, ``request.jwt.claims``), call the function
with the body's keys as named arguments (``json_to_record``, as PostgREST does), and
answer 200 with the result as JSON, 204 for a ``void`` function, or PostgREST's error
body (``code``, ``message``, ``details``, ``hint``) with its HTTP status for the SQLSTATE.
It checks what the adapter sends (method, path, ``apikey`` and bearer headers) and
answers a key other than :data:`SERVICE_ROLE_KEY` as PostgREST answers a bad JWT.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx

BASE_URL = "http://supabase.test"
SERVICE_ROLE_KEY = "service-role-key-for-tests"
_RPC = re.compile(r"^/rest/v1/rpc/(?P<function>[a-z_]+)$")
_STATUS = {"23505": 409, "23503": 409, "25006": 405, "42883": 404, "42P01": 404, "42501": 403}
_STATUS_BY_CLASS = {"08": 503, "53": 503, "40": 500, "P0": 400}


def postgrest_status(sqlstate: str) -> int:
    """The HTTP status PostgREST answers a SQLSTATE with (its documented table)."""
    if sqlstate in _STATUS:
        return _STATUS[sqlstate]
    if sqlstate == "P0001":
        return 400
    return _STATUS_BY_CLASS.get(sqlstate[:2], 400)


class PostgrestStandIn:
    """Answers RPC requests on the database holding the Supabase schema.

    Args:
        dsn: The database.
        pool: Connections to it; without one, each request opens its own connection
            (for callers whose event loop comes and goes, like a CLI command).
        role: The role the service-role JWT carries.
    """

    def __init__(
        self, dsn: str, pool: asyncpg.Pool | None = None, role: str = "service_role"
    ) -> None:
        self._dsn = dsn
        self._pool = pool
        self._role = role
        self.requests: list[httpx.Request] = []

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.Connection]:
        if self._pool is not None:
            async with self._pool.acquire() as connection:
                yield connection
            return
        connection = await asyncpg.connect(self._dsn)
        try:
            yield connection
        finally:
            await connection.close()

    async def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as PostgREST would."""
        self.requests.append(request)
        match = _RPC.match(request.url.path)
        assert request.method == "POST", request.method
        assert match is not None, request.url.path
        if request.headers.get("authorization") != f"Bearer {SERVICE_ROLE_KEY}":
            return _error(401, "PGRST301", "JWSError JWSInvalidSignature")
        assert request.headers["apikey"] == request.headers["authorization"].removeprefix("Bearer ")
        arguments: dict[str, Any] = json.loads(request.content or b"{}")
        return await self._call(match["function"], arguments)

    async def _call(self, function: str, arguments: dict[str, Any]) -> httpx.Response:
        async with self._connection() as connection, connection.transaction():
            types = await self._argument_types(connection, function)
            if types is None:
                return _error(404, "PGRST202", f"Could not find the function public.{function}")
            await connection.execute(
                "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)",
                self._role,
                json.dumps({"role": self._role}),
            )
            record = ", ".join(f'"{name}" {kind}' for name, kind in types)
            named = ", ".join(f'"{name}" := a."{name}"' for name, _ in types)
            source = f"json_to_record($1::json) as a({record})" if types else "(select 1) as a"
            statement = f'select public."{function}"({named})::text from {source}'
            try:
                result = await connection.fetchval(
                    statement, *([json.dumps(arguments)] if types else [])
                )
            except asyncpg.PostgresError as error:
                return _error(
                    postgrest_status(error.sqlstate),
                    error.sqlstate,
                    error.message,
                    getattr(error, "detail", None),
                    getattr(error, "hint", None),
                )
            returns_void = await connection.fetchval(
                "select prorettype = 'void'::regtype from pg_proc where proname = $1", function
            )
        if returns_void:
            return httpx.Response(204)
        return httpx.Response(200, content=result or "null", headers=_JSON)

    @staticmethod
    async def _argument_types(
        connection: asyncpg.Connection, function: str
    ) -> list[tuple[str, str]] | None:
        row = await connection.fetchrow(
            "select proargnames, array(select format_type(t, null) from unnest(proargtypes) t)"
            " as types from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
            " where n.nspname = 'public' and p.proname = $1",
            function,
        )
        if row is None:
            return None
        return list(zip(row["proargnames"] or [], row["types"], strict=True))


_JSON = {"content-type": "application/json; charset=utf-8"}


def _error(
    status: int, code: str, message: str, details: str | None = None, hint: str | None = None
) -> httpx.Response:
    body = {"code": code, "message": message, "details": details, "hint": hint}
    return httpx.Response(status, json=body)
