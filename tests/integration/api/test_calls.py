"""The call audit over the API: a test run's call is recorded; filters, stats, isolation."""

from __future__ import annotations

import pytest

from tests.builders import python_tool_document
from tests.integration.api.conftest import Api, bearer, user_token

EXECUTE = "/tools/weather/test-runs/execute"


@pytest.fixture
async def called(api: Api) -> Api:
    """u1's agent ``mine`` and u2's ``theirs``, each with one recorded call of ``echo``."""
    await api.container.tools().define(python_tool_document("weather", {"echo": "echo"}))
    for name, owner in (("mine", "u1"), ("theirs", "u2")):
        await api.container.agents().create(name, owner_id=owner)
        await api.container.bindings().bind(name, "weather")
        response = await api.client.post(
            EXECUTE,
            json={"agent": name, "function": "echo", "arguments": {"text": "hi"}},
            headers=bearer(user_token(owner)),
        )
        assert response.json()["ok"] is True
    await api.container.audit_writer().flush()
    return api


async def test_a_key_with_calls_read_lists_every_call_and_filters(called: Api) -> None:
    reader = await called.as_key("calls:read")

    everything = (await called.client.get("/calls", headers=reader)).json()
    mine = (await called.client.get("/calls?agent=mine", headers=reader)).json()
    failed = (await called.client.get("/calls?outcome=tool_error", headers=reader)).json()

    assert len(everything) == 2
    assert {call["function"] for call in everything} == {"echo"}
    assert len(mine) == 1
    assert failed == []
    shown = await called.client.get(f"/calls/{mine[0]['id']}", headers=reader)
    assert shown.json()["details"]["handler"].endswith("echo")


async def test_a_user_sees_only_their_own_agents_calls(called: Api) -> None:
    user = bearer(user_token("u1"))
    reader = await called.as_key("calls:read")
    theirs = (await called.client.get("/calls?agent=theirs", headers=reader)).json()[0]

    listed = (await called.client.get("/calls", headers=user)).json()
    stats = (await called.client.get("/calls/stats", headers=user)).json()

    assert len(listed) == 1
    assert listed[0]["agent_id"] != theirs["agent_id"]
    assert stats["functions"][0]["count"] == 1
    assert (await called.client.get(f"/calls/{theirs['id']}", headers=user)).status_code == 404
    assert (await called.client.get("/calls?agent=theirs", headers=user)).status_code == 404


async def test_stats_per_function_and_bad_queries(called: Api) -> None:
    reader = await called.as_key("calls:read")

    stats = (await called.client.get("/calls/stats?since=1h", headers=reader)).json()
    bad_since = await called.client.get("/calls?since=yesterday-ish", headers=reader)
    bad_outcome = await called.client.get("/calls?outcome=great", headers=reader)

    [echo] = stats["functions"]
    assert (echo["tool"], echo["function"], echo["count"], echo["errors"]) == (
        "weather",
        "echo",
        2,
        0,
    )
    assert bad_since.status_code == 422
    assert bad_outcome.status_code == 422


async def test_reading_calls_needs_its_scope(called: Api) -> None:
    writer = await called.as_key("tools:write", "agents:write")

    response = await called.client.get("/calls", headers=writer)

    assert response.status_code == 403
    assert "calls:read" in response.json()["detail"]
