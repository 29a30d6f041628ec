"""``tool-platform agents bind|unbind|enable|disable|secrets``: an agent's tool bindings."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from entrypoints.commands.documents import parse_object
from entrypoints.commands.output import CliError, reported_errors, say
from entrypoints.commands.secret_input import (
    SecretOption,
    SecretsFileOption,
    collect_secrets,
    single_secret,
)
from entrypoints.commands.session import run

AgentArgument = Annotated[str, typer.Argument(help="The agent's id or unique name.")]
ToolArgument = Annotated[str, typer.Argument(help="The tool's name.")]
SecretNameArgument = Annotated[str, typer.Argument(help="The secret's name.")]

secrets_app = typer.Typer(
    help="Set or remove one secret of a binding (values are never shown).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the binding commands to the ``agents`` group."""
    app.command()(bind)
    app.command()(unbind)
    app.command()(enable)
    app.command()(disable)
    app.add_typer(secrets_app, name="secrets")


def bind(
    agent: AgentArgument,
    tool: ToolArgument,
    *,
    config: Annotated[str | None, typer.Option(help="The binding's config: a JSON object.")] = None,
    secret: SecretOption = None,
    secrets_file: SecretsFileOption = None,
    functions: Annotated[
        str | None,
        typer.Option(help="Allowlist of the tool's functions, comma-separated; default: all."),
    ] = None,
    disabled: Annotated[bool, typer.Option("--disabled", help="Bind it disabled.")] = False,
) -> None:
    """Bind an agent to the latest version of a tool, with config and secrets."""
    with reported_errors():
        parsed_config = _config(config)
        allowlist = _functions(functions)
        secrets = collect_secrets(secret or [], secrets_file)
        binding = run(
            lambda container: container.bindings().bind(
                agent,
                tool,
                config=parsed_config,
                secrets=secrets,
                functions=allowlist,
                enabled=not disabled,
            )
        )
    state = "enabled" if binding.enabled else "disabled"
    names = ", ".join(binding.secret_names) or "none"
    say(f"Bound agent {agent!r} to tool {tool!r} ({state}); secrets set: {names}.")


def unbind(agent: AgentArgument, tool: ToolArgument) -> None:
    """Remove a binding with its secrets."""
    with reported_errors():
        run(lambda container: container.bindings().unbind(agent, tool))
    say(f"Unbound agent {agent!r} from tool {tool!r}; its secrets are gone.")


def enable(agent: AgentArgument, tool: ToolArgument) -> None:
    """Enable a binding (refused if a function name would then clash)."""
    with reported_errors():
        run(lambda container: container.bindings().set_enabled(agent, tool, True))
    say(f"Enabled tool {tool!r} for agent {agent!r}.")


def disable(agent: AgentArgument, tool: ToolArgument) -> None:
    """Disable a binding: the agent keeps it, but its sessions go without the tool."""
    with reported_errors():
        run(lambda container: container.bindings().set_enabled(agent, tool, False))
    say(f"Disabled tool {tool!r} for agent {agent!r}.")


@secrets_app.command("set")
def set_secret(
    agent: AgentArgument,
    tool: ToolArgument,
    name: SecretNameArgument,
    value: Annotated[
        str | None,
        typer.Option(help="The value (it stays in shell history; prefer the prompt)."),
    ] = None,
    from_file: Annotated[
        str | None,
        typer.Option(help="Read the value from a file (one trailing newline dropped); - = stdin."),
    ] = None,
) -> None:
    """Set or replace one secret of a binding; without --value or --from-file, ask for it."""
    if value is not None and from_file is not None:
        raise typer.BadParameter("give --value or --from-file, not both", param_hint="--value")
    with reported_errors():
        secret_value = single_secret(name, value, from_file)
        run(lambda container: container.bindings().set_secret(agent, tool, name, secret_value))
    say(f"Set secret {name!r} of the binding of agent {agent!r} to tool {tool!r}.")


@secrets_app.command("unset")
def unset_secret(agent: AgentArgument, tool: ToolArgument, name: SecretNameArgument) -> None:
    """Remove one secret of a binding (refused while the tool requires it)."""
    with reported_errors():
        run(lambda container: container.bindings().remove_secret(agent, tool, name))
    say(f"Removed secret {name!r} of the binding of agent {agent!r} to tool {tool!r}.")


def _config(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    return parse_object(text, "--config", "config")


def _functions(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise CliError("--functions names no function; leave it out to allow them all")
    return names
