"""Use case: replace a binding's config, validated against its tool's ``config_schema``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from application.lookup import find_agent
from application.ports import UnitOfWorkFactory
from domain.bindings import AgentToolBinding
from domain.errors import NotFound


class BindingConfigs:
    """Changes the config of existing bindings.

    Args:
        unit_of_work: Opens transactions over the repositories.
    """

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._unit_of_work = unit_of_work

    async def set_config(
        self, agent_reference: str, tool_name: str, config: Mapping[str, Any]
    ) -> AgentToolBinding:
        """Replace the config of the agent's binding to ``tool_name``.

        Refused, changing nothing, unless the config satisfies the latest version's
        ``config_schema``.

        Raises:
            NotFound: When the agent, the tool or the binding does not exist.
            InvalidConfig: Naming every failing key and its rule.
        """
        async with self._unit_of_work() as uow:
            agent = await find_agent(uow.agents, agent_reference)
            binding = await uow.bindings.get(agent.id, tool_name)
            if binding is None:
                raise NotFound(f"agent {agent.name!r} is not bound to tool {tool_name!r}")
            tool = await uow.tools.latest(tool_name)
            if tool is None:
                raise NotFound(f"tool {tool_name!r} does not exist")
            tool.validate_config(config)
            changed = dataclasses.replace(binding, config=dict(config))
            await uow.bindings.update(changed)
            await uow.commit()
        return changed
