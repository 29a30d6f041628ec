"""``tool-platform secrets``: the encryption of binding secrets at rest."""

from __future__ import annotations

import typer

from entrypoints.commands.output import reported_errors, say
from entrypoints.commands.session import run, secrets_at_rest

app = typer.Typer(help="Binding secrets at rest: key rotation, seed rows.", no_args_is_help=True)


@app.command()
def rotate() -> None:
    """Re-encrypt every stored secret under the first key of TOOL_PLATFORM_SECRET_KEYS."""
    with reported_errors():
        count = run(lambda container: secrets_at_rest(container).rotate_secrets())
    say(f"Re-encrypted {_secrets(count)} under the first configured key.")


@app.command("encrypt-plaintext")
def encrypt_plaintext() -> None:
    """Encrypt in place the secrets stored in plaintext (as the seed stored them)."""
    with reported_errors():
        count = run(lambda container: secrets_at_rest(container).encrypt_plaintext_secrets())
    say(f"Encrypted {_secrets(count, 'plaintext ')} in place.")


def _secrets(count: int, kind: str = "") -> str:
    return f"{count} {kind}secret" if count == 1 else f"{count} {kind}secrets"
