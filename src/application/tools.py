"""Use cases of the tool catalog: define, list, show, versions, delete."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from application.ports import HandlerCheck, ModelCompatibility, UnitOfWork, UnitOfWorkFactory
from application.tool_diff import DocumentChange, diff_documents
from domain.errors import (
    Conflict,
    HandlerNotAllowed,
    IncompatibleWithModel,
    InvalidToolDocument,
    NotFound,
    PreconditionFailed,
    Problem,
    StoredToolUnreadable,
    VersionConflict,
)
from domain.json_types import JsonValue
from domain.schema.descriptions import description_problems
from domain.schema.limits import DEFAULT_LIMITS, SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.document import (
    ToolDocumentImport,
    invalid_document_summary,
    read_tool_document,
)
from domain.tools.unreadable import UnreadableTool

_DEFINE_ATTEMPTS = 20

DEFAULT_MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
"""Largest tool document by default: an imported OpenAPI tool with hundreds of functions fits."""


@dataclass(frozen=True)
class DefineOutcome:
    """What defining a tool did.

    Attributes:
        tool: The latest version after the call.
        changed: True when a new version was stored; False when the content was
            unchanged and nothing was written.
        dropped_defaults: Function defaults dropped at import (invalid for their schema).
        incompatible: Why the target model would reject some functions, when the tool
            was stored anyway; those functions are left out whenever it is loaded.
        warnings: What the target model accepts but would not be told (a constraint
            its conversion drops), function by function.
    """

    tool: ToolDefinition
    changed: bool
    dropped_defaults: tuple[str, ...] = ()
    incompatible: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Expected:
    """The state a conditional define expects the tool in (HTTP ``If-Match``/``If-None-Match``).

    Attributes:
        absent: The tool must not exist yet (create only).
        present: The tool must exist (replace only).
        fingerprint: The latest version must have this fingerprint (replace only what
            the caller read).
    """

    absent: bool = False
    present: bool = False
    fingerprint: str | None = None

    def refusal(self, name: str, latest: ToolDefinition | None) -> str | None:
        """Why the stored state is not the expected one, or None when it is."""
        if self.absent and latest is not None:
            return f"tool {name!r} already exists (version {latest.version})"
        if latest is None and (self.present or self.fingerprint is not None):
            return f"tool {name!r} does not exist"
        if self.fingerprint is None or latest is None:
            return None
        if latest.fingerprint != self.fingerprint:
            return (
                f"tool {name!r} changed since it was read: it is at version {latest.version} "
                "now; read it again"
            )
        return None


class ToolService:
    """Defines and reads platform tools.

    Args:
        unit_of_work: Opens transactions over the repositories.
        compatibility: The target model's compatibility check.
        handlers: Decides whether ``python`` handlers may run (the operator's allowlist).
        limits: The schema limits in force (function descriptions included).
        max_document_bytes: The largest tool document accepted, as compact UTF-8 JSON.
    """

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        compatibility: ModelCompatibility,
        handlers: HandlerCheck,
        limits: SchemaLimits = DEFAULT_LIMITS,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._compatibility = compatibility
        self._handlers = handlers
        self._limits = limits
        self._max_document_bytes = max_document_bytes

    async def define(
        self,
        document: Any,
        *,
        allow_incompatible: bool = False,
        expected: Expected | None = None,
    ) -> DefineOutcome:
        """Validate a tool document and store it as the tool's next version.

        Unchanged content (same fingerprint as the latest version) writes nothing.
        Concurrent definitions of one tool never collide: a writer that loses the
        race for a version number retries with the next one.

        Args:
            document: The parsed tool document.
            allow_incompatible: Store the tool even though the target model would reject
                some of its functions (they are reported, and left out at every load).
            expected: The state the tool must be in, checked in the transaction that
                stores it (None: any state).

        Returns:
            What was stored.

        Raises:
            InvalidToolDocument: When the document breaks any rule, is larger than the
                document limit, or has a description longer than its limit.
            HandlerNotAllowed: When a handler lies outside the allowlist.
            IncompatibleWithModel: When the target model would reject a function.
            PreconditionFailed: When the tool is not in the ``expected`` state.
        """
        imported = self.check(document)
        tool = imported.tool
        incompatible, warnings = self._compatibility_problems(tool)
        if incompatible and not allow_incompatible:
            raise IncompatibleWithModel(
                f"{self._compatibility.target} would reject tool {tool.name!r}", incompatible
            )
        for _ in range(_DEFINE_ATTEMPTS):
            try:
                stored = await self._store(tool, imported.dropped_defaults, expected)
                return dataclasses.replace(
                    stored, incompatible=tuple(incompatible), warnings=tuple(warnings)
                )
            except VersionConflict:
                continue
        raise Conflict(f"tool {tool.name!r} is being defined by too many writers at once; retry")

    def check(self, document: Any) -> ToolDocumentImport:
        """Check a tool document as :meth:`define` does, storing nothing.

        The target model's verdict is not part of it (``tools lint`` gives that).

        Raises:
            InvalidToolDocument: When the document breaks any rule, is larger than the
                document limit, or has a description longer than its limit.
            HandlerNotAllowed: When a handler lies outside the allowlist.
        """
        size = self._size_problem(document)
        if size is not None:
            raise InvalidToolDocument(invalid_document_summary(document), [size])
        imported = read_tool_document(document, self._limits)
        too_long = self._description_problems(imported.tool)
        if too_long:
            raise InvalidToolDocument(f"Tool {imported.tool.name!r} is invalid", too_long)
        self._check_handlers(imported.tool)
        return imported

    async def _store(
        self, tool: ToolDefinition, dropped: tuple[str, ...], expected: Expected | None
    ) -> DefineOutcome:
        async with self._unit_of_work() as uow:
            await uow.tools.lock_for_new_version(tool.name)
            try:
                latest = await uow.tools.latest(tool.name)
            except StoredToolUnreadable as unreadable:
                if expected is not None and (expected.absent or expected.fingerprint is not None):
                    raise PreconditionFailed(
                        f"tool {tool.name!r} as stored cannot be read; define it unconditionally"
                    ) from None
                version = unreadable.version + 1  # defining it again is the repair
            else:
                refusal = expected.refusal(tool.name, latest) if expected else None
                if refusal is not None:
                    raise PreconditionFailed(refusal)
                if latest is not None and latest.fingerprint == tool.fingerprint:
                    return DefineOutcome(latest, changed=False, dropped_defaults=dropped)
                version = 1 if latest is None else latest.version + 1
            stored = dataclasses.replace(tool, version=version)
            await uow.tools.add_version(stored)
            await uow.commit()
        return DefineOutcome(stored, changed=True, dropped_defaults=dropped)

    def problems(self, tool: ToolDefinition) -> list[Problem]:
        """Say which of today's limits a stored tool breaks (it was stored before them).

        Such a tool still loads; defining a fixed version (shorter descriptions, a
        smaller document) clears the problems.
        """
        size = self._size_problem(tool.to_document())
        return ([size] if size else []) + self._description_problems(tool)

    def _size_problem(self, document: JsonValue) -> Problem | None:
        try:
            text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
        except (ValueError, RecursionError):
            # Too deep, or an integer too long to print: read_tool_document refuses
            # such a document with a located reason, before it is ever stored.
            return None
        size = len(text.encode(errors="surrogatepass"))
        if size <= self._max_document_bytes:
            return None
        limit = self._max_document_bytes
        return Problem("", f"the document is {size} bytes of JSON; at most {limit} are accepted")

    def _description_problems(self, tool: ToolDefinition) -> list[Problem]:
        return [
            problem
            for index, function in enumerate(tool.functions)
            for problem in description_problems(
                function, self._limits, f"tool_functions_schema.functions[{index}]"
            )
        ]

    def _check_handlers(self, tool: ToolDefinition) -> None:
        refusals = [r for f in tool.function_names if (r := self._handlers.refusal(tool, f))]
        if refusals:
            raise HandlerNotAllowed(f"Tool {tool.name!r} is refused: " + "; ".join(refusals))

    def _compatibility_problems(self, tool: ToolDefinition) -> tuple[list[Problem], list[Problem]]:
        rejections: list[Problem] = []
        warnings: list[Problem] = []
        for function in tool.functions:
            verdict = self._compatibility.check(function)
            where = f"tool_functions_schema.functions.{function.name}"
            if not verdict.accepted:
                rejections.extend(Problem(where, reason) for reason in verdict.reasons)
            warnings.extend(Problem(where, warning) for warning in verdict.warnings)
        return rejections, warnings

    async def list_all(self) -> list[ToolDefinition | UnreadableTool]:
        """Return the latest version of every tool, by name (unreadable ones with why)."""
        async with self._unit_of_work(read_only=True) as uow:
            return await uow.tools.list_latest()

    async def show(self, name: str, version: int | None = None) -> ToolDefinition:
        """Return the latest (or one given) version of a tool.

        Raises:
            NotFound: When the tool or version does not exist.
        """
        async with self._unit_of_work(read_only=True) as uow:
            if version is None:
                tool = await uow.tools.latest(name)
            else:
                tool = await uow.tools.version(name, version)
        if tool is None:
            which = f"tool {name!r}" if version is None else f"version {version} of tool {name!r}"
            raise NotFound(f"{which} does not exist")
        return tool

    async def versions(self, name: str) -> list[ToolDefinition]:
        """Return every version of a tool, oldest first.

        Raises:
            NotFound: When the tool does not exist.
        """
        async with self._unit_of_work(read_only=True) as uow:
            versions = await uow.tools.versions(name)
        if not versions:
            raise NotFound(f"tool {name!r} does not exist")
        return versions

    async def diff(self, name: str, old: int, new: int) -> list[DocumentChange]:
        """What changed in a tool's document from version ``old`` to version ``new``.

        Raises:
            NotFound: When the tool or either version does not exist.
        """
        before, after = await self.show(name, old), await self.show(name, new)
        return diff_documents(before.to_document(), after.to_document())

    async def delete(self, name: str) -> None:
        """Delete a tool with all its versions.

        The policy: a tool that agents are still bound to is not deleted; unbind it
        first. Deleting it anyway would silently take functions away from live agents.

        Raises:
            NotFound: When the tool does not exist.
            Conflict: When agents are still bound to it (they are named).
        """
        async with self._unit_of_work() as uow:
            if not await _exists(uow, name):
                raise NotFound(f"tool {name!r} does not exist")
            bindings = await uow.bindings.for_tool(name)
            if bindings:
                agents = []
                for binding in bindings:
                    agent = await uow.agents.get(binding.agent_id)
                    agents.append(agent.name if agent else binding.agent_id)
                raise Conflict(
                    f"tool {name!r} is still bound to agents: {', '.join(agents)}; unbind it first"
                )
            await uow.tools.delete(name)
            await uow.commit()


async def _exists(uow: UnitOfWork, name: str) -> bool:
    """Whether a tool is stored, even one that today's rules refuse to read."""
    try:
        return await uow.tools.latest(name) is not None
    except StoredToolUnreadable:
        return True
