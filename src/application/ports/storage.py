"""Storage ports: the repositories, the unit of work over them, and the storage lifecycle."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from domain.agents import VoiceAgent
from domain.bindings import AgentToolBinding
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool
from domain.toolset_resolution import BoundTool


class ToolCatalog(Protocol):
    """Every version of every platform tool. Versions are immutable once stored."""

    async def latest(self, name: str) -> ToolDefinition | None:
        """Return the latest version of the tool called ``name``, or None.

        Raises:
            StoredToolUnreadable: When today's settings or rules refuse the stored
                version (it carries the version number, so it can be defined again).
        """
        ...

    async def version(self, name: str, version: int) -> ToolDefinition | None:
        """Return one stored version, or None.

        Raises:
            StoredToolUnreadable: When today's settings or rules refuse it.
        """
        ...

    async def versions(self, name: str) -> list[ToolDefinition]:
        """Return every stored version of a tool, oldest first.

        Raises:
            StoredToolUnreadable: When today's settings or rules refuse one of them.
        """
        ...

    async def list_latest(self) -> list[ToolDefinition | UnreadableTool]:
        """Return the latest version of every tool, sorted by name.

        A tool that today's settings or rules refuse is listed as unreadable, with
        the reason, never failing the listing.
        """
        ...

    async def lock_for_new_version(self, name: str) -> None:
        """Hold, until the transaction ends, the right to store the next version of ``name``.

        Called before reading the latest version, so concurrent definitions of one tool
        take turns instead of racing for the version number.
        """
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

    async def enabled_function_names(self, agent_id: str, among: Collection[str]) -> dict[str, str]:
        """Return function name -> the tool offering it, for the names in ``among``.

        Over the agent's enabled bindings: allowlists are applied and the oldest binding
        offering a name is the one named. Nothing is decrypted and the tools are not
        checked: this is what the bind-time name check needs (``among``: the names the
        new binding would offer), and nothing more, so a bind does not read every bound
        tool's names.
        """
        ...

    async def load_toolset(self, agent_id: str) -> list[BoundTool]:
        """Return the agent's enabled bindings with their tools' latest versions.

        A binding whose secrets cannot be decrypted (or whose stored secrets are not an
        object of secrets at all) comes back without them, with the reason in
        ``unreadable_secrets``; a tool that today's rules refuse comes back as an
        :class:`UnreadableTool`. One bad binding never fails the load.

        This is the worker's hot path: adapters do it in one round trip.
        """
        ...

    async def load_agent_toolset(
        self, agent_reference: str
    ) -> tuple[VoiceAgent, list[BoundTool]] | None:
        """Return the agent whose id, or else whose name, is ``agent_reference``, and its toolset.

        The toolset is what :meth:`load_toolset` returns for that agent. None when no
        agent has that id or name. The SQL adapter reads both in one statement.
        """
        ...


class UnitOfWork(Protocol):
    """One transaction over the repositories: all its changes land, or none.

    Leaving the ``async with`` block without :meth:`commit` discards every change.
    """

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


class UnitOfWorkFactory(Protocol):
    """Opens a new unit of work."""

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """Open a unit of work; ``read_only`` promises it writes nothing.

        A writer may take the storage's write lock when it begins (SQLite does), so
        that concurrent writers wait their turn instead of failing; a reader never does.
        """
        ...


class Storage(Protocol):
    """A storage backend's lifecycle and migrations (what the entrypoints need of it)."""

    async def open(self) -> None:
        """Connect (an engine, a pool); nothing is opened at import or construction."""
        ...

    async def close(self) -> None:
        """Release what :meth:`open` took."""
        ...

    async def upgrade(self) -> str:
        """Bring the schema up to date; return what was done, in words."""
        ...

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """Open a new unit of work over this storage (see :class:`UnitOfWorkFactory`)."""
        ...


@dataclass(frozen=True)
class UnreadableSecret:
    """A stored secret that could not be read, so it was left as it was.

    Attributes:
        binding_id: The binding holding it.
        secret_name: Its name; None when the binding's stored secrets as a whole are
            unusable.
        reason: Why, on one line (never the value).
    """

    binding_id: str
    secret_name: str | None
    reason: str


@dataclass(frozen=True)
class ResealReport:
    """What re-encrypting stored secrets did.

    Attributes:
        resealed: How many secrets were re-encrypted.
        unreadable: The secrets that could not be read and were left as they were.
    """

    resealed: int
    unreadable: tuple[UnreadableSecret, ...] = ()


@runtime_checkable
class SecretsAtRest(Protocol):
    """A storage that keeps encrypted secrets at rest (the SQL and Supabase storages)."""

    async def rotate_secrets(self) -> ResealReport:
        """Re-encrypt every stored secret under the first key, going on past unreadable ones."""
        ...

    async def encrypt_plaintext_secrets(self) -> ResealReport:
        """Encrypt the secrets stored in plaintext (as the seed stored them)."""
        ...
