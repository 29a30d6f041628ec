"""``AgentToolBinding``: an agent's use of one tool, with its config and secrets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from domain.json_types import JsonObject
from domain.secrets import Secret


@dataclass(frozen=True)
class AgentToolBinding:
    """Binds an agent to a tool. A binding follows the latest version of its tool.

    Attributes:
        id: Stable identifier (encrypted secrets are bound to it).
        agent_id: The agent.
        tool_name: The tool, by its unique name.
        config: The config as the owner gave it (defaults are applied at load, so a
            new version's defaults reach the binding).
        secrets: Secret name -> value; write-only outside the call pipeline.
        enabled: Whether the agent gets the tool's functions.
        functions: Allowlist of the tool's function names; None means all of them.
        created_at: When the binding was made; earlier bindings win name collisions.
    """

    id: str
    agent_id: str
    tool_name: str
    created_at: datetime
    config: JsonObject = field(default_factory=dict)
    secrets: Mapping[str, Secret] = field(default_factory=dict)
    enabled: bool = True
    functions: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "secrets", MappingProxyType(dict(self.secrets)))

    @property
    def secret_names(self) -> tuple[str, ...]:
        """The names of the secrets that are set, sorted (never their values)."""
        return tuple(sorted(self.secrets))

    def selects(self, function_name: str) -> bool:
        """Tell whether the allowlist lets ``function_name`` through."""
        return self.functions is None or function_name in self.functions
