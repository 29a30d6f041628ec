"""``tool-platform api-keys``: admin API keys (the key is printed once, at creation)."""

from __future__ import annotations

from typing import Annotated

import typer

from domain.api_keys import ApiKey, Scope
from entrypoints.commands.output import JsonFlag, emit_json, note, reported_errors, say, table
from entrypoints.commands.session import run

app = typer.Typer(help="Admin API keys: create, list, revoke.", no_args_is_help=True)

SCOPES = ", ".join(scope.value for scope in Scope)


def api_key_view(key: ApiKey) -> dict[str, object]:
    """One key as ``api-keys list --json`` shows it: never the key, nor its hash."""
    return {
        "id": key.id,
        "name": key.name,
        "scopes": sorted(scope.value for scope in key.scopes),
        "created_at": key.created_at.isoformat(),
        "revoked_at": None if key.revoked_at is None else key.revoked_at.isoformat(),
    }


@app.command()
def create(
    name: Annotated[str, typer.Argument(help="A unique name for the key.")],
    scope: Annotated[
        list[str],
        typer.Option("--scope", help=f"A scope to grant (repeat for more): {SCOPES}."),
    ],
    as_json: JsonFlag = False,
) -> None:
    """Create an admin API key and print it once: only its hash is stored."""
    with reported_errors():
        created = run(lambda container: container.api_keys().create(name, scope))
    key = created.key.reveal()
    if as_json:
        emit_json({**api_key_view(created.record), "key": key})
        return
    say(key)
    note(
        f"API key {created.record.name!r} created with scopes "
        f"{', '.join(sorted(s.value for s in created.record.scopes))}; it is shown only now"
    )


@app.command("list")
def list_keys(as_json: JsonFlag = False) -> None:
    """List the admin API keys (never a key itself), revoked ones too."""
    with reported_errors():
        keys = run(lambda container: container.api_keys().list_all())
    if as_json:
        emit_json([api_key_view(key) for key in keys])
        return
    if not keys:
        say("No API keys.")
        return
    rows = [
        (
            key.name,
            key.id,
            ",".join(sorted(scope.value for scope in key.scopes)),
            key.created_at.isoformat(timespec="seconds"),
            "revoked" if key.revoked else "active",
        )
        for key in keys
    ]
    say(table(("name", "id", "scopes", "created", "state"), rows))


@app.command()
def revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Revoke an admin API key: every request and session using it is refused from now on."""
    with reported_errors():
        key = run(lambda container: container.api_keys().revoke(name))
    say(f"Revoked API key {key.name!r}.")
