"""Browser tests of the admin UI: Debian's chromium driven by Playwright, a live server.

The app runs under uvicorn on a free loopback port in a thread with its own event loop
(the container's resources open on it); a stand-in upstream API runs on that loop too.
Without ``/usr/bin/chromium`` the tests skip, saying so, except under ``CI=true``, where
they fail: CI installs it (``.ci/run``), so a missing browser is a broken run.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import uvicorn
from aiohttp import web

from application.policies import HandlerPolicy
from entrypoints.container import Container
from entrypoints.local_server import serve_on_loopback
from tests.builders import platform_container
from tests.integration.ui.admin_app import ADMIN_KEY, admin_app

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
T = TypeVar("T")


def require_chromium() -> None:
    """Skip (fail under CI=true) when Debian's chromium is not installed."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests")
    pytest.skip(reason)


@dataclass
class LiveAdmin:
    """The admin app served on loopback, and a way to run coroutines on its loop.

    Attributes:
        url: ``http://127.0.0.1:PORT``.
        upstream: The stand-in upstream API's ``http://127.0.0.1:PORT``.
        container: The app's services.
        loop: The server's event loop.
        upstream_requests: What the upstream received, one dict per request.
    """

    url: str
    upstream: str
    container: Container
    loop: asyncio.AbstractEventLoop
    upstream_requests: list[dict[str, Any]] = field(default_factory=list)

    def run(self, work: Callable[[Container], Awaitable[T]]) -> T:
        """Await ``work(container)`` on the server's loop, from the test's thread."""

        async def within() -> T:
            return await work(self.container)

        return asyncio.run_coroutine_threadsafe(within(), self.loop).result(timeout=30)


def _free_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture
def live_admin() -> Iterator[LiveAdmin]:
    container = platform_container(HandlerPolicy(("tests.handlers",)), 5.0)
    server = uvicorn.Server(
        uvicorn.Config(admin_app(container), log_level="warning", lifespan="on")
    )
    sock = _free_socket()
    ready = threading.Event()
    holder: dict[str, Any] = {}

    async def upstream_handler(request: web.Request) -> web.Response:
        seen = {
            "method": request.method,
            "path": request.path,
            "query": dict(request.query),
            "headers": dict(request.headers),
        }
        holder["requests"].append(seen)
        # Echoes what it got, the secret header included: the pipeline must scrub it.
        return web.json_response({"forecast": "sunny", "echo": seen})

    async def main() -> None:
        holder["loop"] = asyncio.get_running_loop()
        holder["requests"] = []
        runner, holder["upstream"] = await serve_on_loopback(upstream_handler)
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not serving.done():
            await asyncio.sleep(0.02)
        ready.set()
        try:
            await serving
        finally:
            await runner.cleanup()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(30), "the admin app did not start"
    port = sock.getsockname()[1]
    yield LiveAdmin(
        f"http://127.0.0.1:{port}",
        holder["upstream"],
        container,
        holder["loop"],
        holder["requests"],
    )
    server.should_exit = True
    thread.join(30)
    sock.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(LAUNCH_FLAGS), headless=True
        )
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


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def signed_in_page(browser: Any, live_admin: LiveAdmin, traffic: Traffic) -> Iterator[Any]:
    context = browser.new_context(base_url=live_admin.url)
    page = context.new_page()
    page.on("response", traffic.record)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page)
    yield page
    context.close()


def sign_in(page: Any) -> None:
    """Sign in on the login page with the test key."""
    page.goto("/admin/login")
    page.fill("#credential", ADMIN_KEY)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/tools")
