"""``tool-platform demo``: the whole platform offline, in one command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.supabase.storage import SCHEMA_VERSION
from entrypoints.cli import app
from entrypoints.demo import DEMO_CRM_KEY, DEMO_MCP_TOKEN, DEMO_TOKEN


def test_the_demo_runs_every_kind_of_tool_through_a_real_session_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(app, ["demo"], env={"TOOL_PLATFORM_SECRET_KEYS": None})

    output = result.stdout
    assert result.exit_code == 0, result.output
    assert f"migrated the database schema from nothing to revision {SCHEMA_VERSION}" in output
    assert "synced adapters.tool_packages.google_calendar: tool 'google_calendar' v1" in output
    assert "synced adapters.tool_packages.email: tool 'email' v1: send_email" in output
    assert "defined schema-defined tool 'conversions' v1" in output
    lines = output.splitlines()
    listed = next(line for line in lines if line.startswith("  <- list_events ok: "))
    events = json.loads(listed.removeprefix("  <- list_events ok: "))["events"]
    assert [event["summary"] for event in events] == ["Team stand-up", "Quarterly review with Ana"]
    assert '  <- check_availability ok: {"time_zone": "UTC", "free": false' in output
    assert '  <- convert_temperature ok: {"value": 69.8, "unit": "fahrenheit"}' in output
    assert "convert_temperature error: Invalid arguments for convert_temperature" in output
    assert 'from_unit: must be one of: "celsius", "fahrenheit"' in output
    assert "defined http tool 'crm' (CRM Lookup) v1: get_customer, update_customer" in output
    assert (
        '  <- get_customer ok: {"name": "Ana Ruiz", "email": "ana@example.com", "tier": "gold"}'
        in output
    )
    assert '"email": "ana.ruiz@example.com", "tier": "gold"}' in output  # updated, tier kept
    assert (
        "  <- get_customer error: get_customer: the service refused the request (HTTP 404): "
        '{"error": "no customer with id C-9999"}' in output
    )
    assert (
        "defined mcp tool 'office' v1 by listing its MCP server: opening_hours, meeting_rooms"
        in output
    )
    starts = next(line for line in lines if line.startswith("agent 'front-desk' starts with: "))
    assert starts.endswith(", opening_hours, meeting_rooms")
    assert '  <- opening_hours ok: {"result": "saturday: 09:00-13:00"}' in output
    assert any(line.startswith("assistant: You have the team stand-up") for line in lines)
    log = lines[lines.index(next(line for line in lines if line.startswith("call log (8 calls"))) :]
    assert sum(line.startswith("  crm@1 get_customer ") for line in log) == 2
    assert any(
        line.startswith("  crm@1 update_customer ok ") and " PATCH http://127.0.0.1:" in line
        for line in log
    )
    assert sum(" convert_temperature " in line for line in log) == 2
    assert any(line.startswith("  office@1 opening_hours ok ") for line in log)
    assert DEMO_TOKEN not in result.output
    assert DEMO_CRM_KEY not in result.output
    assert DEMO_MCP_TOKEN not in result.output
    assert list(tmp_path.iterdir()) == []
