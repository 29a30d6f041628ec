"""``tool-platform tools``: the catalog of platform tools."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar

import typer
import yaml

from application.tools import DefineOutcome
from domain.errors import Problem
from domain.tools.definition import ToolDefinition
from domain.tools.unreadable import UnreadableTool
from entrypoints.commands.documents import parse_data
from entrypoints.commands.output import (
    CliError,
    JsonFlag,
    compact_json,
    emit_json,
    note,
    printable,
    reported_errors,
    say,
    table,
)
from entrypoints.commands.reading import read_text
from entrypoints.commands.secret_input import SecretOption, SecretsFileOption, collect_secrets
from entrypoints.commands.session import run
from entrypoints.commands.views import (
    define_outcome,
    over_limits,
    refresh_outcome,
    tool_diff_view,
    tool_summary,
    tool_version,
)
from entrypoints.container import Container
from entrypoints.lazy_commands import LazyCommand, LazyGroup


class ToolsGroup(LazyGroup):
    """``tools``: the commands below, then ``lint``, ``import-openapi`` and ``sync``.

    Those three load their modules (the Gemini offering, the OpenAPI mapper, LiveKit's
    tool discovery) only when they run.
    """

    lazy: ClassVar[Mapping[str, LazyCommand]] = {
        "lint": LazyCommand(
            "entrypoints.commands.lint",
            "lint",
            "Say per function whether Gemini realtime accepts it, why not, and what it loses.",
        ),
        "import-openapi": LazyCommand(
            "entrypoints.commands.import_openapi",
            "import_openapi",
            "Import operations of an OpenAPI description as one http tool "
            "(docs/openapi-import.md).",
        ),
        "sync": LazyCommand(
            "entrypoints.commands.sync",
            "sync",
            "Sync LiveKit @function_tools from Python packages into the catalog.",
        ),
    }


app = typer.Typer(cls=ToolsGroup, help="The catalog of platform tools.", no_args_is_help=True)

DOCUMENT = "tool document"
AllowIncompatible = Annotated[
    bool,
    typer.Option(
        "--allow-incompatible",
        help="Store it even if the target model would reject some functions "
        "(they are listed, and left out of every toolset).",
    ),
]
MAX_VERSION = 2**31 - 1
"""The largest version number a database column holds (PostgreSQL ``INTEGER``)."""


@app.command()
def define(
    file: Annotated[str, typer.Argument(help="A JSON or YAML tool document; - reads stdin.")],
    allow_incompatible: AllowIncompatible = False,
    secret: SecretOption = None,
    secrets_file: SecretsFileOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Define a tool, or its next version. Unchanged content writes nothing.

    An mcp document that lists no functions is completed from its server: its tools are
    listed (--secret / --secrets-file give the secrets its headers or env use, for that
    connection only; they are never stored).
    """
    with reported_errors():
        if file == "-" and secrets_file == "-":
            raise CliError("the document and the secrets file cannot both be standard input")
        document = parse_data(read_text(file, DOCUMENT), file, DOCUMENT)
        secrets = collect_secrets(secret or [], secrets_file)
        outcome = run(
            lambda container: container.tools().define(
                document, allow_incompatible=allow_incompatible, secrets=secrets
            )
        )
    if as_json:
        emit_json(define_outcome(outcome))
        return
    tool = outcome.tool
    if outcome.changed:
        say(f"Defined tool {tool.name!r}: version {tool.version} ({tool.fingerprint[:19]}...)")
    else:
        say(f"Tool {tool.name!r} is unchanged: still version {tool.version}")
    if outcome.listed:
        say(f"Functions listed by its MCP server: {', '.join(tool.function_names)}")
    dropped = outcome.dropped_defaults
    say(f"Function defaults dropped (invalid for their own schema): {len(dropped)}")
    for path in dropped:
        say(f"  {path}")
    _say_problems(outcome)


@app.command()
def refresh(
    name: Annotated[str, typer.Argument(help="The mcp tool's name.")],
    allow_incompatible: AllowIncompatible = False,
    secret: SecretOption = None,
    secrets_file: SecretsFileOption = None,
    as_json: JsonFlag = False,
) -> None:
    """List an mcp tool's server again; store a new version if anything changed.

    Prints the drift: the functions added, removed and changed (schema, description or
    annotations). --secret / --secrets-file are as for define.
    """
    with reported_errors():
        secrets = collect_secrets(secret or [], secrets_file)
        outcome = run(
            lambda container: container.tools().refresh(
                name, secrets=secrets, allow_incompatible=allow_incompatible
            )
        )
    if as_json:
        emit_json(refresh_outcome(outcome))
        return
    tool = outcome.defined.tool
    if not outcome.defined.changed:
        say(f"Tool {tool.name!r} is unchanged: its server offers what version {tool.version} has")
        return
    say(f"Refreshed tool {tool.name!r}: version {tool.version} ({tool.fingerprint[:19]}...)")
    for what, names in (
        ("added", outcome.drift.added),
        ("removed", outcome.drift.removed),
        ("changed", outcome.drift.changed),
    ):
        say(f"  {what}: {', '.join(names) or '-'}")
    _say_problems(outcome.defined)


