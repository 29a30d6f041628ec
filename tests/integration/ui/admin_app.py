"""The admin app as ``tool-platform serve`` builds it, over in-memory storage, and keys."""

from __future__ import annotations

import itertools

from entrypoints.container import Container
from tests.integration.api.conftest import api_settings

_names = itertools.count(1)


def ui_container() -> Container:
    """The container's own wiring on in-memory storage (HS256 JWTs as the API tests sign).

    The call audit is written every 50 ms (the log page shows a call at once).
    LiveKit's Gemini converter (the lint panel's) is imported here, on the main thread,
    as LiveKit requires: the app then runs on another thread's event loop.
    """
    container = Container()
    container.settings.override(api_settings(audit_flush_seconds=0.05))
    container.gemini_offering().preload()
    return container


async def new_key(container: Container, *scopes: str) -> str:
    """A new admin API key with ``scopes`` (``admin`` when none is given)."""
    created = await container.api_keys().create(f"ui-key-{next(_names)}", scopes or ("admin",))
    return created.key.reveal()
