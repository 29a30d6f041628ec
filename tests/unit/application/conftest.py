"""Fixtures of the application tests: the use cases wired to the in-memory adapters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.memory.unit_of_work import InMemoryStorage
from adapters.secrets.aes_gcm import AesGcmSecretCipher
from application.agents import AgentService
from application.bindings import BindingService
from application.policies import HandlerPolicy
from application.ports import CompatibilityVerdict, ModelCompatibility, UnitOfWorkFactory
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.schema.function_schema import FunctionSchema
from domain.tools.kinds import ToolKind
from tests.builders import TickingClock


class PrefixRejectingCompatibility:
    """A target model that refuses every function whose name starts with a prefix.

    A small real implementation of the ``ModelCompatibility`` port.

    Args:
        prefix: The refused name prefix.
    """

    def __init__(self, prefix: str = "x_") -> None:
        self._prefix = prefix

    @property
    def target(self) -> str:
        """The model family checked against."""
        return "picky-model"

    def check(self, function: FunctionSchema) -> CompatibilityVerdict:
        """Refuse names with the prefix."""
        if function.name.startswith(self._prefix):
            return CompatibilityVerdict(
                accepted=False, reasons=(f"names starting with {self._prefix!r} are reserved",)
            )
        return CompatibilityVerdict(accepted=True)


TEST_HANDLERS = HandlerPolicy(("tests.handlers",))
"""The operator allowlist of these tests: the handlers in ``tests/handlers``."""


@pytest.fixture
def storage() -> InMemoryStorage:
    """An empty in-memory storage."""
    return InMemoryStorage(AesGcmSecretCipher.ephemeral())


@pytest.fixture
def unit_of_work(storage: InMemoryStorage) -> UnitOfWorkFactory:
    """The storage's unit-of-work factory (what the use cases receive)."""
    return storage.unit_of_work


@pytest.fixture
def clock() -> TickingClock:
    """A clock that ticks one second per reading, so binding order is known."""
    return TickingClock()


@pytest.fixture
def policy() -> HandlerPolicy:
    """The handler allowlist: ``tests.handlers``."""
    return TEST_HANDLERS


@pytest.fixture
def picky() -> ModelCompatibility:
    """A compatibility port that refuses functions named ``x_...``."""
    return PrefixRejectingCompatibility()


@pytest.fixture
def tools(unit_of_work: UnitOfWorkFactory, policy: HandlerPolicy) -> ToolService:
    """The tool service, accepting every valid function."""
    return ToolService(unit_of_work, InMemoryModelCompatibility(), policy)


@pytest.fixture
def agents(unit_of_work: UnitOfWorkFactory) -> AgentService:
    """The agent service."""
    return AgentService(unit_of_work)


@pytest.fixture
def bindings(unit_of_work: UnitOfWorkFactory, clock: TickingClock) -> BindingService:
    """The binding service, on the ticking clock."""
    return BindingService(unit_of_work, clock=clock)


@pytest.fixture
def loader(unit_of_work: UnitOfWorkFactory, policy: HandlerPolicy) -> ToolsetLoader:
    """The toolset loader, accepting every valid function, for a runtime that runs every kind."""
    return ToolsetLoader(unit_of_work, InMemoryModelCompatibility(), policy, ToolKind)


@dataclass(frozen=True)
class StoreSnapshot:
    """Everything a store holds, read back through the ports (secrets revealed)."""

    tools: dict[str, list[dict[str, Any]]]
    agents: list[Any]
    bindings: list[tuple[Any, ...]]


@pytest.fixture
def snapshot(unit_of_work: UnitOfWorkFactory) -> Callable[[], Awaitable[StoreSnapshot]]:
    """Read the whole store through the ports, to show that a refusal changed nothing."""

    async def take() -> StoreSnapshot:
        async with unit_of_work() as uow:
            tools = {
                tool.name: [v.to_document() for v in await uow.tools.versions(tool.name)]
                for tool in await uow.tools.list_latest()
            }
            agents = await uow.agents.list_all()
            bindings = [
                (
                    binding,
                    {name: secret.reveal() for name, secret in binding.secrets.items()},
                )
                for agent in agents
                for binding in await uow.bindings.for_agent(agent.id)
            ]
        return StoreSnapshot(tools, agents, bindings)

    return take
