"""``ConfigInjection``: what one binding gives its functions at call time."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from domain.errors import NotFound
from domain.secrets import Secret

_PLAIN = (str, int, float, type(None))
"""Config values no handler can change in place (``bool`` is an ``int``)."""


@dataclass(frozen=True)
class ConfigInjection:
    """The config (defaults applied), the secrets and the identity of one binding.

    Immutable and one per binding: concurrent calls of different bindings each get
    their own, never a shared object. The config is a deep copy, and :meth:`for_call`
    gives each call a fresh one, so a handler that changes a nested value changes it for
    itself only. Per-call facts (call id, function name) travel beside it. Secrets show
    only their names in ``repr``/``str``.

    Attributes:
        agent_id: The agent the session serves.
        binding_id: The binding.
        tool_name: The tool.
        tool_version: The tool version loaded for this session.
        config: The binding's config with the tool's defaults applied.
        secrets: Secret name -> value.
    """

    agent_id: str
    binding_id: str
    tool_name: str
    tool_version: int
    config: Mapping[str, Any] = field(default_factory=dict)
    secrets: Mapping[str, Secret] = field(default_factory=dict)

    def __post_init__(self) -> None:
        config = dict(self.config)
        if not _plain(config):
            config = copy.deepcopy(config)
        object.__setattr__(self, "config", MappingProxyType(config))
        object.__setattr__(self, "secrets", MappingProxyType(dict(self.secrets)))

    def for_call(self) -> ConfigInjection:
        """Return the injection for one call: a copy with its own deep copy of the config.

        A config of plain values only (no object, no array) has nothing a handler could
        change, so it is shared as it is: the injection itself.
        """
        if _plain(self.config):
            return self
        return dataclasses.replace(self)

    def secret(self, name: str) -> str:
        """Return the value of the secret called ``name``.

        Raises:
            NotFound: When the binding has no such secret (the message names only
                the secret names).
        """
        if name not in self.secrets:
            known = ", ".join(sorted(self.secrets)) or "none"
            raise NotFound(f"binding has no secret {name!r}; its secrets are: {known}")
        return self.secrets[name].reveal()

    def secret_values(self) -> tuple[str, ...]:
        """Every secret value, for scrubbing them out of a tool's output."""
        return tuple(secret.reveal() for secret in self.secrets.values())

    def __repr__(self) -> str:
        return (
            f"ConfigInjection(agent_id={self.agent_id!r}, binding_id={self.binding_id!r}, "
            f"tool_name={self.tool_name!r}, tool_version={self.tool_version}, "
            f"config={dict(self.config)!r}, secrets={sorted(self.secrets)!r})"
        )

    __str__ = __repr__


def _plain(config: Mapping[str, Any]) -> bool:
    """Whether ``config`` holds plain values only: a shallow copy of it is a deep one."""
    return all(isinstance(value, _PLAIN) for value in config.values())
