"""``SupabaseStorage``: the same storage ports over PostgREST, with one RPC per request.

PostgREST runs each request in a transaction of its own, so a unit of work records its
changes (as the in-memory storage does) and commits them in one call to
``tool_platform_commit``, which applies them all in one transaction or none. Reads go
through ``tool_platform_read``, which applies the unit's changes in a subtransaction it
always rolls back: a unit sees its own writes and no one else sees them before commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from adapters.storage_common.rotation import Selection, reseal_all
from adapters.supabase.errors import PUSH_HINT
from adapters.supabase.repositories import (
    Change,
    SupabaseAgentRepository,
    SupabaseBindingRepository,
    SupabaseToolCatalog,
)
from adapters.supabase.rpc import SupabaseRpc
from application.clock import utc_now
from application.ports import (
    ResealReport,
    SecretCipher,
    SecretsAtRest,
    Storage,
    UnitOfWork,
)
from domain.errors import StorageUnavailable
from domain.schema.limits import SchemaLimits

SCHEMA_VERSION = "0004"
"""The Alembic revision the Supabase migrations match (``tool_platform_schema_version``)."""


class SupabaseUnitOfWork(UnitOfWork):
    """Records changes and commits them in one RPC call; reads see them.

    Args:
        rpc: The open client.
        cipher: Seals binding secrets.
        limits: Schema limits for reading stored tools.
        clock: The time written into rows.
        read_only: Whether it promises to write nothing (a change is then refused).
    """

    def __init__(
        self,
        rpc: SupabaseRpc,
        cipher: SecretCipher,
        limits: SchemaLimits,
        clock: Callable[[], datetime],
        *,
        read_only: bool = False,
    ) -> None:
        self._rpc = rpc
        self._read_only = read_only
        self._changes: list[Change] = []
        self._tools = SupabaseToolCatalog(self, limits, clock)
        self._agents = SupabaseAgentRepository(self, clock)
        self._bindings = SupabaseBindingRepository(self, cipher, limits)

    @property
    def tools(self) -> SupabaseToolCatalog:
        """The tool catalog, inside this unit of work."""
        return self._tools

    @property
    def agents(self) -> SupabaseAgentRepository:
        """The agents, inside this unit of work."""
        return self._agents

    @property
    def bindings(self) -> SupabaseBindingRepository:
        """The bindings, inside this unit of work."""
        return self._bindings

    async def read(self, query: str, args: dict[str, Any]) -> list[Any]:
        """Run one named read, with this unit's changes applied (one request).

        Raises:
            StorageUnavailable: When the answer is not the JSON array every read returns.
        """
        rows = await self._rpc.call(
            "tool_platform_read", {"changes": self._changes, "query": query, "args": args}
        )
        if not isinstance(rows, list):
            raise StorageUnavailable(
                f"Supabase at {self._rpc.host} sent an answer that is not rows"
            )
        return rows

    def record(self, change: Change) -> None:
        """Record one change for :meth:`commit`."""
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot write")
        self._changes.append(change)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._changes.clear()

    async def commit(self) -> None:
        """Apply every recorded change in one transaction (one request), all or none.

        Raises:
            VersionConflict: When another writer stored the same tool version first.
            Conflict: When another writer took a unique name first.
            NotFound: When a changed agent or binding no longer exists.
            StorageUnavailable: When Supabase cannot be reached or used.
        """
        if self._changes:
            await self._rpc.call("tool_platform_commit", {"changes": self._changes})
        self._changes.clear()


class SupabaseStorage(Storage, SecretsAtRest):
    """The Supabase storage: an RPC client and the units of work over it.

    Args:
        rpc: The client (opened and closed with this storage).
        cipher: Seals binding secrets before they leave the process.
        limits: Schema limits for reading stored tools.
        clock: The time written into rows.
    """

    def __init__(
        self,
        rpc: SupabaseRpc,
        cipher: SecretCipher,
        limits: SchemaLimits,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._rpc = rpc
        self._cipher = cipher
        self._limits = limits
        self._clock = clock

    async def open(self) -> None:
        """Make the client (no request is sent)."""
        await self._rpc.open()

    async def close(self) -> None:
        """Close the client."""
        await self._rpc.close()

    def unit_of_work(self, *, read_only: bool = False) -> SupabaseUnitOfWork:
        """Open a new unit of work (the ``UnitOfWorkFactory`` of this storage)."""
        return SupabaseUnitOfWork(
            self._rpc, self._cipher, self._limits, self._clock, read_only=read_only
        )

    async def upgrade(self) -> str:
        """Check the remote schema's version: Supabase schemas are applied by its CLI.

        Raises:
            StorageUnavailable: When the remote schema is missing or another version.
        """
        version = await self._rpc.call("tool_platform_schema_version", {})
        if version != SCHEMA_VERSION:
            raise StorageUnavailable(
                f"the Supabase schema is at revision {version}, this platform needs "
                f"{SCHEMA_VERSION}; {PUSH_HINT}"
            )
        return (
            "Supabase schemas are applied with `supabase db push` (supabase/migrations), "
            f"not by this command; the remote schema is at revision {version}, as needed"
        )

    async def rotate_secrets(self) -> ResealReport:
        """Re-encrypt every stored secret that is not under the current key (one commit)."""
        return await self._reseal("sealed")

    async def encrypt_plaintext_secrets(self) -> ResealReport:
        """Encrypt, in place, every secret the seed stored as plaintext (one commit)."""
        return await self._reseal("plaintext")

    async def _reseal(self, selection: Selection) -> ResealReport:
        async with self.unit_of_work() as unit:
            rows = await unit.read("bindings", {})
            report, changed = reseal_all(
                self._cipher, ((row["id"], row["sensitive_config"]) for row in rows), selection
            )
            for binding_id, stored in changed.items():
                item = {"id": binding_id, "sensitive_config": dict(stored)}
                unit.record({"op": "update_binding", "item": item})
            await unit.commit()
        return report
