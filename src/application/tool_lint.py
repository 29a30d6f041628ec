"""Use case: check a tool document as defining it would, and store nothing.

The verdict a tool editor shows while the document is typed: every problem with its
JSON path, the target model's verdict on each function, and the schema the model would
be offered for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from application.ports import HandlerCheck, ModelCompatibility, SchemaOffering
from application.tools import ToolService
from domain.errors import InvalidToolDocument, Problem
from domain.json_types import JsonObject
from domain.schema.function_schema import FunctionSchema
from domain.schema.limits import DEFAULT_LIMITS, SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.document import read_tool_document


@dataclass(frozen=True)
class FunctionVerdict:
    """The target model's verdict on one function.

    Attributes:
        name: The function's name.
        accepted: Whether the model accepts it.
        reasons: Why not, when it does not.
        warnings: What the model accepts but would not be told.
        offered: The function as the model would be offered it (name, description,
            parameters), when it is accepted.
    """

    name: str
    accepted: bool
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    offered: JsonObject | None


@dataclass(frozen=True)
class ToolLint:
    """Whether a document would be defined, and what is wrong with it.

    Attributes:
        tool: The tool the document describes, when it reads.
        problems: What stops it from being defined, each with its JSON path.
        functions: The model's verdict on each function, when the document reads.
    """

    tool: ToolDefinition | None
    problems: tuple[Problem, ...]
    functions: tuple[FunctionVerdict, ...] = ()

    @property
    def definable(self) -> bool:
        """Whether defining the document would store it (every function accepted)."""
        return not self.problems and all(verdict.accepted for verdict in self.functions)


class ToolLinter:
    """Checks tool documents with the rules :class:`ToolService` defines them by.

    Args:
        tools: The catalog's service (its limits checks on a read tool).
        compatibility: The target model's compatibility check.
        handlers: The handler allowlist.
        offering: What the target model is offered for each function.
        limits: The schema limits in force.
    """

    def __init__(
        self,
        tools: ToolService,
        compatibility: ModelCompatibility,
        handlers: HandlerCheck,
        offering: SchemaOffering,
        limits: SchemaLimits = DEFAULT_LIMITS,
    ) -> None:
        self._tools = tools
        self._compatibility = compatibility
        self._handlers = handlers
        self._offering = offering
        self._limits = limits

    def lint(self, document: Any) -> ToolLint:
        """Check ``document``; nothing is stored.

        Returns:
            The verdict: problems with their paths, and the model's view per function.
        """
        try:
            tool = read_tool_document(document, self._limits).tool
        except InvalidToolDocument as invalid:
            return ToolLint(None, invalid.problems)
        problems = list(self._tools.problems(tool))
        problems.extend(
            Problem(f"run.handlers.{name}", refusal)
            for name in tool.function_names
            if (refusal := self._handlers.refusal(tool, name))
        )
        return ToolLint(tool, tuple(problems), tuple(map(self._verdict, tool.functions)))

    def _verdict(self, function: FunctionSchema) -> FunctionVerdict:
        verdict = self._compatibility.check(function)
        offered = self._offering.offer(function).schema.to_dict() if verdict.accepted else None
        return FunctionVerdict(
            function.name, verdict.accepted, verdict.reasons, verdict.warnings, offered
        )
