"""The catalog over the API: list with filters and a cursor, ETag and conditional PUT, delete."""

from __future__ import annotations

from typing import Any

from tests.builders import http_tool_document, python_tool_document
from tests.integration.api.conftest import Api, bearer, user_token

HANDLERS = {"get_forecast": "echo"}


def weather(description: str = "Weather for tests.") -> dict[str, Any]:
    return python_tool_document("weather", HANDLERS) | {"description": description}


async def test_put_creates_then_replaces_and_get_gives_the_etag(api: Api) -> None:
    writer = await api.as_key("tools:write")

    created = await api.client.put("/tools/weather", json=weather(), headers=writer)
    replaced = await api.client.put("/tools/weather", json=weather("Changed."), headers=writer)
    same = await api.client.put("/tools/weather", json=weather("Changed."), headers=writer)

    assert created.status_code == 201
    assert (replaced.status_code, replaced.json()["version"]) == (200, 2)
    assert (same.json()["changed"], same.json()["version"]) == (False, 2)
    shown = await api.client.get("/tools/weather", headers=writer)
    assert shown.json()["description"] == "Changed."
    assert shown.headers["etag"] == replaced.headers["etag"] == f'"{shown.json()["fingerprint"]}"'


async def test_if_match_replaces_only_the_version_read(api: Api) -> None:
    writer = await api.as_key("tools:write")
    await api.client.put("/tools/weather", json=weather(), headers=writer)
    tag = (await api.client.get("/tools/weather", headers=writer)).headers["etag"]

    first = await api.client.put(
        "/tools/weather", json=weather("Tab one."), headers=writer | {"If-Match": tag}
    )
    second = await api.client.put(
        "/tools/weather", json=weather("Tab two."), headers=writer | {"If-Match": tag}
    )

    assert first.status_code == 200
    assert second.status_code == 412
    assert second.headers["content-type"] == "application/problem+json"
    assert "changed since it was read" in second.json()["detail"]
    stored = await api.client.get("/tools/weather", headers=writer)
    assert stored.json()["description"] == "Tab one."


async def test_if_none_match_star_creates_only(api: Api) -> None:
    writer = await api.as_key("tools:write")
    create_only = writer | {"If-None-Match": "*"}

    assert (
        await api.client.put("/tools/weather", json=weather(), headers=create_only)
    ).status_code == 201
    again = await api.client.put("/tools/weather", json=weather("New."), headers=create_only)

    assert again.status_code == 412
    assert "already exists" in again.json()["detail"]


async def test_a_document_naming_another_tool_is_a_422_with_its_path(api: Api) -> None:
    writer = await api.as_key("tools:write")

    response = await api.client.put("/tools/other", json=weather(), headers=writer)

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "name"


async def test_an_invalid_document_is_a_422_listing_json_paths(api: Api) -> None:
    writer = await api.as_key("tools:write")
    document = weather()
    document["tool_functions_schema"]["functions"][0]["parameters"] = {"type": "strng"}

    response = await api.client.put("/tools/weather", json=document, headers=writer)

    assert response.status_code == 422
    paths = [error["path"] for error in response.json()["errors"]]
    assert any(path.startswith("tool_functions_schema.functions[0]") for path in paths)


async def test_delete_is_refused_with_409_naming_the_agents_while_bound(api: Api) -> None:
    writer = await api.as_key("tools:write")
    await api.client.put("/tools/weather", json=weather(), headers=writer)
    await api.container.agents().create("front-desk")
    await api.container.bindings().bind("front-desk", "weather")

    refused = await api.client.delete("/tools/weather", headers=writer)

    assert refused.status_code == 409
    assert "front-desk" in refused.json()["detail"]
    await api.container.bindings().unbind("front-desk", "weather")
    assert (await api.client.delete("/tools/weather", headers=writer)).status_code == 204
    assert (await api.client.get("/tools/weather", headers=writer)).status_code == 404


async def test_listing_filters_and_pages_with_a_cursor(api: Api) -> None:
    for name in ("alpha", "bravo", "charlie"):
        await api.container.tools().define(python_tool_document(name, HANDLERS))
    await api.container.tools().define(http_tool_document("delta"))
    reader = bearer(user_token("user-1"))

    first = (await api.client.get("/tools?limit=2", headers=reader)).json()
    rest = (
        await api.client.get(f"/tools?limit=2&cursor={first['next_cursor']}", headers=reader)
    ).json()
    http_only = (await api.client.get("/tools?kind=http", headers=reader)).json()
    searched = (await api.client.get("/tools?q=CHAR", headers=reader)).json()

    assert [t["name"] for t in first["items"]] == ["alpha", "bravo"]
    assert [t["name"] for t in rest["items"]] == ["charlie", "delta"]
    assert rest["next_cursor"] is None
    assert [t["name"] for t in http_only["items"]] == ["delta"]
    assert [t["name"] for t in searched["items"]] == ["charlie"]
    after_a_gone_tool = await api.client.get("/tools?cursor=bz", headers=reader)
    assert [t["name"] for t in after_a_gone_tool.json()["items"]] == ["charlie", "delta"]


async def test_versions_and_the_diff_between_two(api: Api) -> None:
    await api.container.tools().define(weather("One."))
    await api.container.tools().define(weather("Two."))
    reader = await api.as_key("calls:read")

    versions = (await api.client.get("/tools/weather/versions", headers=reader)).json()
    first = (await api.client.get("/tools/weather/versions/1", headers=reader)).json()
    diff = (await api.client.get("/tools/weather/diff?from=1&to=2", headers=reader)).json()

    assert [v["version"] for v in versions] == [1, 2]
    assert first["description"] == "One."
    assert diff["changes"] == [
        {"path": "description", "kind": "changed", "before": "One.", "after": "Two."}
    ]
    missing = await api.client.get("/tools/weather/diff?from=1&to=9", headers=reader)
    assert missing.status_code == 404


async def test_writing_tools_needs_the_scope_and_users_never_write(api: Api) -> None:
    agents_only = await api.as_key("agents:write")
    user = bearer(user_token("user-1"))

    for headers in (agents_only, user):
        response = await api.client.put("/tools/weather", json=weather(), headers=headers)
        assert response.status_code == 403
        assert (await api.client.delete("/tools/weather", headers=headers)).status_code == 403
    assert (await api.client.get("/tools/weather", headers=user)).status_code == 404


async def test_validate_saves_nothing_and_gives_errors_or_the_lint(api: Api) -> None:
    reader = await api.as_key("tools:write")
    broken = weather()
    broken["tool_functions_schema"]["functions"][0]["parameters"] = {"type": "strng"}

    bad = (await api.client.post("/tools:validate", json=broken, headers=reader)).json()
    good = (await api.client.post("/tools:validate", json=weather(), headers=reader)).json()

    assert bad["valid"] is False
    assert bad["errors"][0]["path"].startswith("tool_functions_schema.functions[0]")
    assert good["valid"] is True
    assert good["target"] == "Gemini realtime"
    [function] = good["functions"]
    assert function["name"] == "get_forecast"
    assert function["accepted"] is True
    assert function["offered_schema"]["name"] == "get_forecast"
    assert (await api.client.get("/tools", headers=reader)).json()["items"] == []
