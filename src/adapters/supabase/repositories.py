"""The Supabase repositories: reads through ``tool_platform_read``, writes recorded.

Every read is one RPC call that applies the unit of work's recorded changes in a
subtransaction it always rolls back, so a unit sees its own writes and nobody else does.
Every write is recorded as a change (JSON) for ``tool_platform_commit``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any, Protocol

from adapters.storage_common.agent_rows import agent_columns, read_agent
from adapters.storage_common.binding_rows import (
    binding_columns,
    bound_for_session,
    function_owners,
    read_binding,
)
from adapters.storage_common.tool_rows import (
    CONTENT_COLUMNS,
    read_stored_tool,
    readable,
    stored_function_names,
    tool_columns,
)
from application.ports import AgentRepository, BindingRepository, SecretCipher, ToolCatalog
from domain.agents import VoiceAgent
from domain.bindings import AgentToolBinding
from domain.schema.limits import SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool
from domain.toolset_resolution import BoundTool

Change = dict[str, Any]
"""One recorded change, as ``tool_platform_commit`` applies it."""


class Session(Protocol):
    """What the repositories need of their unit of work."""

    async def read(self, query: str, args: dict[str, Any]) -> list[Any]:
        """Run one named read of ``tool_platform_query``, seeing the unit's changes."""
        ...

    def record(self, change: Change) -> None:
        """Record one change for the commit."""
        ...


def _content(row: dict[str, Any]) -> dict[str, Any]:
    return {column: row[column] for column in CONTENT_COLUMNS}


def _binding_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "created_at": datetime.fromisoformat(row["created_at"])}


class SupabaseToolCatalog(ToolCatalog):
    """Tool versions: ``platform_tools`` (latest) and ``platform_tool_versions`` (all).

    Args:
        session: The unit of work.
        limits: Schema limits for reading stored tools.
        clock: The time written into rows.
    """

    def __init__(
        self, session: Session, limits: SchemaLimits, clock: Callable[[], datetime]
    ) -> None:
        self._session = session
        self._limits = limits
        self._clock = clock

    async def latest(self, name: str) -> ToolDefinition | None:
        """Return the latest version of the tool called ``name``, or None.

        Raises:
            StoredToolUnreadable: When today's settings or rules refuse it.
        """
        rows = await self._session.read("tools_latest", {"name": name})
        return readable(read_stored_tool(_content(rows[0]), self._limits)) if rows else None

    async def version(self, name: str, version: int) -> ToolDefinition | None:
        """Return one stored version, or None.

        Raises:
            StoredToolUnreadable: When today's settings or rules refuse it.
        """
        found = await self._history({"name": name, "version": version})
        return found[0] if found else None

    async def versions(self, name: str) -> list[ToolDefinition]:
        """Return every stored version of a tool, oldest first.

        Raises:
            StoredToolUnreadable: When today's settings or rules refuse one of them.
        """
        return await self._history({"name": name})

    async def list_latest(self) -> list[ToolDefinition | UnreadableTool]:
        """Return the latest version of every tool, sorted by name (unreadable ones too)."""
        rows = await self._session.read("tools_latest", {})
        return [read_stored_tool(_content(row), self._limits) for row in rows]

    async def lock_for_new_version(self, name: str) -> None:
        """Nothing to hold across requests: the commit takes the tool's advisory lock.

        A definition that loses the race gets ``VersionConflict`` at commit, and
        ``ToolService`` retries it with the next number.
        """

    async def add_version(self, tool: ToolDefinition) -> None:
        """Record ``tool`` as the next version of its name (checked at commit).

        Raises:
            VersionConflict: At commit, when another writer stored this version first.
        """
        self._session.record(
            {
                "op": "add_version",
                "item": tool_columns(tool),
                "document": tool.to_document(),
                "at": self._clock().isoformat(),
            }
        )

    async def delete(self, name: str) -> None:
        """Record removing a tool with all its versions.

        Raises:
            Conflict: At commit, when bindings still use it.
        """
        self._session.record({"op": "delete_tool", "name": name})

    async def _history(self, args: dict[str, Any]) -> list[ToolDefinition]:
        documents = await self._session.read("tool_versions", args)
        return [readable(read_stored_tool(document, self._limits)) for document in documents]


class SupabaseAgentRepository(AgentRepository):
    """Agents in the ``agents`` table.

    Args:
        session: The unit of work.
        clock: The time written into rows.
    """

    def __init__(self, session: Session, clock: Callable[[], datetime]) -> None:
        self._session = session
        self._clock = clock

    async def get(self, agent_id: str) -> VoiceAgent | None:
        """Return the agent with this id, or None."""
        return await self._one({"id": agent_id})

    async def find_by_name(self, name: str) -> VoiceAgent | None:
        """Return the agent with this name, or None."""
        return await self._one({"name": name})

    async def list_all(self) -> list[VoiceAgent]:
        """Return every agent, sorted by name."""
        return [read_agent(row) for row in await self._session.read("agents", {})]

    async def add(self, agent: VoiceAgent) -> None:
        """Record a new agent.

        Raises:
            Conflict: At commit, when the id or the name is taken.
        """
        self._record("add_agent", agent)

    async def update(self, agent: VoiceAgent) -> None:
        """Record replacing a stored agent.

        Raises:
            NotFound: At commit, when no agent has this id.
            Conflict: At commit, when the new name is taken.
        """
        self._record("update_agent", agent)

    async def delete(self, agent_id: str) -> None:
        """Record removing an agent (its bindings go with it: ``ON DELETE CASCADE``)."""
        self._session.record({"op": "delete_agent", "id": agent_id})

    async def _one(self, args: dict[str, Any]) -> VoiceAgent | None:
        rows = await self._session.read("agents", args)
        return read_agent(rows[0]) if rows else None

    def _record(self, op: str, agent: VoiceAgent) -> None:
        self._session.record(
            {
                "op": op,
                "item": {"id": agent.id, **agent_columns(agent)},
                "at": self._clock().isoformat(),
            }
        )


