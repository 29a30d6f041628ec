"""``SqlAlchemyBindingRepository``: the ``agent_tools`` table, secrets sealed."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy.errors import execute
from adapters.sqlalchemy.json_text import json_as_text
from adapters.sqlalchemy.tables import Json, agent_tools, agents, platform_tools
from adapters.storage_common.agent_rows import AGENT_FIELDS, read_agent
from adapters.storage_common.binding_rows import (
    binding_columns,
    bound_for_session,
    function_owners,
    read_binding,
)
from adapters.storage_common.tool_rows import CONTENT_COLUMNS
from adapters.storage_common.tool_versions import StoredVersion, ToolVersions
from application.ports import BindingRepository, SecretCipher
from domain.agents import VoiceAgent
from domain.bindings import AgentToolBinding
from domain.errors import Conflict, NotFound
from domain.schema.limits import SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool
from domain.toolset_resolution import BoundTool

SENSITIVE_CONFIG_AS_TEXT = sa.cast(agent_tools.c.sensitive_config, sa.Text).label(
    "sensitive_config"
)
"""The stored secrets read as JSON text (parsed by ``read_sensitive_config``), so a
column that is not JSON at all (SQLite keeps whatever text it was given) is reported
with its binding instead of failing the whole read."""

_BINDING = (
    agent_tools.c.id,
    agent_tools.c.agent_id,
    platform_tools.c.name.label("tool_name"),
    json_as_text(agent_tools.c.config),
    SENSITIVE_CONFIG_AS_TEXT,
    agent_tools.c.is_enabled,
    json_as_text(agent_tools.c.functions),
    agent_tools.c.created_at,
)
"""A binding's columns, its JSON read as text (:class:`JsonText`): on PostgreSQL the
driver's JSONB decoding of ``config`` and ``functions`` was about a quarter of a
500-row load's ``SELECT``."""
_WITH_TOOL = sa.join(agent_tools, platform_tools, agent_tools.c.tool_id == platform_tools.c.id)
_VERSION = (
    platform_tools.c.id.label("latest_id"),
    platform_tools.c.version.label("latest_version"),
    platform_tools.c.fingerprint.label("latest_fingerprint"),
)
"""What identifies a bound tool's latest version: all a load reads of a version this
process has read already (:class:`ToolVersions`)."""
_CONTENT = tuple(
    (sa.cast(column, sa.Text) if column.type is Json else column).label(f"latest_{name}")
    for name, column in ((name, platform_tools.c[name]) for name in CONTENT_COLUMNS)
    if name != "version"
)
"""The rest of a tool's latest version, fetched only for versions this process has not
read yet: JSON as text, decoded once (:class:`ToolVersions`)."""
_JSON_COLUMNS = frozenset(name for name in CONTENT_COLUMNS if platform_tools.c[name].type is Json)
_POSTGRESQL_NAMES: sa.ColumnElement[Any] = sa.literal_column(
    "jsonb_path_query_array(platform_tools.tool_functions_schema, '$.functions[*].name')"
)
"""A tool's function names as a JSONB array, picked out of its stored JSON (PostgreSQL)."""
_FUNCTION_NAMES: dict[str, sa.ColumnElement[Any]] = {
    "sqlite": sa.literal_column(
        "(SELECT json_group_array(json_extract(value, '$.name')) "
        "FROM json_each(platform_tools.tool_functions_schema, '$.functions'))"
    ).label("names"),
    "postgresql": _POSTGRESQL_NAMES.label("names"),
}
"""Each tool's function names, picked out of its stored JSON by the database."""
_FUNCTION_ELEMENTS = sa.func.json_each(
    platform_tools.c.tool_functions_schema, "$.functions"
).table_valued("value")
_OFFERS_ANY: dict[str, Callable[[list[str]], sa.ColumnElement[bool]]] = {
    "sqlite": lambda names: sa.exists().where(
        sa.func.json_extract(_FUNCTION_ELEMENTS.c.value, "$.name").in_(names)
    ),
    "postgresql": lambda names: _POSTGRESQL_NAMES.op("?|")(
        sa.bindparam("names", names, type_=postgresql.ARRAY(sa.Text))
    ),
}
"""Whether a tool offers one of these function names, asked of its stored JSON."""
_AGENT = tuple(agents.c[name].label(f"agent__{name}") for name in AGENT_FIELDS)
"""What a toolset's agent is read from: repeated on each binding's row, so no more
than :func:`read_agent` reads (its timestamps were a fifth of a 500-row ``SELECT`` on
PostgreSQL)."""
_OLDEST_FIRST = (agent_tools.c.created_at, agent_tools.c.id)
_ENABLED_OF = (agent_tools.c.is_enabled.is_(True),)