def _say_problems(outcome: DefineOutcome) -> None:
    rejected = outcome.incompatible
    if rejected:
        say(f"Functions the target model would reject (left out at load): {len(rejected)}")
        for problem in rejected:
            say(f"  {problem}")
    for problem in outcome.warnings:
        say(f"warning: {problem}")


@app.command("list")
def list_tools(as_json: JsonFlag = False) -> None:
    """List every tool at its latest version; flag those that break today's limits."""
    with reported_errors():
        listed = run(_tools_with_problems)
    if as_json:
        emit_json([tool_summary(tool, problems) for tool, problems in listed])
        return
    tools = [tool for tool, _ in listed]
    if not tools:
        say("No tools. Define one with `tool-platform tools define FILE`.")
        return
    rows = [
        (
            tool.name,
            str(tool.version),
            str(tool.kind),
            ", ".join(tool.function_names) or "-",
            ", ".join(tool.secret_names) or "-",
        )
        if isinstance(tool, ToolDefinition)
        else (tool.name, str(tool.version), "?", "needs attention: " + tool.reason, "-")
        for tool in tools
    ]
    say(table(("NAME", "VERSION", "KIND", "FUNCTIONS", "SECRETS"), rows))
    for tool, problems in listed:
        attention = over_limits(tool, problems) if isinstance(tool, ToolDefinition) else None
        if attention:
            note(attention)


async def _tools_with_problems(
    container: Container,
) -> list[tuple[ToolDefinition | UnreadableTool, list[Problem]]]:
    service = container.tools()
    return [
        (tool, service.problems(tool) if isinstance(tool, ToolDefinition) else [])
        for tool in await service.list_all()
    ]


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="The tool's name.")],
    version: Annotated[
        int | None,
        typer.Option("--version", min=1, max=MAX_VERSION, help="A given version; default: latest."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Print a tool's document (YAML, or JSON with --json); it can be edited and defined again."""
    with reported_errors():
        tool = run(lambda container: container.tools().show(name, version))
    document = tool.to_document()
    if as_json:
        emit_json(document)
    else:
        say(yaml.safe_dump(document, sort_keys=False, allow_unicode=True).rstrip("\n"))


@app.command()
def versions(
    name: Annotated[str, typer.Argument(help="The tool's name.")],
    as_json: JsonFlag = False,
) -> None:
    """List every version of a tool, oldest first."""
    with reported_errors():
        stored = run(lambda container: container.tools().versions(name))
    if as_json:
        emit_json([tool_version(tool) for tool in stored])
        return
    rows = [
        (
            str(tool.version),
            tool.fingerprint[:19] + "...",
            ", ".join(tool.function_names) or "-",
            ", ".join(tool.secret_names) or "-",
        )
        for tool in stored
    ]
    say(table(("VERSION", "FINGERPRINT", "FUNCTIONS", "SECRETS"), rows))


@app.command()
def diff(
    name: Annotated[str, typer.Argument(help="The tool's name.")],
    old: Annotated[int, typer.Argument(metavar="FROM", help="The earlier version.", min=1)],
    new: Annotated[int, typer.Argument(metavar="TO", help="The later version.", min=1)],
    as_json: JsonFlag = False,
) -> None:
    """Show what changed in a tool's document from one version to another, path by path."""
    with reported_errors():
        changes = run(lambda container: container.tools().diff(name, old, new))
    if as_json:
        emit_json(tool_diff_view(name, old, new, changes))
        return
    if not changes:
        say(f"Versions {old} and {new} of tool {name!r} have the same content.")
        return
    for change in changes:
        before = "" if change.before is None else compact_json(change.before)
        after = "" if change.after is None else compact_json(change.after)
        shown = {"added": f"+ {after}", "removed": f"- {before}"}.get(
            str(change.kind), f"{before} -> {after}"
        )
        say(printable(f"{change.path or '(document)'}: {shown}"))


@app.command()
def delete(name: Annotated[str, typer.Argument(help="The tool's name.")]) -> None:
    """Delete a tool with all its versions; refused while agents are bound to it."""
    with reported_errors():
        run(lambda container: container.tools().delete(name))
    say(f"Deleted tool {name!r} with all its versions.")