class SupabaseBindingRepository(BindingRepository):
    """Bindings in ``agent_tools``; secrets are sealed here, before they leave the process.

    Args:
        session: The unit of work.
        cipher: Seals and unseals secrets, bound to the binding's row id and name.
        limits: Schema limits for reading the tools loaded with a toolset.
    """

    def __init__(self, session: Session, cipher: SecretCipher, limits: SchemaLimits) -> None:
        self._session = session
        self._cipher = cipher
        self._limits = limits
        self._unusable_secrets: set[str] = set()

    async def get(self, agent_id: str, tool_name: str) -> AgentToolBinding | None:
        """Return the binding of an agent to a tool, or None."""
        found = await self._select({"agent_id": agent_id, "tool_name": tool_name})
        return found[0] if found else None

    async def for_agent(self, agent_id: str) -> list[AgentToolBinding]:
        """Return an agent's bindings, oldest first."""
        return await self._select({"agent_id": agent_id})

    async def for_tool(self, tool_name: str) -> list[AgentToolBinding]:
        """Return a tool's bindings, oldest first."""
        return await self._select({"tool_name": tool_name})

    async def add(self, binding: AgentToolBinding) -> None:
        """Record a new binding, its secrets sealed.

        Raises:
            NotFound: At commit, when the tool or the agent does not exist.
            Conflict: At commit, when the agent is already bound to the tool.
        """
        item = {
            "id": binding.id,
            "agent_id": binding.agent_id,
            "tool_name": binding.tool_name,
            "created_at": binding.created_at.isoformat(),
            **binding_columns(self._cipher, binding),
        }
        self._session.record({"op": "add_binding", "item": item})

    async def update(self, binding: AgentToolBinding) -> None:
        """Record replacing a binding's state, config and secrets.

        Stored secrets that were read as unusable stay as they are until secrets are
        set again.

        Raises:
            NotFound: At commit, when no binding has this id.
        """
        columns = binding_columns(self._cipher, binding)
        if binding.id in self._unusable_secrets and not binding.secrets:
            del columns["sensitive_config"]
        self._session.record({"op": "update_binding", "item": {"id": binding.id, **columns}})

    async def delete(self, binding_id: str) -> None:
        """Record removing a binding with its secrets."""
        self._session.record({"op": "delete_binding", "id": binding_id})

    async def delete_for_agent(self, agent_id: str) -> None:
        """Record removing every binding of an agent, with their secrets."""
        self._session.record({"op": "delete_agent_bindings", "agent_id": agent_id})

    async def enabled_function_names(self, agent_id: str, among: Collection[str]) -> dict[str, str]:
        """Return function name -> offering tool, for ``among``, over the enabled bindings.

        The RPC returns every enabled binding's functions; the names are picked here.
        """
        rows = await self._session.read("function_names", {"agent_id": agent_id})
        return function_owners(
            (
                (
                    row["tool_name"],
                    stored_function_names(row["tool_functions_schema"]),
                    row["functions"],
                )
                for row in rows
            ),
            among,
        )

    async def load_toolset(self, agent_id: str) -> list[BoundTool]:
        """Return the agent's enabled bindings with their tools' latest versions.

        One RPC call (``tool_platform_toolset`` through the read). Secrets are decrypted
        here: a binding whose secrets cannot be read comes back without them, with the
        reason.
        """
        rows = await self._session.read("toolset", {"agent_id": agent_id})
        return [
            bound_for_session(
                *read_binding(self._cipher, _binding_row(row)),
                read_stored_tool(_content(row["tool"]), self._limits),
            )
            for row in rows
        ]

    async def load_agent_toolset(
        self, agent_reference: str
    ) -> tuple[VoiceAgent, list[BoundTool]] | None:
        """Return the agent with this id (or else name) and its :meth:`load_toolset`.

        Two RPC calls (three when the reference is a name): the agent, then the toolset.
        """
        rows = await self._session.read("agents", {"id": agent_reference}) or (
            await self._session.read("agents", {"name": agent_reference})
        )
        if not rows:
            return None
        agent = read_agent(rows[0])
        return agent, await self.load_toolset(agent.id)

    async def _select(self, args: dict[str, Any]) -> list[AgentToolBinding]:
        bindings = []
        for row in await self._session.read("bindings", args):
            binding, problem = read_binding(self._cipher, _binding_row(row))
            if problem is not None:
                self._unusable_secrets.add(binding.id)
            bindings.append(binding)
        return bindings