class SqlAlchemyBindingRepository(BindingRepository):
    """Bindings in ``agent_tools``; ``sensitive_config`` holds AES-GCM ciphertexts.

    Args:
        connection: The unit of work's connection (inside its transaction).
        cipher: Seals and unseals secrets, bound to the binding's row id and name.
        limits: Schema limits for reading the tools loaded with a toolset.
        tool_versions: The tool versions the process has read (each is read once).
    """

    def __init__(
        self,
        connection: AsyncConnection,
        cipher: SecretCipher,
        limits: SchemaLimits,
        tool_versions: ToolVersions,
    ) -> None:
        self._connection = connection
        self._cipher = cipher
        self._limits = limits
        self._tool_versions = tool_versions
        self._unusable_secrets: set[str] = set()

    async def get(self, agent_id: str, tool_name: str) -> AgentToolBinding | None:
        """Return the binding of an agent to a tool, or None."""
        rows = await self._select(
            agent_tools.c.agent_id == agent_id, platform_tools.c.name == tool_name
        )
        return rows[0] if rows else None

    async def for_agent(self, agent_id: str) -> list[AgentToolBinding]:
        """Return an agent's bindings, oldest first."""
        return await self._select(agent_tools.c.agent_id == agent_id)

    async def for_tool(self, tool_name: str) -> list[AgentToolBinding]:
        """Return a tool's bindings, oldest first."""
        return await self._select(platform_tools.c.name == tool_name)

    async def add(self, binding: AgentToolBinding) -> None:
        """Store a new binding.

        Raises:
            NotFound: When the tool or the agent does not exist.
            Conflict: When the agent is already bound to the tool.
        """
        tool_id = (
            await execute(
                self._connection,
                sa.select(platform_tools.c.id).where(platform_tools.c.name == binding.tool_name),
            )
        ).scalar()
        if tool_id is None:
            raise NotFound(f"tool {binding.tool_name!r} does not exist")
        try:
            await execute(
                self._connection,
                agent_tools.insert().values(
                    id=binding.id,
                    agent_id=binding.agent_id,
                    tool_id=tool_id,
                    created_at=binding.created_at,
                    **binding_columns(self._cipher, binding),
                ),
            )
        except IntegrityError as error:
            if "unique" in str(error.orig).lower():
                raise Conflict(
                    f"agent {binding.agent_id} is already bound to {binding.tool_name!r}"
                ) from None
            raise NotFound(f"agent {binding.agent_id} does not exist") from None

    async def update(self, binding: AgentToolBinding) -> None:
        """Replace a stored binding's state, config and secrets.

        Stored secrets that were read as unusable (not an object of secrets) stay as
        they are until secrets are set again: disabling such a binding loses nothing.

        Raises:
            NotFound: When no binding has this id.
        """
        columns = binding_columns(self._cipher, binding)
        if binding.id in self._unusable_secrets and not binding.secrets:
            del columns["sensitive_config"]
        result = await execute(
            self._connection,
            agent_tools.update().where(agent_tools.c.id == binding.id).values(**columns),
        )
        if result.rowcount == 0:
            raise NotFound(f"no binding has the id {binding.id!r}")

    async def delete(self, binding_id: str) -> None:
        """Remove a binding with its secrets."""
        await execute(self._connection, agent_tools.delete().where(agent_tools.c.id == binding_id))

    async def delete_for_agent(self, agent_id: str) -> None:
        """Remove every binding of an agent, with their secrets."""
        await execute(
            self._connection, agent_tools.delete().where(agent_tools.c.agent_id == agent_id)
        )

    async def enabled_function_names(self, agent_id: str, among: Collection[str]) -> dict[str, str]:
        """Return function name -> offering tool, for ``among``, over the enabled bindings.

        One SELECT of names and allowlists, of the bindings whose tool offers one of the
        names only: the database picks the function names out of each tool's stored
        JSON and keeps those rows, so a bind reads a few bytes per clashing tool, not
        every bound tool's names. No secret is read, no tool is checked.
        """
        if not among:
            return {}
        dialect = self._connection.dialect.name
        rows = await execute(
            self._connection,
            sa.select(platform_tools.c.name, _FUNCTION_NAMES[dialect], agent_tools.c.functions)
            .select_from(_WITH_TOOL)
            .where(
                agent_tools.c.agent_id == agent_id,
                *_ENABLED_OF,
                _OFFERS_ANY[dialect](sorted(among)),
            )
            .order_by(*_OLDEST_FIRST),
        )
        return function_owners(
            ((row.name, _json_list(row.names), row.functions) for row in rows), among
        )

    async def load_toolset(self, agent_id: str) -> list[BoundTool]:
        """Return the agent's enabled bindings with their tools' latest versions.

        One SELECT once the process has read those versions: bindings joined with
        ``platform_tools`` (which holds each tool's latest version), identified by
        ``(tool id, version, fingerprint)``. A version the process has not read yet
        costs a second SELECT, of those tools' columns only (:meth:`_bound`). Secrets
        are decrypted here, not later: a binding whose secrets cannot be read comes
        back without them and with the reason, so the load goes on without it. Every
        other read decrypts a secret only when it is revealed.
        """
        rows = await execute(
            self._connection,
            sa.select(*_BINDING, *_VERSION)
            .select_from(_WITH_TOOL)
            .where(agent_tools.c.agent_id == agent_id, *_ENABLED_OF)
            .order_by(*_OLDEST_FIRST),
        )
        return await self._bound([row._mapping for row in rows])

    async def load_agent_toolset(
        self, agent_reference: str
    ) -> tuple[VoiceAgent, list[BoundTool]] | None:
        """Return the agent with this id (or else name) and what :meth:`load_toolset` gives.

        One SELECT (once the versions are read): the agent outer-joined with its
        enabled bindings and their tools.
        """
        by_id = agents.c.id == agent_reference
        bound_tools = sa.outerjoin(
            agents, _WITH_TOOL, sa.and_(agent_tools.c.agent_id == agents.c.id, *_ENABLED_OF)
        )
        rows = (
            await execute(
                self._connection,
                sa.select(*_AGENT, *_BINDING, *_VERSION)
                .select_from(bound_tools)
                .where(sa.or_(by_id, agents.c.name == agent_reference))
                .order_by(sa.case((by_id, 0), else_=1), *_OLDEST_FIRST),
            )
        ).all()
        if not rows:
            return None
        first = rows[0]._mapping
        agent = read_agent({name: first[f"agent__{name}"] for name in AGENT_FIELDS})
        columns = (row._mapping for row in rows)
        # agent_id is None on the row of an agent without bindings
        return agent, await self._bound([row for row in columns if row["agent_id"] == agent.id])

    async def _bound(self, rows: list[Mapping[Any, Any]]) -> list[BoundTool]:
        """The bindings of ``rows``, each with its tool version, read once per process.

        The versions not read yet are fetched in one more SELECT, by tool id, at what is
        then each tool's latest version. A binding whose tool is gone by then (its
        binding removed and the tool deleted between the two statements) is left out.
        """
        tools = {
            row["latest_id"]: self._tool_versions.known(_stored_version(row), self._limits)
            for row in rows
        }
        unread = [tool_id for tool_id, tool in tools.items() if tool is None]
        if unread:
            tools.update(await self._read_versions(unread))
        return [
            bound_for_session(*read_binding(self._cipher, row), tool)
            for row, tool in ((row, tools[row["latest_id"]]) for row in rows)
            if tool is not None
        ]

    async def _read_versions(
        self, tool_ids: list[str]
    ) -> dict[str, ToolDefinition | UnreadableTool]:
        """Read the latest versions of these tools (each kept by :class:`ToolVersions`)."""
        rows = await execute(
            self._connection,
            sa.select(*_VERSION, *_CONTENT).where(platform_tools.c.id.in_(tool_ids)),
        )
        return {
            columns["latest_id"]: self._tool_versions.read(
                _stored_version(columns), self._limits, partial(_document, columns)
            )
            for columns in (row._mapping for row in rows)
        }

    async def _select(self, *conditions: sa.ColumnElement[bool]) -> list[AgentToolBinding]:
        rows = await execute(
            self._connection,
            sa.select(*_BINDING)
            .select_from(_WITH_TOOL)
            .where(*conditions)
            .order_by(*_OLDEST_FIRST),
        )
        bindings = []
        for row in rows:
            binding, problem = read_binding(self._cipher, row._mapping)
            if problem is not None:
                self._unusable_secrets.add(binding.id)
            bindings.append(binding)
        return bindings


def _stored_version(columns: Mapping[Any, Any]) -> StoredVersion:
    return StoredVersion(
        columns["latest_id"], columns["latest_version"], columns["latest_fingerprint"]
    )


def _document(columns: Mapping[Any, Any]) -> dict[str, Any]:
    """The stored document of a toolset row's tool (its JSON columns read as text)."""
    return {
        name: json.loads(value) if name in _JSON_COLUMNS and value is not None else value
        for name, value in ((name, columns[f"latest_{name}"]) for name in CONTENT_COLUMNS)
    }


def _json_list(value: Any) -> list[Any]:
    """A JSON array as the driver returned it (text on SQLite, decoded on PostgreSQL)."""
    decoded = json.loads(value) if isinstance(value, str) else value
    return decoded if isinstance(decoded, list) else []
