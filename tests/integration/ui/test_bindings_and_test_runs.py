"""Bindings in the browser (config form, secrets) and the Test tab against a local upstream."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.builders import CANARY
from tests.integration.ui.conftest import Traffic
from tests.integration.ui.live_server import LiveAdmin
from tests.integration.ui.seeds import AGENT, TOOL, seed, weather_document

NEW_SECRET = "replaced-7f3a9c0e5b1d-value"


def _agent_page(page: Any, live_admin: LiveAdmin) -> Any:
    live_admin.run(lambda c: seed(c, live_admin.upstream))
    page.click("text=Agents")
    page.click(f"text={AGENT}")
    return page.locator(f"[data-tool={TOOL}]")


def _test_tab_for_lyon(page: Any, live_admin: LiveAdmin) -> None:
    _agent_page(page, live_admin)
    page.goto(f"/admin/tools/{TOOL}?tab=test")
    page.fill("input[name='arguments.city']", "Lyon")


def _binding(live_admin: LiveAdmin) -> Any:
    details = live_admin.run(lambda c: c.agents().show(AGENT))
    return details.bindings[0]


def test_the_config_form_refuses_a_bad_value_next_to_its_field_then_saves(
    signed_in_page: Any, live_admin: LiveAdmin
) -> None:
    card = _agent_page(signed_in_page, live_admin)
    expect(card.locator("select[name='config.units']")).to_have_value("metric")

    card.locator("input[name='config.max_days']").fill("three")
    card.locator("button", has_text="Save config").click()
    expect(card.locator(".field.invalid")).to_contain_text("must be a whole number")
    expect(card.locator("input[name='config.max_days']")).to_have_value("three")

    card.locator("input[name='config.max_days']").fill("30")
    card.locator("button", has_text="Save config").click()
    expect(card.locator(".field.invalid")).to_contain_text("14")
    assert "max_days" not in _binding(live_admin).config

    card.locator("input[name='config.max_days']").fill("3")
    card.locator("select[name='config.units']").select_option("imperial")
    card.locator("button", has_text="Save config").click()
    expect(card).to_contain_text("config saved")
    config = _binding(live_admin).config
    assert config["max_days"] == 3
    assert config["units"] == "imperial"


def test_the_enable_toggle_disables_and_enables_the_binding(
    signed_in_page: Any, live_admin: LiveAdmin
) -> None:
    card = _agent_page(signed_in_page, live_admin)
    card.locator("button.toggle").click()
    expect(card.locator("button.toggle")).to_have_text("Disabled")
    assert _binding(live_admin).enabled is False
    card.locator("button.toggle").click()
    expect(card.locator("button.toggle")).to_have_text("Enabled")
    assert _binding(live_admin).enabled is True


def test_a_secret_is_replaced_and_cleared_without_its_value_in_any_page(
    signed_in_page: Any, live_admin: LiveAdmin, traffic: Traffic
) -> None:
    card = _agent_page(signed_in_page, live_admin)
    chip = card.locator("[data-secret=api_key]")
    expect(chip).to_contain_text("set")
    chip.locator("summary", has_text="Replace").click()
    chip.locator("input[name=value]").fill(NEW_SECRET)
    chip.locator("button", has_text="Save api_key").click()
    expect(card).to_contain_text("secret api_key replaced")
    assert _binding(live_admin).secrets["api_key"].reveal() == NEW_SECRET

    # The tool requires it: Clear is refused, and says why.
    card.locator("[data-secret=api_key] button", has_text="Clear").click()
    expect(card).to_contain_text("requires the secret 'api_key'")

    # A version that no longer needs it: Clear removes it.
    document = weather_document(live_admin.upstream)
    document["secret_names"] = []
    document["run"]["requests"]["get_current_weather"]["headers"] = {}
    live_admin.run(lambda c: c.tools().define(document))
    signed_in_page.reload()
    card = signed_in_page.locator(f"[data-tool={TOOL}]")
    expect(card.locator("[data-secret=api_key]")).to_contain_text("no longer required")
    card.locator("[data-secret=api_key] button", has_text="Clear").click()
    expect(card).to_contain_text("secret api_key cleared")
    assert "api_key" not in _binding(live_admin).secrets

    traffic.assert_never_held(NEW_SECRET, CANARY)


def test_render_shows_the_masked_request_and_execute_calls_the_upstream(
    signed_in_page: Any, live_admin: LiveAdmin, traffic: Traffic
) -> None:
    page = signed_in_page
    _test_tab_for_lyon(page, live_admin)
    page.click("#render")
    request_pane = page.locator("#request-pane")
    expect(request_pane).to_contain_text(f"GET {live_admin.upstream}/v1/current?q=Lyon")
    expect(request_pane).to_contain_text("Authorization: Bearer ********")
    expect(request_pane).to_contain_text("allowed")
    assert live_admin.upstream_requests == []

    page.click("#execute")
    expect(page.locator("#response-pane")).to_contain_text("ok")
    expect(page.locator("#llm-result")).to_contain_text("sunny")
    assert len(live_admin.upstream_requests) == 1
    sent = live_admin.upstream_requests[0]
    assert sent["query"] == {"q": "Lyon", "units": "metric"}
    assert sent["headers"]["Authorization"] == f"Bearer {CANARY}"
    # The upstream echoed the secret back; the model's text has it scrubbed.
    expect(page.locator("#llm-result")).not_to_contain_text(CANARY)
    traffic.assert_never_held(CANARY)


def test_a_refused_argument_says_why_and_sends_nothing(
    signed_in_page: Any, live_admin: LiveAdmin
) -> None:
    _agent_page(signed_in_page, live_admin)
    page = signed_in_page
    page.goto(f"/admin/tools/{TOOL}?tab=test")
    page.click("#execute")
    expect(page.locator("#test-result")).to_contain_text("city")
    assert live_admin.upstream_requests == []


def test_no_page_or_response_holds_the_canary_secret(
    signed_in_page: Any, live_admin: LiveAdmin, traffic: Traffic
) -> None:
    live_admin.run(lambda c: seed(c, live_admin.upstream))
    agent_id = live_admin.run(lambda c: c.agents().show(AGENT)).agent.id
    page = signed_in_page
    for path in (
        "/admin/tools",
        f"/admin/tools/{TOOL}",
        f"/admin/tools/{TOOL}?tab=versions",
        f"/admin/tools/{TOOL}?tab=test",
        "/admin/agents",
        f"/admin/agents/{agent_id}",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert CANARY not in page.content()
    assert len(traffic.bodies) >= 7
    traffic.assert_never_held(CANARY)


def test_an_executed_call_is_in_the_call_log_with_its_masked_request(
    signed_in_page: Any, live_admin: LiveAdmin, traffic: Traffic
) -> None:
    page = signed_in_page
    _test_tab_for_lyon(page, live_admin)
    page.click("#execute")
    expect(page.locator("#llm-result")).to_contain_text("sunny")

    page.goto("/admin/tools")
    expect(page.locator(f"tr[data-tool={TOOL}] td.calls")).to_have_text("1")
    expect(page.locator(f"tr[data-tool={TOOL}] td.error-rate")).to_have_text("0%")

    page.click("nav >> text=Calls")
    page.fill("input[name=tool]", TOOL)
    page.select_option("select[name=outcome]", "ok")
    page.click("#call-filters button")
    rows = page.locator("#calls tbody tr[data-call]")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("get_current_weather")
    page.select_option("select[name=outcome]", "tool_error")
    page.click("#call-filters button")
    expect(page.locator("#calls tbody tr[data-call]")).to_have_count(0)
    page.fill("input[name=since]", "not a time")
    page.click("#call-filters button")
    expect(page.locator("main .error")).to_contain_text("not a time")

    page.goto(f"/admin/calls?tool={TOOL}")
    page.locator("#calls tbody tr[data-call] a").click()
    request = page.locator("#call-request")
    # the agent keeps no payloads (audit_payloads none): the argument's place is shown
    expect(request).to_contain_text(f"GET {live_admin.upstream}/v1/current?q={{args.city}}")
    expect(request).to_contain_text("Authorization")
    expect(request).to_contain_text("status 200")
    traffic.assert_never_held(CANARY)
