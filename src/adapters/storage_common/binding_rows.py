"""A binding's stored columns: written with its secrets sealed, read back leniently."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from adapters.storage_common.sealed_secrets import (
    read_sensitive_config,
    seal_all,
    stored_secrets,
)
from application.ports import SecretCipher
from domain.bindings import AgentToolBinding
from domain.errors import SecretUnreadable
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool
from domain.toolset_resolution import BoundTool


def binding_columns(cipher: SecretCipher, binding: AgentToolBinding) -> dict[str, Any]:
    """The columns of a binding that change over its life, secrets sealed."""
    return {
        "config": dict(binding.config),
        "sensitive_config": seal_all(cipher, binding.id, binding.secrets),
        "is_enabled": binding.enabled,
        "functions": None if binding.functions is None else list(binding.functions),
    }


def read_binding(
    cipher: SecretCipher, columns: Mapping[Any, Any]
) -> tuple[AgentToolBinding, str | None]:
    """Read a binding from its columns (``tool_name`` being its tool's name).

    Returns:
        The binding, each secret decrypted only when revealed; and why its stored
        secrets are unusable as a whole, or None.
    """
    stored, problem = read_sensitive_config(columns["sensitive_config"])
    functions = columns["functions"]
    binding = AgentToolBinding(
        id=columns["id"],
        agent_id=columns["agent_id"],
        tool_name=columns["tool_name"],
        created_at=columns["created_at"],
        config=columns["config"],
        secrets=stored_secrets(cipher, columns["id"], stored),
        enabled=columns["is_enabled"],
        functions=None if functions is None else tuple(functions),
    )
    return binding, problem


def bound_for_session(
    binding: AgentToolBinding, problem: str | None, tool: ToolDefinition | UnreadableTool
) -> BoundTool:
    """A binding ready for a session: every secret decrypted now, or the reason it is not.

    A session must not start with a secret it cannot read, so the secrets are revealed
    here; a binding whose secrets (or whose stored column) cannot be read comes back
    without them, with the reason, and only that binding is left out.
    """
    if problem is None:
        try:
            for secret in binding.secrets.values():
                secret.reveal()
        except SecretUnreadable as error:
            problem = str(error)
        else:
            return BoundTool(binding, tool)
    return BoundTool(dataclasses.replace(binding, secrets={}), tool, problem)


def function_owners(
    rows: Iterable[tuple[str, Iterable[Any], Any]], among: Collection[str]
) -> dict[str, str]:
    """Function name -> the tool offering it, for the names in ``among``.

    Args:
        rows: Per enabled binding, oldest first: its tool's name, its stored function
            names (anything that is not a string is skipped) and its stored allowlist
            (``functions``, None for every function).
        among: The names asked about.
    """
    owners: dict[str, str] = {}
    for tool_name, names, allowlist in rows:
        for function in names:
            if (
                isinstance(function, str)
                and function in among
                and (allowlist is None or function in allowlist)
            ):
                owners.setdefault(function, tool_name)
    return owners
