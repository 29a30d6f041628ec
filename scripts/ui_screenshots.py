"""Take the README's screenshots of the admin UI (docs/screenshots/*.png).

Usage: ``.venv/bin/python scripts/ui_screenshots.py [--out docs/screenshots]`` from the
repository root. Serves the admin UI over in-memory storage on a free loopback port,
seeds it (the browser tests' weather tool and agent, a second version, two more tools),
signs in with Debian's chromium (``/usr/bin/chromium``, as the browser tests launch it)
and saves one PNG per main page. CI does not run it: it rewrites tracked files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from entrypoints.container import Container
from tests.builders import http_tool_document, mcp_tool_document, python_tool_document
from tests.integration.ui.admin_app import new_key, ui_container
from tests.integration.ui.browser import CHROMIUM, launch_chromium
from tests.integration.ui.live_server import serve_admin
from tests.integration.ui.seeds import AGENT, TOOL, seed, weather_document


async def _seed(container: Container, upstream: str) -> str:
    await seed(container, upstream)
    second = weather_document(upstream)
    second["description"] = "Current weather and the forecast from a weather HTTP API."
    await container.tools().define(second)
    await container.tools().define(http_tool_document("crm_lookup", ["find_customer"]))
    await container.tools().define(python_tool_document("echo_tools", {"echo": "echo"}))
    await container.tools().define(mcp_tool_document("files", ["search", "read", "purge"]))
    return (await container.agents().show(AGENT)).agent.id


def main() -> int:
    """Serve, seed, sign in, and save the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    out = parser.parse_args().out
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with serve_admin(ui_container()) as live, sync_playwright() as playwright:
        agent_id = live.run(lambda c: _seed(c, live.upstream))
        key = live.run(new_key)
        browser = launch_chromium(playwright)
        page = browser.new_page(base_url=live.url, viewport={"width": 1360, "height": 860})
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto("/admin/login")
        page.screenshot(path=out / "login.png")
        page.fill("#credential", key)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/tools")
        shots = {
            "mcp-server.png": "/admin/tools/files?tab=server",
            "tool-editor.png": f"/admin/tools/{TOOL}",
            "agent-bindings.png": f"/admin/agents/{agent_id}",
        }
        for name, path in shots.items():
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=out / name, full_page=True)
            print(out / name)
        page.goto(f"/admin/tools/{TOOL}?tab=versions")
        page.click("text=Diff")
        page.wait_for_selector("#diff pre")
        page.screenshot(path=out / "tool-versions.png", full_page=True)
        page.goto(f"/admin/tools/{TOOL}?tab=test")
        page.fill("input[name='arguments.city']", "Lyon")
        page.click("#execute")
        page.wait_for_selector("#llm-result")
        page.screenshot(path=out / "tool-test.png", full_page=True)
        page.goto("/admin/calls")
        page.wait_for_selector("#calls tbody tr[data-call]")
        page.screenshot(path=out / "calls.png", full_page=True)
        page.locator("#calls tbody tr[data-call] a").first.click()
        page.wait_for_selector("#call-request")
        page.screenshot(path=out / "call.png", full_page=True)
        page.goto("/admin/tools")  # last: the test run's call is counted
        page.screenshot(path=out / "tools.png", full_page=True)
        print(
            *(
                out / name
                for name in (
                    "tool-versions.png",
                    "tool-test.png",
                    "calls.png",
                    "call.png",
                    "tools.png",
                )
            ),
            sep="\n",
        )
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
