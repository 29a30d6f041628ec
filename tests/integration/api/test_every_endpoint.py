"""Every endpoint refuses a request without a credential (health and the docs aside), and the
OpenAPI document the app serves is the committed one (docs/openapi.json)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.integration.api.conftest import Api

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
OPEN = {"/api/v1/health"}
"""The only operation that answers without a credential (the docs page and its files too)."""


def routes() -> list[tuple[str, str]]:
    """Every operation of the app's OpenAPI document (every endpoint it serves)."""
    paths = create_app(Container()).openapi()["paths"]
    return sorted(
        (method.upper(), path)
        for path, item in paths.items()
        if path not in OPEN
        for method in item
    )


@pytest.mark.parametrize(("method", "path"), routes())
async def test_the_endpoint_refuses_a_request_without_a_credential(
    api: Api, method: str, path: str
) -> None:
    url = re.sub(r"\{[^}]+\}", "x", path).removeprefix("/api/v1")

    response = await api.client.request(method, url, json={})

    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_health_and_the_docs_need_no_credential(api: Api) -> None:
    docs = await api.client.get("/docs")
    asset = await api.client.get("/docs/assets/swagger-ui-bundle.js")

    assert (await api.client.get("/health")).status_code == 200
    assert docs.status_code == 200
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert asset.status_code == 200


async def test_the_served_openapi_document_is_the_committed_one(api: Api) -> None:
    served = (await api.client.get("/openapi.json")).json()

    assert served == json.loads(COMMITTED.read_text()), (
        "the API changed: run `python scripts/openapi.py` and commit docs/openapi.json"
    )
