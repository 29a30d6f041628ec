"""Use cases of bindings: bind, unbind, enable, disable, set and remove secrets."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from application.clock import Clock, IdFactory, new_id, utc_now
from application.lookup import find_agent
from application.ports import UnitOfWork, UnitOfWorkFactory
from domain.agents import VoiceAgent
from domain.bindings import AgentToolBinding
from domain.errors import (
    BindingConfigRefused,
    BindingMisfit,
    BindingRefused,
    Conflict,
    InvalidConfig,
    NotFound,
)
from domain.json_values import is_unicode
from domain.secrets import Secret
from domain.tools.definition import ToolDefinition
from domain.toolset_resolution import fitted_config

DEFAULT_MAX_SECRET_BYTES = 64 * 1024
"""Largest secret value by default, in bytes of UTF-8: room for any token or key file."""


@dataclass(frozen=True)
class SecretState:
    """Whether one secret of a binding is set, and since when; never its value.

    Attributes:
        name: The secret's name.
        required: Whether the tool's latest version declares it.
        set: Whether the binding holds a value.
        updated_at: When the value was set (None when unset, or set before this was kept).
    """

    name: str
    required: bool
    set: bool
    updated_at: datetime | None


class BindingService:
    """Binds agents to tools and manages each binding's state and secrets.

    Args:
        unit_of_work: Opens transactions over the repositories.
        clock: Gives the binding time (earlier bindings win name collisions at load).
        ids: Makes new binding ids.
        max_secret_bytes: The largest secret value accepted, in bytes of UTF-8.
    """

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock = utc_now,
        ids: IdFactory = new_id,
        max_secret_bytes: int = DEFAULT_MAX_SECRET_BYTES,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._ids = ids
        self._max_secret_bytes = max_secret_bytes

    async def bind(
        self,
        agent_reference: str,
        tool_name: str,
        *,
        config: Mapping[str, Any] | None = None,
        secrets: Mapping[str, str] | None = None,
        functions: Sequence[str] | None = None,
        enabled: bool = True,
    ) -> AgentToolBinding:
        """Bind an agent to the latest version of a tool.

        Refused, changing nothing, unless: the config satisfies the tool's
        ``config_schema``; every secret the tool declares is given and no other; the
        function allowlist names only the tool's functions; and, when enabled, none of
        its functions shares a name with an enabled function of the agent.

        Raises:
            NotFound: When the agent or the tool does not exist.
            Conflict: When the agent is already bound to the tool, or names collide.
            BindingRefused: When the config does not satisfy the tool's ``config_schema``
                (a ``BindingConfigRefused``, each problem located), when secrets or
                the allowlist do not fit the tool, or a secret value is empty, not
                valid Unicode, or larger than the limit.
        """
        for name, value in (secrets or {}).items():
            self._check_secret(name, value)
        async with self._unit_of_work() as uow:
            agent = await find_agent(uow.agents, agent_reference)
            tool = await _tool(uow, tool_name)
            if await uow.bindings.get(agent.id, tool.name) is not None:
                raise Conflict(f"agent {agent.name!r} is already bound to tool {tool.name!r}")
            binding = AgentToolBinding(
                id=self._ids(),
                agent_id=agent.id,
                tool_name=tool.name,
                created_at=self._clock(),
                config=dict(config or {}),
                secrets={
                    name: Secret(value, updated_at=self._clock())
                    for name, value in (secrets or {}).items()
                },
                enabled=enabled,
                functions=tuple(functions) if functions is not None else None,
            )
            _check_fits(binding, tool)
            if enabled:
                await _check_names_free(uow, agent, binding, tool)
            await uow.bindings.add(binding)
            await uow.commit()
        return binding

    async def configure(
        self,
        agent_reference: str,
        tool_name: str,
        *,
        config: Mapping[str, Any],
        functions: Sequence[str] | None,
        enabled: bool | None = None,
    ) -> AgentToolBinding:
        """Replace a binding's config and function allowlist, and set its state (secrets stay).

        Refused, changing nothing, when they do not fit the tool's latest version (as
        :meth:`bind` checks), or, for an enabled binding, when the allowlist would offer
        a name another enabled binding of the agent offers.

        Raises:
            NotFound: When the agent, tool or binding does not exist.
            Conflict: When names would collide.
            BindingRefused: When the config or the allowlist does not fit the tool.
        """
        async with self._unit_of_work() as uow:
            agent, binding = await _binding(uow, agent_reference, tool_name)
            tool = await _tool(uow, tool_name)
            changed = dataclasses.replace(
                binding,
                config=dict(config),
                functions=tuple(functions) if functions is not None else None,
                enabled=binding.enabled if enabled is None else enabled,
            )
            _check_fits(changed, tool)
            if changed.enabled:
                await _check_names_free(uow, agent, changed, tool)
            await uow.bindings.update(changed)
            await uow.commit()
        return changed

    async def secret_states(self, agent_reference: str, tool_name: str) -> list[SecretState]:
        """Each secret the tool declares (and any other the binding holds): set or not, when.

        Raises:
            NotFound: When the agent, tool or binding does not exist.
        """
        async with self._unit_of_work(read_only=True) as uow:
            _, binding = await _binding(uow, agent_reference, tool_name)
            tool = await _tool(uow, tool_name)
        names = [
            *tool.secret_names,
            *(n for n in binding.secret_names if n not in tool.secret_names),
        ]
        return [
            SecretState(
                name,
                name in tool.secret_names,
                name in binding.secrets,
                binding.secrets[name].updated_at if name in binding.secrets else None,
            )
            for name in names
        ]

    async def unbind(self, agent_reference: str, tool_name: str) -> AgentToolBinding:
        """Remove a binding with its secrets.

        Raises:
            NotFound: When the agent or the binding does not exist.
        """
        async with self._unit_of_work() as uow:
            _, binding = await _binding(uow, agent_reference, tool_name)
            await uow.bindings.delete(binding.id)
            await uow.commit()
        return binding

    async def set_enabled(
        self, agent_reference: str, tool_name: str, enabled: bool
    ) -> AgentToolBinding:
        """Enable or disable a binding; enabling checks function names again.

        Raises:
            NotFound: When the agent, tool or binding does not exist.
            Conflict: When enabling would make two functions share a name.
        """
        async with self._unit_of_work() as uow:
            agent, binding = await _binding(uow, agent_reference, tool_name)
            if enabled and not binding.enabled:
                await _check_names_free(uow, agent, binding, await _tool(uow, tool_name))
            changed = dataclasses.replace(binding, enabled=enabled)
            await uow.bindings.update(changed)
            await uow.commit()
        return changed

    async def set_secret(
        self, agent_reference: str, tool_name: str, name: str, value: str
    ) -> AgentToolBinding:
        """Set (or replace) one secret of a binding.

        Raises:
            NotFound: When the agent, tool or binding does not exist.
            BindingRefused: When the tool declares no secret of that name, or the value
                is empty, not valid Unicode, or larger than the limit.
        """
        self._check_secret(name, value)
        async with self._unit_of_work() as uow:
            _, binding = await _binding(uow, agent_reference, tool_name)
            tool = await _tool(uow, tool_name)
            if name not in tool.secret_names:
                raise BindingRefused(_unknown_secrets(tool, [name]))
            secret = Secret(value, updated_at=self._clock())
            changed = dataclasses.replace(binding, secrets={**binding.secrets, name: secret})
            await uow.bindings.update(changed)
            await uow.commit()
        return changed

    def _check_secret(self, name: str, value: str) -> None:
        if not value:
            raise BindingRefused(f"secret {name!r} has an empty value")
        if not is_unicode(value):
            raise BindingRefused(f"secret {name!r} is not valid Unicode text (a lone surrogate)")
        size = len(value.encode("utf-8"))
        if size > self._max_secret_bytes:
            raise BindingRefused(
                f"secret {name!r} is {size} bytes; at most {self._max_secret_bytes} are accepted"
            )

    async def remove_secret(
        self, agent_reference: str, tool_name: str, name: str
    ) -> AgentToolBinding:
        """Remove one secret of a binding, unless the tool's latest version needs it.

        Raises:
            NotFound: When the agent, tool, binding or secret does not exist.
            BindingRefused: When the tool requires the secret.
        """
        async with self._unit_of_work() as uow:
            _, binding = await _binding(uow, agent_reference, tool_name)
            if name not in binding.secrets:
                raise NotFound(f"the binding to {tool_name!r} has no secret {name!r}")
            tool = await uow.tools.latest(tool_name)
            if tool is not None and name in tool.secret_names:
                raise BindingRefused(
                    f"tool {tool_name!r} requires the secret {name!r}; set a new value instead"
                )
            secrets = {key: value for key, value in binding.secrets.items() if key != name}
            changed = dataclasses.replace(binding, secrets=secrets)
            await uow.bindings.update(changed)
            await uow.commit()
        return changed


async def _tool(uow: UnitOfWork, name: str) -> ToolDefinition:
    tool = await uow.tools.latest(name)
    if tool is None:
        raise NotFound(f"tool {name!r} does not exist")
    return tool


async def _binding(
    uow: UnitOfWork, agent_reference: str, tool_name: str
) -> tuple[VoiceAgent, AgentToolBinding]:
    agent = await find_agent(uow.agents, agent_reference)
    binding = await uow.bindings.get(agent.id, tool_name)
    if binding is None:
        raise NotFound(f"agent {agent.name!r} is not bound to tool {tool_name!r}")
    return agent, binding


def _check_fits(binding: AgentToolBinding, tool: ToolDefinition) -> None:
    unknown = [name for name in binding.secrets if name not in tool.secret_names]
    if unknown:
        raise BindingRefused(_unknown_secrets(tool, unknown))
    strangers = [name for name in binding.functions or () if name not in tool.function_names]
    if strangers:
        raise BindingRefused(
            f"tool {tool.name!r} has no function {', '.join(map(repr, strangers))}; "
            f"its functions are: {', '.join(tool.function_names)}"
        )
    try:
        tool.validate_config(binding.config)
    except InvalidConfig as invalid:
        raise BindingConfigRefused(
            f"cannot bind tool {tool.name!r}: its config does not fit version {tool.version}",
            invalid.problems,
        ) from None
    try:
        fitted_config(binding, tool)
    except BindingMisfit as misfit:
        raise BindingRefused(f"cannot bind tool {tool.name!r}: {misfit}") from None


def _unknown_secrets(tool: ToolDefinition, names: Iterable[str]) -> str:
    declared = ", ".join(tool.secret_names) or "none"
    return (
        f"tool {tool.name!r} declares no secret {', '.join(map(repr, names))}; "
        f"its secrets are: {declared}"
    )


async def _check_names_free(
    uow: UnitOfWork, agent: VoiceAgent, binding: AgentToolBinding, tool: ToolDefinition
) -> None:
    """Refuse ``binding`` when another enabled binding of the agent offers one of its names."""
    offered = {name for name in tool.function_names if binding.selects(name)}
    taken = await uow.bindings.enabled_function_names(agent.id, offered)
    clashes = sorted(name for name in offered & taken.keys() if taken[name] != tool.name)
    if clashes:
        listing = ", ".join(f"{name} (from tool {taken[name]!r})" for name in clashes)
        raise Conflict(
            f"agent {agent.name!r} already has functions named {listing}; "
            "disable that binding, or bind with a function allowlist that leaves them out"
        )
