"""The committed state of the in-memory storage, and the changes made to it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from application.ports import EncryptedSecret
from domain.agents import VoiceAgent
from domain.bindings import AgentToolBinding
from domain.errors import Conflict, NotFound, VersionConflict
from domain.tools.definition import ToolDefinition


@dataclass(frozen=True)
class StoredBinding:
    """A binding as stored: its secrets encrypted, never in plaintext."""

    binding: AgentToolBinding
    secrets: dict[str, EncryptedSecret]
    secrets_updated_at: dict[str, datetime | None] = field(default_factory=dict)


@dataclass
class MemoryState:
    """Everything the in-memory storage holds."""

    tools: dict[str, list[ToolDefinition]] = field(default_factory=dict)
    agents: dict[str, VoiceAgent] = field(default_factory=dict)
    bindings: dict[str, StoredBinding] = field(default_factory=dict)

    def copy(self) -> MemoryState:
        """Return a copy that can change without touching this one."""
        return MemoryState(
            {name: list(versions) for name, versions in self.tools.items()},
            dict(self.agents),
            dict(self.bindings),
        )


Change = Callable[[MemoryState], None]
"""One recorded change; applying it checks the same rules a database would."""


def add_version(tool: ToolDefinition) -> Change:
    """Store a new tool version; the version must be the next one."""

    def apply(state: MemoryState) -> None:
        versions = state.tools.setdefault(tool.name, [])
        if tool.version != len(versions) + 1:
            raise VersionConflict(f"version {tool.version} of tool {tool.name!r} is taken")
        versions.append(tool)

    return apply


def delete_tool(name: str) -> Change:
    """Remove a tool with all its versions, unless bindings still use it."""

    def apply(state: MemoryState) -> None:
        if any(stored.binding.tool_name == name for stored in state.bindings.values()):
            raise Conflict(f"tool {name!r} is still bound to agents; unbind it first")
        state.tools.pop(name, None)

    return apply


def put_agent(agent: VoiceAgent, *, new: bool) -> Change:
    """Add or replace an agent, keeping ids and names unique."""

    def apply(state: MemoryState) -> None:
        if new and agent.id in state.agents:
            raise Conflict(f"an agent with id {agent.id!r} already exists")
        if not new and agent.id not in state.agents:
            raise NotFound(f"no agent has the id {agent.id!r}")
        if any(a.name == agent.name and a.id != agent.id for a in state.agents.values()):
            raise Conflict(f"an agent named {agent.name!r} already exists")
        state.agents[agent.id] = agent

    return apply


def delete_agent(agent_id: str) -> Change:
    """Remove an agent."""

    def apply(state: MemoryState) -> None:
        state.agents.pop(agent_id, None)

    return apply


def put_binding(stored: StoredBinding, *, new: bool) -> Change:
    """Add or replace a binding of an existing agent; an agent is bound to a tool at most once."""
    binding = stored.binding

    def apply(state: MemoryState) -> None:
        if new and binding.agent_id not in state.agents:
            raise NotFound(f"no agent has the id {binding.agent_id!r}")
        if new and binding.tool_name not in state.tools:
            raise NotFound(f"tool {binding.tool_name!r} does not exist")
        if new and any(
            s.binding.agent_id == binding.agent_id and s.binding.tool_name == binding.tool_name
            for s in state.bindings.values()
        ):
            raise Conflict(f"agent {binding.agent_id} is already bound to {binding.tool_name!r}")
        if not new and binding.id not in state.bindings:
            raise NotFound(f"no binding has the id {binding.id!r}")
        stripped = dataclasses.replace(binding, secrets={})
        state.bindings[binding.id] = StoredBinding(
            stripped, dict(stored.secrets), dict(stored.secrets_updated_at)
        )

    return apply


def delete_bindings(predicate: Callable[[AgentToolBinding], bool]) -> Change:
    """Remove every binding the predicate selects, with its secrets."""

    def apply(state: MemoryState) -> None:
        for binding_id in [i for i, s in state.bindings.items() if predicate(s.binding)]:
            del state.bindings[binding_id]

    return apply
