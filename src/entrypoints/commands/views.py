"""The JSON shapes the command line prints (``docs/cli.md`` documents each one).

These shapes are a stable interface for scripts: add fields, never rename or remove
them. A binding shows the names of its secrets, never their values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from application.overview import AgentOverview
from application.tools import DefineOutcome
from domain.agents import VoiceAgent, agent_name_problem
from domain.bindings import AgentToolBinding
from domain.errors import Problem
from domain.tools.definition import ToolDefinition
from domain.toolset import LeftOut

JsonDict = dict[str, Any]


def tool_summary(tool: ToolDefinition, problems: Sequence[Problem]) -> JsonDict:
    """One tool's latest version, as ``tools list`` shows it, with the limits it breaks."""
    return {
        "name": tool.name,
        "display_name": tool.display_name,
        "description": tool.description,
        "kind": str(tool.kind),
        "version": tool.version,
        "fingerprint": tool.fingerprint,
        "functions": list(tool.function_names),
        "secret_names": list(tool.secret_names),
        "problems": [str(problem) for problem in problems],
    }


def tool_version(tool: ToolDefinition) -> JsonDict:
    """One version of a tool, as ``tools versions`` shows it."""
    return {
        "version": tool.version,
        "fingerprint": tool.fingerprint,
        "functions": list(tool.function_names),
        "secret_names": list(tool.secret_names),
    }


def define_outcome(outcome: DefineOutcome) -> JsonDict:
    """What ``tools define`` did."""
    return {
        "name": outcome.tool.name,
        "version": outcome.tool.version,
        "changed": outcome.changed,
        "fingerprint": outcome.tool.fingerprint,
        "dropped_defaults": list(outcome.dropped_defaults),
        "incompatible": [
            {"path": problem.path, "message": problem.message} for problem in outcome.incompatible
        ],
        "warnings": [
            {"path": problem.path, "message": problem.message} for problem in outcome.warnings
        ],
    }


def agent_view(agent: VoiceAgent) -> JsonDict:
    """One agent, with the rules its stored name breaks (a name from before them)."""
    problem = agent_name_problem(agent.name)
    return {
        "id": agent.id,
        "name": agent.name,
        "instructions": agent.instructions,
        "model": {
            "model": agent.model.model,
            "voice": agent.model.voice,
            "temperature": agent.model.temperature,
        },
        "owner_id": agent.owner_id,
        "problems": [problem] if problem else [],
    }


def binding_view(binding: AgentToolBinding, left_out: Iterable[LeftOut]) -> JsonDict:
    """One binding with what its agent's session would leave out of it, and why."""
    return {
        "id": binding.id,
        "tool": binding.tool_name,
        "enabled": binding.enabled,
        "config": dict(binding.config),
        "functions": None if binding.functions is None else list(binding.functions),
        "secret_names": list(binding.secret_names),
        "created_at": binding.created_at.isoformat(),
        "left_out": [
            {"function": left.function, "reason": left.reason}
            for left in left_out
            if left.binding_id == binding.id
        ],
    }


def agent_details(overview: AgentOverview) -> JsonDict:
    """An agent with its bindings, as ``agents show`` shows it."""
    return {
        "agent": agent_view(overview.agent),
        "bindings": [binding_view(binding, overview.left_out) for binding in overview.bindings],
    }


def toolset_view(overview: AgentOverview) -> JsonDict:
    """What an agent's session offers, as ``agents toolset`` shows it.

    ``functions`` is exactly what the LLM sees. ``bindings`` are the bindings that
    loaded, oldest first, each with its tool version, its config with defaults applied,
    the names of its secrets and the functions it gives. ``left_out`` lists every binding
    or function the session goes without (disabled bindings included), with the reason.
    """
    toolset = overview.toolset
    loaded = [
        {
            "id": injection.binding_id,
            "tool": injection.tool_name,
            "version": injection.tool_version,
            "config": dict(injection.config),
            "secret_names": sorted(injection.secrets),
            "functions": [
                f.name for f in toolset.functions if f.binding_id == injection.binding_id
            ],
        }
        for injection in toolset.injections.values()
    ]
    return {
        "agent": {"id": toolset.agent.id, "name": toolset.agent.name},
        "functions": [function.schema.to_dict() for function in toolset.functions],
        "bindings": loaded,
        "left_out": [
            {
                "tool": left.tool_name,
                "binding_id": left.binding_id,
                "function": left.function,
                "reason": left.reason,
            }
            for left in overview.left_out
        ],
    }
