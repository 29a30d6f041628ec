"""``tool-platform serve``: the admin API (``docs/api.md``) on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from entrypoints.commands.output import reported_errors


def serve(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.", min=1, max=65535)] = 8080,
) -> None:
    """Run the admin API (and the web UI) until interrupted, on the configured storage.

    Every endpoint but /api/v1/health needs a credential: an admin API key
    (`tool-platform api-keys create`) or a Supabase user's JWT.
    """
    import uvicorn  # noqa: PLC0415 - the server loads for this command only

    from entrypoints.api.app import create_app  # noqa: PLC0415
    from entrypoints.container import Container  # noqa: PLC0415

    with reported_errors():
        app = create_app(Container())
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
