"""Agents, bindings and secrets over the API: owner isolation, config paths, write-only secrets."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import CANARY, assert_no_secret, python_tool_document
from tests.integration.api.conftest import Api, bearer, user_token

WEATHER_CONFIG = {
    "type": "object",
    "properties": {
        "units": {"type": "string", "enum": ["metric", "imperial"], "default": "metric"},
        "city": {"type": "string"},
    },
    "required": ["city"],
}


def weather() -> dict[str, Any]:
    return python_tool_document(
        "weather",
        {"get_forecast": "echo"},
        config_schema=WEATHER_CONFIG,
        secret_names=("api_key",),
    )


@pytest.fixture
async def catalog(api: Api) -> Api:
    await api.container.tools().define(weather())
    return api


def owner(user_id: str) -> dict[str, str]:
    return bearer(user_token(user_id))


async def test_a_user_creates_agents_they_own_and_sees_only_those(catalog: Api) -> None:
    api = catalog
    mine = await api.client.post("/agents", json={"name": "mine"}, headers=owner("u1"))
    await api.client.post("/agents", json={"name": "theirs"}, headers=owner("u2"))

    listed = await api.client.get("/agents", headers=owner("u1"))

    assert mine.status_code == 201
    assert mine.json()["owner_id"] == "u1"
    assert [agent["name"] for agent in listed.json()] == ["mine"]
    admin = await api.as_key("agents:write")
    everyone = await api.client.get("/agents", headers=admin)
    assert [agent["name"] for agent in everyone.json()] == ["mine", "theirs"]


async def test_an_owner_cannot_read_or_change_another_owners_agent(catalog: Api) -> None:
    api = catalog
    await api.client.post("/agents", json={"name": "theirs"}, headers=owner("u2"))
    stranger = owner("u1")

    for method, path, body in [
        ("GET", "/agents/theirs", None),
        ("PATCH", "/agents/theirs", {"instructions": "x"}),
        ("DELETE", "/agents/theirs", None),
        ("GET", "/agents/theirs/toolset", None),
        ("GET", "/agents/theirs/bindings", None),
        ("PUT", "/agents/theirs/bindings/weather", {"config": {"city": "Oslo"}}),
        ("GET", "/agents/theirs/bindings/weather/secrets", None),
        ("PUT", "/agents/theirs/bindings/weather/secrets/api_key", {"value": "x"}),
    ]:
        response = await api.client.request(method, path, json=body, headers=stranger)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["detail"] == "no agent has the id or name 'theirs'"
    assert (await api.client.get("/agents/theirs", headers=owner("u2"))).status_code == 200


async def test_a_user_cannot_create_an_agent_for_someone_else(catalog: Api) -> None:
    response = await catalog.client.post(
        "/agents", json={"name": "x", "owner_id": "u2"}, headers=owner("u1")
    )

    assert response.status_code == 403
    assert (await catalog.client.get("/agents", headers=owner("u2"))).json() == []


async def test_agents_need_the_agents_write_scope(catalog: Api) -> None:
    tools_only = await catalog.as_key("tools:write")

    response = await catalog.client.post("/agents", json={"name": "x"}, headers=tools_only)

    assert response.status_code == 403
    assert "agents:write" in response.json()["detail"]


async def test_a_binding_config_is_validated_with_field_paths(catalog: Api) -> None:
    api = catalog
    headers = owner("u1")
    await api.client.post("/agents", json={"name": "desk"}, headers=headers)

    refused = await api.client.put(
        "/agents/desk/bindings/weather",
        json={"config": {"units": "kelvin"}, "secrets": {"api_key": CANARY}},
        headers=headers,
    )

    assert refused.status_code == 422
    paths = sorted(error["path"] for error in refused.json()["errors"])
    assert paths == ["city", "units"]
    assert (await api.client.get("/agents/desk/bindings", headers=headers)).json() == []


async def test_bind_configure_and_toggle_a_binding(catalog: Api) -> None:
    api = catalog
    headers = owner("u1")
    await api.client.post("/agents", json={"name": "desk"}, headers=headers)

    created = await api.client.put(
        "/agents/desk/bindings/weather",
        json={"config": {"city": "Oslo"}, "secrets": {"api_key": CANARY}},
        headers=headers,
    )
    changed = await api.client.put(
        "/agents/desk/bindings/weather",
        json={"config": {"city": "Bergen", "units": "imperial"}},
        headers=headers,
    )
    disabled = await api.client.patch(
        "/agents/desk/bindings/weather", json={"enabled": False}, headers=headers
    )

    assert created.status_code == 201
    assert created.json()["secret_names"] == ["api_key"]
    assert changed.status_code == 200
    assert changed.json()["config"] == {"city": "Bergen", "units": "imperial"}
    assert disabled.json()["enabled"] is False
    toolset = (await api.client.get("/agents/desk/toolset", headers=headers)).json()
    assert toolset["functions"] == []
    assert toolset["left_out"][0]["reason"] == "the binding is disabled"
    assert (
        await api.client.delete("/agents/desk/bindings/weather", headers=headers)
    ).status_code == 204


async def test_secrets_are_write_only_with_set_and_updated_at(catalog: Api) -> None:
    api = catalog
    headers = owner("u1")
    await api.client.post("/agents", json={"name": "desk"}, headers=headers)
    bound = await api.client.put(
        "/agents/desk/bindings/weather",
        json={"config": {"city": "Oslo"}, "secrets": {"api_key": CANARY}},
        headers=headers,
    )
    first = (await api.client.get("/agents/desk/bindings/weather/secrets", headers=headers)).json()

    replaced = await api.client.put(
        "/agents/desk/bindings/weather/secrets/api_key",
        json={"value": CANARY + "-2"},
        headers=headers,
    )
    second = (await api.client.get("/agents/desk/bindings/weather/secrets", headers=headers)).json()
    required = await api.client.delete(
        "/agents/desk/bindings/weather/secrets/api_key", headers=headers
    )
    unknown = await api.client.put(
        "/agents/desk/bindings/weather/secrets/other", json={"value": "x"}, headers=headers
    )

    assert first["api_key"]["set"] is True
    assert first["api_key"]["required"] is True
    assert first["api_key"]["updated_at"] is not None
    assert replaced.status_code == 204
    assert second["api_key"]["updated_at"] >= first["api_key"]["updated_at"]
    assert required.status_code == 422
    assert unknown.status_code == 422
    everything = [bound.text, replaced.text, required.text, unknown.text]
    for path in ("/agents/desk", "/agents/desk/bindings", "/agents/desk/toolset"):
        everything.append((await api.client.get(path, headers=headers)).text)
    assert_no_secret("\n".join(everything))


async def test_update_and_delete_an_agent(catalog: Api) -> None:
    api = catalog
    headers = await api.as_key("agents:write")
    await api.client.post("/agents", json={"name": "desk", "owner_id": "u9"}, headers=headers)

    updated = await api.client.patch(
        "/agents/desk", json={"instructions": "Be brief.", "voice": "Puck"}, headers=headers
    )
    deleted = await api.client.delete("/agents/desk", headers=headers)

    assert updated.json()["instructions"] == "Be brief."
    assert updated.json()["model"]["voice"] == "Puck"
    assert deleted.status_code == 204
    assert (await api.client.get("/agents/desk", headers=headers)).status_code == 404
