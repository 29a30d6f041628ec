"""Browser tests of the admin UI: Debian's chromium driven by Playwright, a live server.

The app runs under uvicorn on a free loopback port (live_server.py), over in-memory
storage, with a stand-in upstream API beside it.
Without ``/usr/bin/chromium`` the tests skip, saying so, except under ``CI=true``, where
they fail: CI installs it (``.ci/run``), so a missing browser is a broken run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.integration.ui.admin_app import new_key, ui_container
from tests.integration.ui.browser import CHROMIUM, launch_chromium
from tests.integration.ui.live_server import LiveAdmin, serve_admin


def require_chromium() -> None:
    """Skip (fail under CI=true) when Debian's chromium is not installed."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests")
    pytest.skip(reason)


@pytest.fixture
def live_admin() -> Iterator[LiveAdmin]:
    with serve_admin(ui_container()) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Module scope, not session: Playwright's sync API keeps an event loop running on
    # this thread while it is open, which async tests of other modules cannot share.
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@dataclass
class Traffic:
    """Every response body the browser received, to search for what must never appear."""

    bodies: list[str] = field(default_factory=list)

    def record(self, response: Any) -> None:
        """Keep one response's body (redirects and empty answers have none)."""
        try:
            self.bodies.append(response.body().decode("utf-8", "replace"))
        except Exception:  # a redirect or an aborted request has no body to read
            self.bodies.append(json.dumps(dict(response.headers)))

    def assert_never_held(self, *values: str) -> None:
        """No response body the browser received holds any of ``values``."""
        for body in self.bodies:
            for value in values:
                assert value not in body


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def signed_in_page(browser: Any, live_admin: LiveAdmin, traffic: Traffic) -> Iterator[Any]:
    context = browser.new_context(base_url=live_admin.url)
    page = context.new_page()
    page.on("response", traffic.record)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_admin.run(new_key))
    yield page
    context.close()


def sign_in(page: Any, credential: str) -> None:
    """Sign in on the login page with ``credential``."""
    page.goto("/admin/login")
    page.fill("#credential", credential)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/tools")
