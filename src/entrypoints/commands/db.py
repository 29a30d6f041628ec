"""``tool-platform db``: the database schema."""

from __future__ import annotations

import typer

from entrypoints.commands.output import reported_errors, say
from entrypoints.commands.session import run

app = typer.Typer(help="The database schema.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Create or migrate the database schema to the latest version (Alembic).

    On Supabase, check the remote schema's version (it is applied with `supabase db push`).
    """
    with reported_errors():
        message = run(lambda container: container.storage().upgrade())
    say(message)
