"""``tool-platform secrets``: the encryption of binding secrets at rest."""

from __future__ import annotations

import typer

from application.ports import ResealReport
from entrypoints.commands.output import EXIT_REFUSED, reported_errors, say
from entrypoints.commands.session import run, secrets_at_rest

app = typer.Typer(help="Binding secrets at rest: key rotation, seed rows.", no_args_is_help=True)


@app.command()
def rotate() -> None:
    """Re-encrypt every stored secret under the first key of TOOL_PLATFORM_SECRET_KEYS.

    Secrets that cannot be read are left as they are and reported, one line each; the
    exit code is then 1.
    """
    with reported_errors():
        report = run(lambda container: secrets_at_rest(container).rotate_secrets())
    say(f"Re-encrypted {_secrets(report.resealed)} under the first configured key.")
    _report_unreadable(report)


@app.command("encrypt-plaintext")
def encrypt_plaintext() -> None:
    """Encrypt in place the secrets stored in plaintext (as the seed stored them)."""
    with reported_errors():
        report = run(lambda container: secrets_at_rest(container).encrypt_plaintext_secrets())
    say(f"Encrypted {_secrets(report.resealed, 'plaintext ')} in place.")
    _report_unreadable(report)


def _report_unreadable(report: ResealReport) -> None:
    for secret in report.unreadable:
        # A secret's reason names its binding and name; a whole column's does not.
        where = "" if secret.secret_name else f"the secrets of binding {secret.binding_id}: "
        typer.echo(f"error: left as it was: {where}{secret.reason}", err=True)
    if report.unreadable:
        raise typer.Exit(EXIT_REFUSED)


def _secrets(count: int, kind: str = "") -> str:
    return f"{count} {kind}secret" if count == 1 else f"{count} {kind}secrets"
