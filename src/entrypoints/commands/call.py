"""``tool-platform call``: one function call, exactly as a session makes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from domain.json_types import JsonObject, JsonValue
from entrypoints.commands.documents import parse_object
from entrypoints.commands.dry_run import dry_run_text
from entrypoints.commands.output import CliError, emit_json, reported_errors, say
from entrypoints.commands.session import run
from entrypoints.container import Container

if TYPE_CHECKING:
    from adapters.livekit.text_session import CallOutcome


def call(
    agent: Annotated[str, typer.Argument(help="The agent's id or name.")],
    function: Annotated[str, typer.Argument(help="The function to call.")],
    arguments: Annotated[
        str, typer.Option("--args", help="The arguments as JSON text, as an LLM sends them.")
    ] = "{}",
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Validate and show what the call would do (an HTTP request with its "
            "secrets masked and the guard's decision); send and run nothing.",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --dry-run: print it as JSON.")
    ] = False,
) -> None:
    """Run one function exactly as a session would, through a real LiveKit AgentSession.

    A scripted LLM makes the one call; prints {"ok": true, "output": ...} or
    {"ok": false, "error": ...} and exits 0 or 1. Argument text nested deeper than
    TOOL_PLATFORM_MAX_ARGUMENT_DEPTH is refused before LiveKit parses it (its parser
    gives up on deep nesting with a RecursionError). With --dry-run nothing is sent:
    it exits 0 when the call rendered, 1 (one line on stderr) when it would be refused.
    """
    with reported_errors():
        limit = Container().settings().max_argument_depth
        if nesting_depth(arguments) > limit:
            raise CliError(
                f"--args nests deeper than {limit} levels of arrays and objects "
                "(TOOL_PLATFORM_MAX_ARGUMENT_DEPTH)"
            )
        if dry_run:
            parsed = parse_object(arguments, "--args", "arguments")
            described = run(lambda container: _dry_run(container, agent, function, parsed))
        else:
            outcome = run(lambda container: _call_once(container, agent, function, arguments))
    if dry_run:
        emit_json(described) if as_json else say(dry_run_text(described))
        raise typer.Exit(0)
    emit_json(outcome.as_json())
    raise typer.Exit(0 if outcome.ok else 1)


async def _dry_run(
    container: Container, agent: str, function: str, arguments: JsonValue
) -> JsonObject:
    return await container.test_runs().render(agent, function, arguments)


async def _call_once(
    container: Container, agent: str, function: str, arguments: str
) -> CallOutcome:
    from adapters.livekit.text_session import call_once  # noqa: PLC0415 - imports LiveKit

    toolset = await container.toolsets().load(agent)
    async with await container.tool_sessions().open(toolset) as session:
        return await call_once(
            session,
            container.livekit_runtime(),
            function,
            arguments,
            instructions=toolset.agent.instructions,
        )


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text, without parsing it.

    Brackets inside strings do not count; text that is not JSON gets a depth all the
    same (the parser says what is wrong with it afterwards).
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest
