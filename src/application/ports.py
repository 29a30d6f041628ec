"""The ports the use cases need. Adapters in ``adapters/`` implement them.

Ports that do I/O are async. The secret cipher and the model-compatibility check are
pure computation with no connection to own, so they are plain synchronous methods.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self, TypeVar

from domain.agents import VoiceAgent
from domain.bindings import AgentToolBinding
from domain.schema.function_schema import FunctionSchema
from domain.tools.definition import ToolDefinition
from domain.toolset import AgentToolset
from domain.toolset_resolution import BoundTool


class ToolCatalog(Protocol):
    """Every version of every platform tool. Versions are immutable once stored."""

    async def latest(self, name: str) -> ToolDefinition | None:
        """Return the latest version of the tool called ``name``, or None."""
        ...

    async def version(self, name: str, version: int) -> ToolDefinition | None:
        """Return one stored version, or None."""
        ...

    async def versions(self, name: str) -> list[ToolDefinition]:
        """Return every stored version of a tool, oldest first."""
        ...

    async def list_latest(self) -> list[ToolDefinition]:
        """Return the latest version of every tool, sorted by name."""
        ...

    async def add_version(self, tool: ToolDefinition) -> None:
        """Store ``tool`` as a new version.

        Raises:
            VersionConflict: When that name and version are already stored.
        """
        ...

    async def delete(self, name: str) -> None:
        """Remove a tool with all its versions (no-op when it does not exist).

        Raises:
            Conflict: When bindings still use the tool: storage never leaves a binding
                without its tool.
        """
        ...


class AgentRepository(Protocol):
    """The agents."""

    async def get(self, agent_id: str) -> VoiceAgent | None:
        """Return the agent with this id, or None."""
        ...

    async def find_by_name(self, name: str) -> VoiceAgent | None:
        """Return the agent with this name, or None."""
        ...

    async def list_all(self) -> list[VoiceAgent]:
        """Return every agent, sorted by name."""
        ...

    async def add(self, agent: VoiceAgent) -> None:
        """Store a new agent.

        Raises:
            Conflict: When the id or the name is taken.
        """
        ...

    async def update(self, agent: VoiceAgent) -> None:
        """Replace a stored agent (same id).

        Raises:
            NotFound: When no agent has this id.
            Conflict: When the new name is taken by another agent.
        """
        ...

    async def delete(self, agent_id: str) -> None:
        """Remove an agent (no-op when it does not exist)."""
        ...


class BindingRepository(Protocol):
    """Agent-to-tool bindings, with their config and secrets."""

    async def get(self, agent_id: str, tool_name: str) -> AgentToolBinding | None:
        """Return the binding of ``agent_id`` to ``tool_name``, or None."""
        ...

    async def for_agent(self, agent_id: str) -> list[AgentToolBinding]:
        """Return the agent's bindings, oldest first."""
        ...

    async def for_tool(self, tool_name: str) -> list[AgentToolBinding]:
        """Return the bindings of one tool, oldest first."""
        ...

    async def add(self, binding: AgentToolBinding) -> None:
        """Store a new binding.

        Raises:
            Conflict: When the agent is already bound to that tool.
            NotFound: When no agent has the binding's agent id (for example, it was
                deleted by another writer since this unit of work read it).
        """
        ...

    async def update(self, binding: AgentToolBinding) -> None:
        """Replace a stored binding (same id).

        Raises:
            NotFound: When no binding has this id.
        """
        ...

    async def delete(self, binding_id: str) -> None:
        """Remove a binding with its secrets (no-op when it does not exist)."""
        ...

    async def delete_for_agent(self, agent_id: str) -> None:
        """Remove every binding of an agent, with their secrets."""
        ...

    async def load_toolset(self, agent_id: str) -> list[BoundTool]:
        """Return the agent's enabled bindings with their tools' latest versions.

        A binding whose secrets cannot be decrypted comes back without them, with the
        reason in ``unreadable_secrets``, so one bad binding never fails the load.

        This is the worker's hot path: adapters do it in one round trip.
        """
        ...


