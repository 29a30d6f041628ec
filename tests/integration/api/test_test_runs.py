"""Test runs over the API: render (nothing sent, secrets masked, the guard's verdict) and
execute (a real call through a tool session) against a local upstream; their permissions."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.builders import CANARY, assert_no_secret
from tests.integration.api.conftest import Api, bearer, user_token
from tests.integration.http_tools.conftest import http_document, string_parameters
from tests.integration.http_tools.upstream import Upstream

RENDER = "/tools/crm/test-runs/render"
EXECUTE = "/tools/crm/test-runs/execute"


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    async with Upstream() as server:
        yield server


@pytest.fixture
async def bound(api: Api, upstream: Upstream) -> Api:
    """Tool ``crm`` (GET {base}/customers/{id}, the token in a header) bound to u1's agent."""
    document = http_document(
        {
            "url": f"{upstream.base_url}/customers/{{args.id}}",
            "headers": {"X-Api-Key": "{secrets.token}"},
        },
        string_parameters("id"),
        name="crm",
        secret_names=["token"],
    )
    await api.container.tools().define(document)
    await api.container.agents().create("desk", owner_id="u1")
    await api.container.bindings().bind("desk", "crm", secrets={"token": CANARY})
    return api


def run(function: str = "lookup", **arguments: str) -> dict[str, object]:
    return {"agent": "desk", "function": function, "arguments": arguments}


async def test_render_shows_the_request_masked_with_the_guard_and_sends_nothing(
    bound: Api, upstream: Upstream
) -> None:
    response = await bound.client.post(
        RENDER, json=run(id="c 42"), headers=bearer(user_token("u1"))
    )

    assert response.status_code == 200
    shown = response.json()
    assert shown["kind"] == "http"
    assert shown["method"] == "GET"
    assert shown["url"] == f"{upstream.base_url}/customers/c%2042"
    assert shown["headers"] == {"X-Api-Key": "********"}
    assert shown["guard"]["allowed"] is True
    assert upstream.received == []
    assert_no_secret(response.text)


async def test_execute_calls_the_upstream_and_scrubs_what_it_echoes(
    bound: Api, upstream: Upstream
) -> None:
    response = await bound.client.post(
        EXECUTE, json=run(id="c42"), headers=bearer(user_token("u1"))
    )

    assert response.status_code == 200
    result = response.json()
    assert result["ok"] is True
    assert result["status"] == "ok"
    assert [received.path for received in upstream.received] == ["/customers/c42"]
    assert upstream.received[0].header("X-Api-Key") == CANARY
    assert "customers/c42" in result["output"]
    assert_no_secret(response.text)


async def test_bad_arguments_are_a_422_naming_the_field_and_nothing_is_sent(
    bound: Api, upstream: Upstream
) -> None:
    headers = bearer(user_token("u1"))

    rendered = await bound.client.post(RENDER, json=run(), headers=headers)
    executed = await bound.client.post(EXECUTE, json=run(), headers=headers)

    assert rendered.status_code == 422
    assert "id" in rendered.json()["detail"] + str(rendered.json()["errors"])
    assert executed.json()["ok"] is False
    assert executed.json()["status"] == "invalid_argument"
    assert upstream.received == []


async def test_an_unknown_function_is_a_404_listing_what_the_tool_offers(bound: Api) -> None:
    response = await bound.client.post(RENDER, json=run("nope"), headers=bearer(user_token("u1")))

    assert response.status_code == 404
    assert "lookup" in response.json()["detail"]


async def test_executing_needs_its_own_scope_and_rendering_does_not(
    bound: Api, upstream: Upstream
) -> None:
    writer = await bound.as_key("tools:write")
    executor = await bound.as_key("tools:execute")

    assert (await bound.client.post(RENDER, json=run(id="1"), headers=writer)).status_code == 200
    refused = await bound.client.post(EXECUTE, json=run(id="1"), headers=writer)
    allowed = await bound.client.post(EXECUTE, json=run(id="1"), headers=executor)

    assert refused.status_code == 403
    assert "tools:execute" in refused.json()["detail"]
    assert allowed.json()["ok"] is True
    assert len(upstream.received) == 1


async def test_a_user_cannot_test_with_another_owners_agent(bound: Api, upstream: Upstream) -> None:
    stranger = bearer(user_token("u2"))

    for path in (RENDER, EXECUTE):
        response = await bound.client.post(path, json=run(id="1"), headers=stranger)
        assert response.status_code == 404
    assert upstream.received == []
