"""``tool-platform tools import-openapi SPEC --name TOOL``: an API description as an http tool.

The tool document goes to stdout (or ``--out FILE``) for review, or is defined at once
with ``--define``; the report goes to stderr as text (``--json``: as JSON), and
``--report FILE`` also writes it as JSON. The mapping is documented in
docs/openapi-import.md.

Mounted on the ``tools`` group with ``app.command("import-openapi")(...)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from adapters.gemini import Category
from adapters.gemini.converter import GeminiConverterUnavailable
from application.openapi_import import ImportReport, OperationSelection
from application.openapi_import import import_openapi as mapped
from domain.tools.document import read_tool_document
from entrypoints.commands.documents import parse_data
from entrypoints.commands.lint import lint_tool
from entrypoints.commands.output import CliError, pretty_json, reported_errors, say
from entrypoints.commands.reading import read_text
from entrypoints.commands.session import run
from entrypoints.container import Container

SPEC = "OpenAPI description"


def import_openapi(
    spec: Annotated[
        str, typer.Argument(help="An OpenAPI 3.x or Swagger 2.0 file, JSON or YAML; - reads stdin.")
    ],
    *,
    name: Annotated[str, typer.Option("--name", help="The tool's catalog name.")],
    operations: Annotated[
        list[str] | None,
        typer.Option("--operation", help="Import this operationId (repeatable)."),
    ] = None,
    tags: Annotated[
        list[str] | None,
        typer.Option("--tag", help="Import the operations with this tag (repeatable)."),
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Import every operation.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the tool document here instead of stdout.")
    ] = None,
    define: Annotated[
        bool, typer.Option("--define", help="Define the tool in the catalog at once.")
    ] = False,
    report_file: Annotated[
        Path | None, typer.Option("--report", help="Also write the report here, as JSON.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report on stderr as JSON.")
    ] = False,
) -> None:
    """Import operations of an OpenAPI description as one http tool (docs/openapi-import.md)."""
    if not (operations or tags or everything):
        raise typer.BadParameter(
            "choose operations with --operation ID, --tag TAG or --all", param_hint="--all"
        )
    if define and out is not None:
        raise typer.BadParameter("give --out or --define, not both", param_hint="--define")
    selection = OperationSelection(tuple(operations or ()), tuple(tags or ()), everything)
    with reported_errors():
        container = Container()
        data = parse_data(read_text(spec, SPEC), spec, SPEC)
        result = mapped(container.openapi_parser(), data, name, selection)
        report = result.report.to_dict()
        report["model_check"] = (
            _model_check(result.document, container) if result.report.imported else {}
        )
        if report_file is not None:
            report_file.write_text(pretty_json(report) + "\n", encoding="utf-8")
        typer.echo(
            pretty_json(report) if as_json else render(result.report, report["model_check"]),
            err=True,
        )
        if not result.report.imported:
            raise CliError("no operation could be imported (see the report)")
        if define:
            outcome = run(lambda opened: opened.tools().define(result.document))
            say(f"Defined tool {outcome.tool.name!r}: version {outcome.tool.version}")
        elif out is not None:
            out.write_text(pretty_json(result.document) + "\n", encoding="utf-8")
        else:
            say(pretty_json(result.document))


def _model_check(document: dict[str, Any], container: Container) -> dict[str, Any]:
    """Per function, what Gemini realtime's check says: accepted, adapted or impossible."""
    tool = read_tool_document(document, container.limits()).tool
    try:
        lint = lint_tool(tool, "import", container.gemini_offering())
    except GeminiConverterUnavailable as error:
        return {"unavailable": str(error)}
    verdicts: dict[str, list[str]] = {str(category): [] for category in Category}
    for function, assessment in lint.assessments:
        verdicts[str(assessment.category)].append(function)
    return {"target": lint.target, **verdicts}


def render(report: ImportReport, model_check: dict[str, Any]) -> str:
    """The report for a reader."""
    lines = [f"imported {len(report.imported)} operations, skipped {len(report.skipped)}"]
    lines.extend(f"  {operation} -> {function}" for operation, function in report.imported)
    if report.skipped:
        lines.append("skipped:")
        lines.extend(f"  {operation}: {reason}" for operation, reason in report.skipped)
    if report.renamed:
        lines.append("parameters renamed:")
        lines.extend(f"  {fn}: {where} -> {arg}" for fn, where, arg in report.renamed)
    lines.extend(f"note: {note}" for note in report.notes)
    if report.suggestions:
        lines.append("large JSON responses (consider a response.pick):")
        lines.extend(
            f"  {fn}: {pretty_json(pick)}".replace("\n", " ") for fn, pick in report.suggestions
        )
    if "unavailable" in model_check:
        lines.append(f"model check unavailable: {model_check['unavailable']}")
    elif model_check:
        counts = ", ".join(f"{len(v)} {k}" for k, v in model_check.items() if k != "target")
        lines.append(f"{model_check['target']}: {counts}")
        lines.extend(f"  impossible: {fn}" for fn in model_check.get("impossible", []))
    return "\n".join(lines)
