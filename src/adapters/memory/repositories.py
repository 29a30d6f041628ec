"""In-memory repositories: the catalog, the agents and the bindings of one unit of work."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection

from adapters.memory.state import (
    Change,
    MemoryState,
    StoredBinding,
    add_version,
    delete_agent,
    delete_bindings,
    delete_tool,
    put_agent,
    put_binding,
)
from application.ports import (
    AgentRepository,
    BindingRepository,
    SecretAddress,
    SecretCipher,
    ToolCatalog,
)
from domain.agents import VoiceAgent
from domain.bindings import AgentToolBinding
from domain.errors import SecretUnreadable, VersionConflict
from domain.secrets import Secret
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool
from domain.toolset_resolution import BoundTool

Record = Callable[[Change], None]


class InMemoryToolCatalog(ToolCatalog):
    """Tool versions in memory."""

    def __init__(self, state: MemoryState, record: Record) -> None:
        self._state = state
        self._record = record

    async def latest(self, name: str) -> ToolDefinition | None:
        """Return the latest version of a tool, or None."""
        versions = self._state.tools.get(name)
        return versions[-1] if versions else None

    async def version(self, name: str, version: int) -> ToolDefinition | None:
        """Return one version of a tool, or None."""
        versions = self._state.tools.get(name, [])
        return versions[version - 1] if 1 <= version <= len(versions) else None

    async def versions(self, name: str) -> list[ToolDefinition]:
        """Return every version of a tool, oldest first."""
        return list(self._state.tools.get(name, []))

    async def list_latest(self) -> list[ToolDefinition | UnreadableTool]:
        """Return the latest version of every tool, by name.

        Tools in memory were checked by this process's rules, so none is unreadable.
        """
        return [versions[-1] for _, versions in sorted(self._state.tools.items()) if versions]

    async def lock_for_new_version(self, name: str) -> None:
        """Nothing to lock: a commit replays its changes and refuses a taken version."""

    async def add_version(self, tool: ToolDefinition) -> None:
        """Store a new version.

        Raises:
            VersionConflict: When that version is taken.
        """
        if await self.version(tool.name, tool.version) is not None:
            raise VersionConflict(f"version {tool.version} of tool {tool.name!r} is taken")
        self._record(add_version(tool))

    async def delete(self, name: str) -> None:
        """Remove a tool with all its versions."""
        self._record(delete_tool(name))


class InMemoryAgentRepository(AgentRepository):
    """Agents in memory."""

    def __init__(self, state: MemoryState, record: Record) -> None:
        self._state = state
        self._record = record

    async def get(self, agent_id: str) -> VoiceAgent | None:
        """Return the agent with this id, or None."""
        return self._state.agents.get(agent_id)

    async def find_by_name(self, name: str) -> VoiceAgent | None:
        """Return the agent with this name, or None."""
        return next((a for a in self._state.agents.values() if a.name == name), None)

    async def list_all(self) -> list[VoiceAgent]:
        """Return every agent, by name."""
        return sorted(self._state.agents.values(), key=lambda agent: agent.name)

    async def add(self, agent: VoiceAgent) -> None:
        """Store a new agent (ids and names are unique)."""
        self._record(put_agent(agent, new=True))

    async def update(self, agent: VoiceAgent) -> None:
        """Replace a stored agent."""
        self._record(put_agent(agent, new=False))

    async def delete(self, agent_id: str) -> None:
        """Remove an agent."""
        self._record(delete_agent(agent_id))


class InMemoryBindingRepository(BindingRepository):
    """Bindings in memory, their secrets encrypted with the storage's cipher."""

    def __init__(self, state: MemoryState, record: Record, cipher: SecretCipher) -> None:
        self._state = state
        self._record = record
        self._cipher = cipher

    async def get(self, agent_id: str, tool_name: str) -> AgentToolBinding | None:
        """Return the binding of an agent to a tool, or None."""
        return next(
            (
                self._reveal(stored)
                for stored in self._state.bindings.values()
                if stored.binding.agent_id == agent_id and stored.binding.tool_name == tool_name
            ),
            None,
        )

    async def for_agent(self, agent_id: str) -> list[AgentToolBinding]:
        """Return an agent's bindings, oldest first."""
        return self._select(lambda binding: binding.agent_id == agent_id)

    async def for_tool(self, tool_name: str) -> list[AgentToolBinding]:
        """Return a tool's bindings, oldest first."""
        return self._select(lambda binding: binding.tool_name == tool_name)

    async def add(self, binding: AgentToolBinding) -> None:
        """Store a new binding (an agent is bound to a tool at most once)."""
        self._record(put_binding(self._seal(binding), new=True))

    async def update(self, binding: AgentToolBinding) -> None:
        """Replace a stored binding."""
        self._record(put_binding(self._seal(binding), new=False))

    async def delete(self, binding_id: str) -> None:
        """Remove a binding with its secrets."""
        self._record(delete_bindings(lambda binding: binding.id == binding_id))

    async def delete_for_agent(self, agent_id: str) -> None:
        """Remove every binding of an agent."""
        self._record(delete_bindings(lambda binding: binding.agent_id == agent_id))

    async def enabled_function_names(self, agent_id: str, among: Collection[str]) -> dict[str, str]:
        """Return function name -> offering tool, for ``among``, over the enabled bindings."""
        owners: dict[str, str] = {}
        for stored in self._stored(lambda b: b.agent_id == agent_id and b.enabled):
            binding = stored.binding
            for function in self._state.tools[binding.tool_name][-1].function_names:
                if function in among and binding.selects(function):
                    owners.setdefault(function, binding.tool_name)
        return owners

    async def load_toolset(self, agent_id: str) -> list[BoundTool]:
        """Return the agent's enabled bindings with their tools' latest versions."""
        bound = []
        for stored in self._stored(lambda b: b.agent_id == agent_id and b.enabled):
            tool = self._state.tools[stored.binding.tool_name][-1]
            try:
                bound.append(BoundTool(self._reveal(stored), tool))
            except SecretUnreadable as error:
                bound.append(BoundTool(stored.binding, tool, unreadable_secrets=str(error)))
        return bound

    async def load_agent_toolset(
        self, agent_reference: str
    ) -> tuple[VoiceAgent, list[BoundTool]] | None:
        """Return the agent with this id (or else name) and its :meth:`load_toolset`."""
        agent = self._state.agents.get(agent_reference) or next(
            (a for a in self._state.agents.values() if a.name == agent_reference), None
        )
        return None if agent is None else (agent, await self.load_toolset(agent.id))

    def _select(self, predicate: Callable[[AgentToolBinding], bool]) -> list[AgentToolBinding]:
        return [self._reveal(stored) for stored in self._stored(predicate)]

    def _stored(self, predicate: Callable[[AgentToolBinding], bool]) -> list[StoredBinding]:
        chosen = [s for s in self._state.bindings.values() if predicate(s.binding)]
        return sorted(chosen, key=lambda s: (s.binding.created_at, s.binding.id))

    def _seal(self, binding: AgentToolBinding) -> StoredBinding:
        return StoredBinding(
            binding,
            {
                name: self._cipher.encrypt(secret.reveal(), SecretAddress(binding.id, name))
                for name, secret in binding.secrets.items()
            },
            {name: secret.updated_at for name, secret in binding.secrets.items()},
        )

    def _reveal(self, stored: StoredBinding) -> AgentToolBinding:
        binding = stored.binding
        secrets = {
            name: Secret(
                self._cipher.decrypt(encrypted, SecretAddress(binding.id, name)),
                updated_at=stored.secrets_updated_at.get(name),
            )
            for name, encrypted in stored.secrets.items()
        }
        return dataclasses.replace(binding, secrets=secrets)
