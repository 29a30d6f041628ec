"""Debian's chromium, launched by Playwright as the browser tests and the screenshots do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
"""The browser: Debian's package (``.ci/run`` installs it); Playwright never downloads one."""

LAUNCH_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def launch_chromium(playwright: Any) -> Any:
    """Launch :data:`CHROMIUM` headless with :data:`LAUNCH_FLAGS`."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=list(LAUNCH_FLAGS), headless=True
    )
