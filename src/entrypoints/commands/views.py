"""The JSON shapes the command line prints (``docs/cli.md`` documents each one).

These shapes are a stable interface for scripts: add fields, never rename or remove
them. A binding shows the names of its secrets, never their values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from application.call_audit import FunctionStats
from application.overview import AgentOverview
from application.tool_diff import DocumentChange
from application.tools import DefineOutcome, RefreshOutcome
from domain.agents import VoiceAgent, agent_name_problem
from domain.bindings import AgentToolBinding
from domain.call_records import CallRecord
from domain.errors import Problem
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool
from domain.toolset import LeftOut

JsonDict = dict[str, Any]


def tool_summary(tool: ToolDefinition | UnreadableTool, problems: Sequence[Problem]) -> JsonDict:
    """One tool's latest version, as ``tools list`` shows it, with what needs attention.

    ``problems`` are the limits a readable tool breaks (it was stored before them).
    """
    if isinstance(tool, UnreadableTool):
        return {
            "name": tool.name,
            "display_name": tool.name,
            "description": "",
            "kind": None,
            "version": tool.version,
            "fingerprint": None,
            "functions": [],
            "secret_names": [],
            "needs_attention": tool.message,
        }
    return {
        "name": tool.name,
        "display_name": tool.display_name,
        "description": tool.description,
        "kind": str(tool.kind),
        "version": tool.version,
        "fingerprint": tool.fingerprint,
        "functions": list(tool.function_names),
        "secret_names": list(tool.secret_names),
        "needs_attention": over_limits(tool, problems),
    }


def over_limits(tool: ToolDefinition, problems: Sequence[Problem]) -> str | None:
    """What a stored tool that breaks today's limits needs, on one line; None if nothing."""
    if not problems:
        return None
    return (
        f"tool {tool.name!r} (version {tool.version}) as stored breaks today's limits: "
        + "; ".join(str(problem) for problem in problems)
        + "; define it again within them"
    )


def misnamed(agent: VoiceAgent) -> str | None:
    """What an agent stored with a name today's rules refuse needs; None if nothing."""
    problem = agent_name_problem(agent.name)
    if problem is None:
        return None
    return f"{problem}; rename it with `tool-platform agents update {agent.id} --name NEW`"


def tool_version(tool: ToolDefinition) -> JsonDict:
    """One version of a tool, as ``tools versions`` shows it."""
    return {
        "version": tool.version,
        "fingerprint": tool.fingerprint,
        "functions": list(tool.function_names),
        "secret_names": list(tool.secret_names),
    }


def tool_diff_view(name: str, old: int, new: int, changes: Sequence[DocumentChange]) -> JsonDict:
    """What changed between two versions of a tool, as ``tools diff --json`` shows it."""
    return {
        "name": name,
        "from_version": old,
        "to_version": new,
        "changes": [
            {"path": c.path, "kind": str(c.kind), "before": c.before, "after": c.after}
            for c in changes
        ],
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
        "listed": outcome.listed,
    }


def refresh_outcome(outcome: RefreshOutcome) -> JsonDict:
    """What ``tools refresh`` did: the drift, and the tool's version after it."""
    return {
        "added": list(outcome.drift.added),
        "removed": list(outcome.drift.removed),
        "changed": list(outcome.drift.changed),
        "version": outcome.defined.tool.version,
    }


def agent_view(agent: VoiceAgent) -> JsonDict:
    """One agent, with what needs attention (a stored name from before the naming rules)."""
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
        "audit_payloads": str(agent.audit_payloads),
        "needs_attention": misnamed(agent),
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

    ``functions`` is exactly what the LLM sees, each with ``offered_schema`` (the same)
    and ``stored_schema`` (what the tool's arguments are validated against, and the
    shape it receives). ``bindings`` are the bindings that
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
        "functions": [
            {**offered.to_dict(), "offered_schema": offered.to_dict(), "stored_schema": stored}
            for offered, stored in zip(
                overview.offered, (f.schema.to_dict() for f in toolset.functions), strict=True
            )
        ],
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


def call_summary_view(record: CallRecord) -> JsonDict:
    """One recorded call, as ``calls list --json`` shows it."""
    return {
        "id": record.id,
        "started_at": record.started_at.isoformat(),
        "agent_id": record.agent_id,
        "session_id": record.session_id,
        "llm_call_id": record.llm_call_id,
        "tool": record.tool,
        "tool_version": record.tool_version,
        "kind": record.kind,
        "function": record.function,
        "outcome": str(record.outcome),
        "repeated": record.repeated,
        "duration_ms": record.duration_ms,
        "error": record.error,
    }


def call_view(record: CallRecord) -> JsonDict:
    """One recorded call in full, as ``calls show --json`` shows it (secrets masked)."""
    return {
        **call_summary_view(record),
        "binding_id": record.binding_id,
        "details": record.details,
        "payloads": str(record.payloads),
        "arguments": record.arguments,
        "result": record.result,
    }


def call_stats_view(since: datetime | None, stats: Sequence[FunctionStats]) -> JsonDict:
    """Call statistics per function, as ``calls stats --json`` shows them."""
    return {
        "since": None if since is None else since.isoformat(),
        "functions": [
            {
                "tool": item.tool,
                "function": item.function,
                "count": item.count,
                "errors": item.errors,
                "error_rate": item.error_rate,
                "p50_ms": item.p50_ms,
                "p95_ms": item.p95_ms,
                "p99_ms": item.p99_ms,
            }
            for item in stats
        ],
    }
