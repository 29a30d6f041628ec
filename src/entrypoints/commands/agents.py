"""``tool-platform agents``: agents, and (from :mod:`bindings`) their tool bindings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer

from domain.agents import AuditPayloads, ModelSettings
from domain.toolset import LeftOut
from entrypoints.commands import bindings
from entrypoints.commands.output import (
    JsonFlag,
    compact_json,
    emit_json,
    fields,
    note,
    pretty_json,
    printable,
    reported_errors,
    say,
    table,
)
from entrypoints.commands.session import run
from entrypoints.commands.views import agent_details, agent_view, misnamed, toolset_view

app = typer.Typer(help="Agents and their tool bindings.", no_args_is_help=True)

AgentArgument = Annotated[str, typer.Argument(help="The agent's id or unique name.")]
Instructions = Annotated[str | None, typer.Option(help="The agent's system instructions.")]
Model = Annotated[str | None, typer.Option(help="The model name; default: the model's own.")]
Voice = Annotated[str | None, typer.Option(help="The voice name (Puck, ...).")]
Temperature = Annotated[float | None, typer.Option(help="Sampling temperature, 0 to 2.")]
Payloads = Annotated[
    AuditPayloads | None,
    typer.Option(
        "--audit-payloads",
        help="How much of its calls' argument and result values the call audit keeps: "
        "none (field names and sizes; the default), masked (structure, each value's type "
        "and length) or full (values; secrets always masked).",
    ),
]


@app.command()
def create(
    name: Annotated[str, typer.Argument(help="A unique name.")],
    *,
    instructions: Instructions = None,
    model: Model = None,
    voice: Voice = None,
    temperature: Temperature = None,
    owner: Annotated[str | None, typer.Option(help="The owning user or team id.")] = None,
    audit_payloads: Payloads = None,
    as_json: JsonFlag = False,
) -> None:
    """Create an agent."""
    with reported_errors():
        settings = ModelSettings(model, voice, temperature)
        agent = run(
            lambda container: container.agents().create(
                name,
                instructions or "",
                settings,
                owner_id=owner,
                audit_payloads=audit_payloads or AuditPayloads.NONE,
            )
        )
    if as_json:
        emit_json(agent_view(agent))
    else:
        say(f"Created agent {agent.name!r} (id {agent.id}).")


@app.command()
def update(
    agent: AgentArgument,
    *,
    name: Annotated[str | None, typer.Option(help="A new unique name.")] = None,
    instructions: Instructions = None,
    model: Model = None,
    voice: Voice = None,
    temperature: Temperature = None,
    audit_payloads: Payloads = None,
    as_json: JsonFlag = False,
) -> None:
    """Change an agent's name, instructions, model settings or audit payloads.

    Options left out keep their stored values.
    """
    with reported_errors():
        updated = run(
            lambda container: container.agents().update(
                agent,
                name=name,
                instructions=instructions,
                model=model,
                voice=voice,
                temperature=temperature,
                audit_payloads=audit_payloads,
            )
        )
    if as_json:
        emit_json(agent_view(updated))
    else:
        say(f"Updated agent {updated.name!r} (id {updated.id}).")


@app.command("list")
def list_agents(as_json: JsonFlag = False) -> None:
    """List every agent, by name."""
    with reported_errors():
        agents = run(lambda container: container.agents().list_all())
    if as_json:
        emit_json([agent_view(agent) for agent in agents])
        return
    if not agents:
        say("No agents. Create one with `tool-platform agents create NAME`.")
        return
    rows = [(a.name, a.id, *_model_cells(a.model), a.owner_id or "-") for a in agents]
    say(table(("NAME", "ID", "MODEL", "VOICE", "TEMPERATURE", "OWNER"), rows))
    for listed in agents:
        attention = misnamed(listed)
        if attention:
            note(f"agent {listed.name!r} (id {listed.id}): {attention}")


@app.command()
def show(agent: AgentArgument, as_json: JsonFlag = False) -> None:
    """Show an agent with its bindings: config, allowlist, secret names, what is left out."""
    with reported_errors():
        overview = run(lambda container: container.agent_overviews().overview(agent))
    if as_json:
        emit_json(agent_details(overview))
        return
    found = overview.agent
    model, voice, temperature = _model_cells(found.model)
    say(
        fields(
            [
                ("name", printable(found.name)),  # fields() keeps line breaks
                ("id", found.id),
                ("instructions", found.instructions or "-"),
                ("model", model),
                ("voice", voice),
                ("temperature", temperature),
                ("owner", found.owner_id or "-"),
                ("audit payloads", str(found.audit_payloads)),
            ]
        )
    )
    say()
    if not overview.bindings:
        say("No bindings. Bind a tool with `tool-platform agents bind AGENT TOOL`.")
        return
    rows = [
        (
            b.tool_name,
            "yes" if b.enabled else "no",
            ", ".join(b.functions) if b.functions is not None else "all",
            ", ".join(b.secret_names) or "-",
            compact_json(dict(b.config)),
        )
        for b in overview.bindings
    ]
    say(table(("TOOL", "ENABLED", "FUNCTIONS", "SECRETS", "CONFIG"), rows))
    _say_left_out(overview.left_out)


@app.command()
def toolset(agent: AgentArgument, as_json: JsonFlag = False) -> None:
    """Show exactly what the agent's LLM will see, and what is left out and why."""
    with reported_errors():
        overview = run(lambda container: container.agent_overviews().overview(agent))
    view = toolset_view(overview)
    if as_json:
        emit_json(view)
        return
    loaded = overview.toolset
    count = len(loaded.functions)
    say(f"Agent {loaded.agent.name!r}: {count} function{'' if count == 1 else 's'} for the LLM")
    for function, offered in zip(loaded.functions, overview.offered, strict=True):
        say()
        say(f"{function.name}  (tool {function.tool.name}, version {function.tool.version})")
        say(_indented(pretty_json(offered.to_dict())))
        if offered != function.schema:
            say("  (adapted for the model; --json shows offered_schema and stored_schema)")
    if view["bindings"]:
        say()
        rows = [
            (
                b["tool"],
                str(b["version"]),
                ", ".join(b["functions"]) or "-",
                ", ".join(b["secret_names"]) or "-",
                compact_json(b["config"]),
            )
            for b in view["bindings"]
        ]
        say(table(("TOOL", "VERSION", "FUNCTIONS", "SECRETS", "CONFIG (defaults applied)"), rows))
    _say_left_out(overview.left_out)


@app.command()
def delete(agent: AgentArgument) -> None:
    """Delete an agent with its bindings and their secrets."""
    with reported_errors():
        deleted = run(lambda container: container.agents().delete(agent))
    say(f"Deleted agent {deleted.name!r} with its bindings and their secrets.")


bindings.register(app)


def _say_left_out(left_out: Sequence[LeftOut]) -> None:
    if left_out:
        say()
        say("Left out:")
        for left in left_out:
            say(f"  {left}")


def _model_cells(model: ModelSettings) -> tuple[str, str, str]:
    return (
        model.model or "default",
        model.voice or "default",
        "default" if model.temperature is None else f"{model.temperature:g}",
    )


def _indented(text: str, indent: str = "  ") -> str:
    return "\n".join(indent + line for line in text.splitlines())
