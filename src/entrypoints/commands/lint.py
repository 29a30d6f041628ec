"""``tool-platform tools lint NAME|FILE``: how each function of a tool reaches Gemini realtime.

A catalog tool (its latest version; the configured storage is opened) or a tool document
file (JSON or YAML, ``-`` for stdin; no storage needed). The check is always Gemini
realtime's, whatever ``TOOL_PLATFORM_MODEL_TARGET`` says. Each function is ``accepted``,
``adapted``, ``adapted_with_hints`` or ``impossible``; exit code 1 when one is impossible,
0 otherwise. ``docs/gemini.md`` documents the ``--json`` shape.

Mounted on the ``tools`` group with ``app.command("lint")(lint.lint)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from adapters.gemini import Assessment, Category, GeminiSchemaOffering
from adapters.gemini.converter import GeminiConverterUnavailable
from domain.tools.definition import ToolDefinition
from domain.tools.document import read_tool_document
from entrypoints.commands.documents import parse_data
from entrypoints.commands.output import (
    EXIT_REFUSED,
    JsonFlag,
    emit_json,
    fail,
    reported_errors,
    say,
)
from entrypoints.commands.reading import STDIN, read_text
from entrypoints.commands.session import run
from entrypoints.container import Container

DOCUMENT = "tool document"
FILE_SUFFIXES = (".json", ".yaml", ".yml")
"""A target ending so (or naming an existing file, or holding a ``/``) is a file."""


@dataclass(frozen=True)
class LintReport:
    """The verdict on every function of one tool.

    Attributes:
        tool: The tool's name.
        version: Its catalog version (None for a file).
        source: ``catalog``, the file's path, or ``-`` for stdin.
        target: The model family checked against.
        assessments: ``(function name, assessment)`` in the tool's order.
    """

    tool: str
    version: int | None
    source: str
    target: str
    assessments: tuple[tuple[str, Assessment], ...]

    @property
    def accepted(self) -> bool:
        """True when every function reaches the model (as stored or adapted)."""
        return all(a.category is not Category.IMPOSSIBLE for _, a in self.assessments)


def lint(
    target: Annotated[
        str,
        typer.Argument(
            metavar="NAME|FILE",
            help="A catalog tool's name, or a JSON/YAML tool document file (- reads stdin).",
        ),
    ],
    as_json: JsonFlag = False,
) -> None:
    """Say per function whether Gemini realtime accepts it, why not, and what it loses."""
    with reported_errors():
        container = Container()
        tool, source = _read_target(target, container)
        try:
            report = lint_tool(tool, source, container.gemini_offering())
        except GeminiConverterUnavailable as error:
            fail(str(error))
    if as_json:
        emit_json(report_json(report))
    else:
        say(render(report))
    if not report.accepted:
        raise typer.Exit(EXIT_REFUSED)


def is_file_target(target: str) -> bool:
    """Tell whether ``target`` names a tool document file rather than a catalog tool."""
    return (
        target == STDIN
        or Path(target).is_file()
        or target.lower().endswith(FILE_SUFFIXES)
        or "/" in target
    )


def lint_tool(tool: ToolDefinition, source: str, offering: GeminiSchemaOffering) -> LintReport:
    """Assess every function of ``tool``."""
    assessments = tuple((function.name, offering.assess(function)) for function in tool.functions)
    version = None if source != "catalog" else tool.version
    return LintReport(tool.name, version, source, offering.target, assessments)


def report_json(report: LintReport) -> dict[str, Any]:
    """The ``--json`` shape (``docs/gemini.md``)."""
    return {
        "tool": report.tool,
        "version": report.version,
        "source": report.source,
        "target": report.target,
        "accepted": report.accepted,
        "functions": [
            {
                "name": name,
                "category": str(assessment.category),
                "accepted": assessment.category is not Category.IMPOSSIBLE,
                "reasons": list(assessment.reasons),
                "hints": list(assessment.hints),
                "warnings": list(assessment.hints),
                "as_stored": list(assessment.as_stored.reasons + assessment.as_stored.warnings),
                "offered_schema": None
                if assessment.offered is None
                else assessment.offered.to_dict(),
            }
            for name, assessment in report.assessments
        ],
    }


def render(report: LintReport) -> str:
    """The human report: a summary line, then each function with its category and why."""
    impossible = sum(a.category is Category.IMPOSSIBLE for _, a in report.assessments)
    total = len(report.assessments)
    where = f"version {report.version}" if report.version is not None else report.source
    if impossible:
        summary = f"{report.target} cannot take {impossible} of {total} functions"
    else:
        summary = f"{report.target} takes all {total} functions"
    lines = [f"{summary} of tool {report.tool!r} ({where})"]
    width = max((len(name) for name, _ in report.assessments), default=0)
    for name, assessment in report.assessments:
        lines.append(f"  {name.ljust(width)}  {assessment.category}")
        lines.extend(f"      {reason}" for reason in assessment.reasons)
        lines.extend(f"      hint: {hint}" for hint in assessment.hints)
        if assessment.category is not Category.ACCEPTED:
            as_stored = assessment.as_stored.reasons + assessment.as_stored.warnings
            lines.extend(f"      as stored: {text}" for text in as_stored)
    return "\n".join(lines)


def _read_target(target: str, container: Container) -> tuple[ToolDefinition, str]:
    if is_file_target(target):
        document = parse_data(read_text(target, DOCUMENT), target, DOCUMENT)
        return read_tool_document(document, container.limits()).tool, target
    tool = run(lambda opened: opened.tools().show(target))
    return tool, "catalog"
