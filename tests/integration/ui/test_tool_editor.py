"""Creating and editing a tool in the browser; two tabs editing one tool."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import expect

from entrypoints.local_mcp_server import LocalMcpServer
from tests.builders import CANARY, http_tool_document, mcp_tool_document
from tests.integration.mcp_define.conftest import docs_document
from tests.integration.mcp_define.servers import DocsServer
from tests.integration.mcp_define.test_define import served
from tests.integration.ui.conftest import Traffic
from tests.integration.ui.live_server import LiveAdmin


def _replace_document(page: Any, document: dict[str, Any]) -> None:
    page.fill("#document", json.dumps(document, indent=2))


def test_a_tool_is_created_then_edited_with_the_builder(
    signed_in_page: Any, live_admin: LiveAdmin
) -> None:
    page = signed_in_page
    page.click("text=New tool")
    _replace_document(page, http_tool_document("forecasts", ["get_forecast"]))
    expect(page.locator("#lint")).to_contain_text("ok", timeout=10_000)
    expect(page.locator("#lint")).to_contain_text("get_forecast: accepted")
    page.click("#save")
    page.wait_for_url("**/admin/tools/forecasts?saved=1")
    expect(page.locator("main")).to_contain_text("Saved version 1")

    function = page.locator("[data-function=get_forecast]")
    function.locator("input[name=name]").fill("days")
    function.locator("select[name=kind]").select_option("integer")
    function.locator("button", has_text="Add parameter").click()
    expect(page.locator("[data-function=get_forecast]")).to_contain_text("days")
    assert '"days"' in page.input_value("#document")
    page.click("#save")
    page.wait_for_url("**/admin/tools/forecasts?saved=2")
    stored = live_admin.run(lambda c: c.tools().show("forecasts"))
    assert stored.version == 2
    assert "days" in stored.functions[0].parameters["properties"]

    page.click("text=Versions")
    page.click("text=Diff")
    expect(page.locator("#diff")).to_contain_text('+          "days"')


def test_an_invalid_document_is_refused_with_its_path_and_nothing_is_stored(
    signed_in_page: Any, live_admin: LiveAdmin
) -> None:
    page = signed_in_page
    page.goto("/admin/tools-new")
    document = http_tool_document("broken")
    document["tool_functions_schema"]["functions"][0]["parameters"]["type"] = "array"
    _replace_document(page, document)
    expect(page.locator("#lint")).to_contain_text("problems", timeout=10_000)
    page.click("#save")
    expect(page.locator("#save-result")).to_contain_text("tool_functions_schema.functions[0]")
    assert live_admin.run(lambda c: c.catalog_overview().entries()) == []


def test_the_second_of_two_tabs_saving_one_tool_gets_a_412_and_stores_nothing(
    signed_in_page: Any, live_admin: LiveAdmin
) -> None:
    live_admin.run(lambda c: c.tools().define(http_tool_document("shared")))
    first = signed_in_page
    second = first.context.new_page()
    statuses: list[int] = []
    second.on("response", lambda response: statuses.append(response.status))
    for page in (first, second):
        page.goto("/admin/tools/shared")
    first.fill("#document", first.input_value("#document").replace("An HTTP", "First tab's"))
    first.click("#save")
    first.wait_for_url("**/admin/tools/shared?saved=2")

    second.fill("#document", second.input_value("#document").replace("An HTTP", "Second's"))
    second.click("#save")
    expect(second.locator("#save-result")).to_contain_text("changed since it was read")
    assert 412 in statuses
    latest = live_admin.run(lambda c: c.tools().show("shared"))
    assert latest.version == 2
    assert latest.description.startswith("First tab's")


def test_the_mcp_server_tab_toggles_which_functions_are_offered(
    signed_in_page: Any, live_admin: LiveAdmin
) -> None:
    live_admin.run(lambda c: c.tools().define(mcp_tool_document("files", ["search", "purge"])))
    page = signed_in_page
    page.goto("/admin/tools/files")
    page.click("text=MCP server")
    expect(page.locator("#mcp-functions")).to_contain_text("purge")
    page.locator("[data-function=purge] input[type=checkbox]").uncheck()
    page.click("text=Save the offered functions")
    page.wait_for_url("**/admin/tools/files?saved=2")
    stored = live_admin.run(lambda c: c.tools().show("files"))
    assert stored.run.server.allowed_functions == ["search"]

    page.goto("/admin/tools/files?tab=server")
    expect(page.locator("[data-function=purge] input[type=checkbox]")).not_to_be_checked()
    page.locator("[data-function=purge] input[type=checkbox]").check()
    page.click("text=Save the offered functions")
    page.wait_for_url("**/admin/tools/files?saved=3")
    assert live_admin.run(lambda c: c.tools().show("files")).run.server.allowed_functions is None


def test_refresh_lists_the_mcp_server_again_and_shows_the_drift(
    signed_in_page: Any, live_admin: LiveAdmin, traffic: Traffic
) -> None:
    local = LocalMcpServer(DocsServer(), "streamable_http", bearer_token=CANARY)
    live_admin.run(lambda _: local.__aenter__())
    try:
        document = docs_document(local.url, transport="streamable_http")
        live_admin.run(lambda c: c.tools().define(document, secrets={"token": CANARY}))
        served(local).remove_tool("delete_doc")
        page = signed_in_page
        page.goto("/admin/tools/docs?tab=server")
        page.fill("input[name='secret.token']", CANARY)
        page.click("text=Refresh: list the server again")
        drift = page.locator("#drift")
        expect(drift).to_contain_text("stored version 2")
        expect(drift).to_contain_text("removed: delete_doc")
        expect(drift).to_contain_text("added: none")
        stored = live_admin.run(lambda c: c.tools().show("docs"))
        assert stored.function_names == ("search_docs",)

        page.fill("input[name='secret.token']", "wrong-token")
        page.click("text=Refresh: list the server again")
        expect(page.locator("#save-result")).to_contain_text("refused the credentials")
        assert live_admin.run(lambda c: c.tools().show("docs")).version == 2
    finally:
        live_admin.run(lambda _: local.__aexit__(None, None, None))
    page.goto("/admin/tools/docs?tab=server")
    traffic.assert_never_held(CANARY)
