"""Resolving an agent's bindings into an :class:`AgentToolset`.

Every binding follows the latest version of its tool. A binding that no longer fits
that version is left out with its reason; it never fails the whole load. Name
collisions are settled by one rule: the binding made first keeps the name (ties broken
by binding id), and the later function is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from domain.agents import VoiceAgent
from domain.bindings import AgentToolBinding
from domain.errors import BindingMisfit, InvalidConfig
from domain.injection import ConfigInjection
from domain.json_types import JsonObject
from domain.schema.function_schema import FunctionSchema
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool
from domain.toolset import AgentToolset, LeftOut, ToolsetFunction

FunctionCheck = Callable[[ToolDefinition, FunctionSchema], str | None]
"""Says why a function cannot be offered (model compatibility, handler policy), or None."""

ConfigFit = Callable[[AgentToolBinding, ToolDefinition], JsonObject]
"""Gives a binding's config fitted to a tool version, or raises ``BindingMisfit``:
:func:`fitted_config`, or a memo of it."""


@dataclass(frozen=True)
class BoundTool:
    """A binding with the latest version of its tool, as storage loaded them.

    Attributes:
        binding: The binding (without secrets when they could not be read).
        tool: The tool's latest version (storage refuses to delete a bound tool), or
            why today's settings or rules refuse to read it.
        unreadable_secrets: Why the binding's secrets could not be decrypted, if so.
    """

    binding: AgentToolBinding
    tool: ToolDefinition | UnreadableTool
    unreadable_secrets: str | None = None


def fitted_config(binding: AgentToolBinding, tool: ToolDefinition) -> JsonObject:
    """Check that ``binding`` fits this version of its tool; return its config with defaults.

    Args:
        binding: The binding.
        tool: The tool version it would run with.

    Returns:
        The binding's config, validated, with the tool's defaults applied.

    Raises:
        BindingMisfit: Saying why the binding does not fit.
    """
    try:
        config = tool.validate_config(binding.config)
    except InvalidConfig as error:
        raise BindingMisfit(f"its config does not fit version {tool.version}: {error}") from None
    missing = [name for name in tool.secret_names if name not in binding.secrets]
    if missing:
        raise BindingMisfit(
            f"version {tool.version} needs secrets that are not set: {', '.join(missing)}"
        )
    gone = [name for name in binding.functions or () if name not in tool.function_names]
    if gone:
        raise BindingMisfit(
            f"allowlisted functions are gone in version {tool.version}: {', '.join(gone)}"
        )
    return config


def resolve_toolset(
    agent: VoiceAgent,
    bound: Iterable[BoundTool],
    check: FunctionCheck,
    fit: ConfigFit = fitted_config,
) -> AgentToolset:
    """Build the toolset of ``agent`` from its enabled bindings.

    Args:
        agent: The agent.
        bound: Its bindings with their tools' latest versions (disabled ones are skipped).
        check: Refuses functions the session must not offer (with a reason).
        fit: Fits each binding's config to its tool version (see :func:`fitted_config`).

    Returns:
        The toolset, with everything left out and why.
    """
    ordered = sorted(bound, key=lambda item: (item.binding.created_at, item.binding.id))
    functions: list[ToolsetFunction] = []
    injections: dict[str, ConfigInjection] = {}
    left_out: list[LeftOut] = []
    owners: dict[str, str] = {}
    for item in ordered:
        binding, tool = item.binding, item.tool
        if not binding.enabled:
            continue
        if isinstance(tool, UnreadableTool):
            unreadable = f"its tool as stored breaks today's rules: {tool.reason}"
            left_out.append(LeftOut(tool.name, binding.id, unreadable))
            continue
        if item.unreadable_secrets:
            unreadable = f"its secrets cannot be read: {item.unreadable_secrets}"
            left_out.append(LeftOut(tool.name, binding.id, unreadable))
            continue
        try:
            config = fit(binding, tool)
        except BindingMisfit as misfit:
            left_out.append(LeftOut(tool.name, binding.id, str(misfit)))
            continue
        injections[binding.id] = ConfigInjection(
            agent_id=agent.id,
            binding_id=binding.id,
            tool_name=tool.name,
            tool_version=tool.version,
            config=config,
            secrets=binding.secrets,
        )
        for function in tool.functions:
            if not binding.selects(function.name):
                continue
            reason = check(tool, function)
            if reason is None and function.name in owners:
                reason = (
                    f"the name is already taken by tool {owners[function.name]!r}, bound earlier"
                )
            if reason:
                left_out.append(LeftOut(tool.name, binding.id, reason, function.name))
                continue
            owners[function.name] = tool.name
            functions.append(ToolsetFunction(function, tool, binding.id))
    return AgentToolset(agent, tuple(functions), injections, tuple(left_out))