class UnitOfWork(Protocol):
    """One transaction over the repositories: all its changes land, or none.

    Leaving the ``async with`` block without :meth:`commit` discards every change.
    """

    # Read-only members: a plain attribute of a concrete repository type satisfies them
    # (a settable protocol attribute would have to be declared with the port's type).
    @property
    def tools(self) -> ToolCatalog:
        """The tool catalog, inside this transaction."""
        ...

    @property
    def agents(self) -> AgentRepository:
        """The agents, inside this transaction."""
        ...

    @property
    def bindings(self) -> BindingRepository:
        """The bindings, inside this transaction."""
        ...

    async def __aenter__(self) -> Self:
        """Begin the transaction."""
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """End the transaction, discarding whatever was not committed."""
        ...

    async def commit(self) -> None:
        """Make the changes so far durable and visible.

        Raises:
            VersionConflict: When another writer stored the same tool version first.
            Conflict: When another writer took a unique name first.
        """
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
"""Opens a new unit of work."""


@dataclass(frozen=True)
class SecretAddress:
    """What a ciphertext is bound to: it decrypts only at this address.

    Attributes:
        binding_id: The binding's stable id.
        secret_name: The secret's name.
    """

    binding_id: str
    secret_name: str


@dataclass(frozen=True)
class EncryptedSecret:
    """A ciphertext and the id of the key that made it.

    Attributes:
        key_id: The key's id (a key ring may hold several).
        ciphertext: The encrypted value (nonce included).
    """

    key_id: str
    ciphertext: bytes

    def __repr__(self) -> str:
        return f"EncryptedSecret(key_id={self.key_id!r}, ciphertext=<{len(self.ciphertext)} bytes>)"


class SecretCipher(Protocol):
    """Authenticated encryption of binding secrets at rest."""

    def encrypt(self, plaintext: str, address: SecretAddress) -> EncryptedSecret:
        """Encrypt ``plaintext`` under the current key, bound to ``address``."""
        ...

    def decrypt(self, secret: EncryptedSecret, address: SecretAddress) -> str:
        """Decrypt a ciphertext made for ``address``.

        Raises:
            SecretUnreadable: When the key is unknown or the ciphertext does not
                authenticate (wrong key, tampered, or copied from another address).
        """
        ...


@dataclass(frozen=True)
class CompatibilityVerdict:
    """Whether a target model accepts a function, and why not.

    Attributes:
        accepted: True when the model accepts it as it is.
        reasons: Why not (empty when accepted).
        warnings: What the model would not be told although it accepts the function
            (a constraint the conversion drops, a rule reported but not enforced).
    """

    accepted: bool
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


class ModelCompatibility(Protocol):
    """Which functions a target model accepts."""

    @property
    def target(self) -> str:
        """The model family checked against (for messages)."""
        ...

    def check(self, function: FunctionSchema) -> CompatibilityVerdict:
        """Tell whether the target model accepts ``function``, and why not."""
        ...


class HandlerCheck(Protocol):
    """Decides whether a ``python`` tool's handler may run here.

    :class:`application.policies.HandlerPolicy` checks the allowlist alone; the Python
    adapter also imports the handler and checks that it is an ``async def`` defined
    inside the allowlist.
    """

    def refusal(self, tool: ToolDefinition, function_name: str) -> str | None:
        """Say why ``function_name`` of ``tool`` may not run, or None when it may."""
        ...


RuntimeToolT_co = TypeVar("RuntimeToolT_co", covariant=True)


class ToolRuntime(Protocol[RuntimeToolT_co]):
    """Turns an agent's toolset into the tools a session runs."""

    def tools_for(self, toolset: AgentToolset) -> Sequence[RuntimeToolT_co]:
        """Return one runtime tool per function of ``toolset``."""
        ...
