"""Use cases of the tool catalog: define, refresh, list, show, versions, delete."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from application.mcp_listing import Drift, drift, listing_injection, located_by_name, with_listing
from application.ports import (
    HandlerCheck,
    McpToolLister,
    ModelCompatibility,
    UnitOfWork,
    UnitOfWorkFactory,
)
from application.tool_diff import DocumentChange, diff_documents
from domain.errors import (
    BindingMisfit,
    Conflict,
    HandlerNotAllowed,
    IncompatibleWithModel,
    InvalidToolDocument,
    McpServerUnavailable,
    NotFound,
    PreconditionFailed,
    Problem,
    ProblemsError,
    StoredToolUnreadable,
    VersionConflict,
)
from domain.json_types import JsonValue
from domain.schema.descriptions import description_problems
from domain.schema.limits import DEFAULT_LIMITS, SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.document import ToolDocumentImport, invalid_document_summary, read_tool_document
from domain.tools.kinds import ToolKind
from domain.tools.run_specs import McpRunSpec
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
        listed: True when the functions were listed from the tool's MCP server.
    """

    tool: ToolDefinition
    changed: bool
    dropped_defaults: tuple[str, ...] = ()
    incompatible: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    listed: bool = False


@dataclass(frozen=True)
class RefreshOutcome:
    """What refreshing an ``mcp`` tool from its server did.

    Attributes:
        defined: What storing the listed functions did (``changed`` is False, and no
            version was written, when the server offers what the tool has).
        drift: The functions added, removed and changed since the version before.
    """

    defined: DefineOutcome
    drift: Drift


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
        mcp_lister: Lists an MCP server's tools, for ``mcp`` documents that list no
            functions and for :meth:`refresh`; None refuses both with the reason.
    """

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        compatibility: ModelCompatibility,
        handlers: HandlerCheck,
        limits: SchemaLimits = DEFAULT_LIMITS,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
        *,
        mcp_lister: McpToolLister | None = None,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._compatibility = compatibility
        self._handlers = handlers
        self._limits = limits
        self._max_document_bytes = max_document_bytes
        self._mcp_lister = mcp_lister

    async def define(
        self,
        document: Any,
        *,
        allow_incompatible: bool = False,
        secrets: Mapping[str, str] | None = None,
        expected: Expected | None = None,
    ) -> DefineOutcome:
        """Validate a tool document and store it as the tool's next version.

        An ``mcp`` document that lists no functions is completed from its server: the
        service connects as the operator, lists the server's tools (filtered by
        ``allowed_functions``) and stores them with their annotations. A document that
        lists its functions is defined offline. Unchanged content (same fingerprint as
        the latest version) writes nothing. Concurrent definitions of one tool never
        collide: a writer that loses the race for a version number retries with the
        next one.

        Args:
            document: The parsed tool document.
            allow_incompatible: Store the tool even though the target model would reject
                some of its functions (they are reported, and left out at every load).
            secrets: Values of the secrets the server's URL, headers or environment use,
                for listing it; used for that connection only, never stored.
            expected: The state the tool must be in, checked in the transaction that
                stores it (None: any state).

        Returns:
            What was stored.

        Raises:
            InvalidToolDocument: When the document breaks any rule, is larger than the
                document limit, or has a description longer than its limit.
            HandlerNotAllowed: When a handler lies outside the allowlist.
            IncompatibleWithModel: When the target model would reject a function.
            BindingMisfit: When ``secrets`` are given but nothing is listed, name
                undeclared secrets, or miss one the server needs.
            McpServerUnavailable: When the server cannot be listed.
            PreconditionFailed: When the tool is not in the ``expected`` state.
        """
        imported = self._read(document)
        run = imported.tool.run
        if isinstance(run, McpRunSpec) and not imported.tool.functions:
            return await self._listed(
                imported.tool, run, secrets or {}, allow_incompatible, expected
            )
        if secrets:
            tool = imported.tool
            why = "lists its functions" if tool.kind is ToolKind.MCP else f"is of kind {tool.kind}"
            raise BindingMisfit(
                f"tool {tool.name!r} {why}, so nothing is listed: secrets given at define "
                "serve only to list an mcp server's functions (a binding's secrets are given "
                "to agents bind)"
            )
        return await self._checked_and_stored(imported, allow_incompatible, expected)

    def check(self, document: Any) -> ToolDocumentImport:
        """Check a tool document as :meth:`define` does, storing nothing and connecting nowhere.

        The target model's verdict is not part of it (``tools lint`` gives that); an
        ``mcp`` document that lists no functions is checked as it stands.

        Raises:
            InvalidToolDocument: When the document breaks any rule, is larger than the
                document limit, or has a description longer than its limit.
            HandlerNotAllowed: When a handler lies outside the allowlist.
        """
        imported = self._read(document)
        self._check_rules(imported.tool)
        return imported

    async def refresh(
        self,
        name: str,
        *,
        secrets: Mapping[str, str] | None = None,
        allow_incompatible: bool = False,
    ) -> RefreshOutcome:
        """List an ``mcp`` tool's server again; store a new version if anything changed.

        Args:
            name: The tool.
            secrets: As for :meth:`define`.
            allow_incompatible: As for :meth:`define`.

        Returns:
            What was stored, and the drift from the latest version.

        Raises:
            NotFound: When the tool does not exist.
            InvalidToolDocument: When it is not an ``mcp`` tool, or the listing breaks
                a rule.
            BindingMisfit, McpServerUnavailable, IncompatibleWithModel: As for
                :meth:`define`.
        """
        before = await self.show(name)
        if not isinstance(before.run, McpRunSpec):
            raise InvalidToolDocument(
                f"Tool {name!r} cannot be refreshed",
                [Problem("kind", f"is {str(before.kind)!r}; only mcp tools list a server")],
            )
        defined = await self._listed(before, before.run, secrets or {}, allow_incompatible)
        return RefreshOutcome(defined, drift(before, defined.tool))

    def _read(self, document: Any) -> ToolDocumentImport:
        size = self._size_problem(document)
        if size is not None:
            raise InvalidToolDocument(invalid_document_summary(document), [size])
        return read_tool_document(document, self._limits)

    async def _listed(
        self,
        tool: ToolDefinition,
        spec: McpRunSpec,
        secrets: Mapping[str, str],
        allow_incompatible: bool,
        expected: Expected | None = None,
    ) -> DefineOutcome:
        """List ``tool``'s server, and check and store what it offers as the functions."""
        injection = listing_injection(tool, spec.server, secrets)
        if self._mcp_lister is None:
            raise McpServerUnavailable(
                f"tool {tool.name!r} lists no functions, and this service cannot connect to "
                "MCP servers to list them: list them in the document"
            )
        listed = await self._mcp_lister.list_functions(spec.server, injection)
        document = with_listing(tool, spec, listed)
        try:
            outcome = await self._checked_and_stored(
                self._read(document), allow_incompatible, expected
            )
        except ProblemsError as error:
            raise located_by_name(error, document) from None
        return dataclasses.replace(outcome, listed=True)

    async def _checked_and_stored(
        self,
        imported: ToolDocumentImport,
        allow_incompatible: bool,
        expected: Expected | None = None,
    ) -> DefineOutcome:
        tool = imported.tool
        self._check_rules(tool)
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

    def _check_rules(self, tool: ToolDefinition) -> None:
        too_long = self._description_problems(tool)
        if too_long:
            raise InvalidToolDocument(f"Tool {tool.name!r} is invalid", too_long)
        self._check_handlers(tool)

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
        refusals = list(
            dict.fromkeys(r for f in tool.function_names if (r := self._handlers.refusal(tool, f)))
        )
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
