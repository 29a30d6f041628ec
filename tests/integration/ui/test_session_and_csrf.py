"""Pages refuse without a session, sign-in sets a safe cookie, CSRF is enforced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from application.policies import HandlerPolicy
from tests.builders import platform_container
from tests.integration.ui.admin_app import ADMIN_KEY, admin_app

PAGES = ("/admin", "/admin/tools", "/admin/tools-new", "/admin/agents", "/admin/tools/x")


@pytest.fixture
def client() -> Iterator[TestClient]:
    container = platform_container(HandlerPolicy(("tests.handlers",)), 5.0)
    with TestClient(admin_app(container), follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient) -> str:
    response = client.post("/admin/login", data={"credential": ADMIN_KEY})
    assert response.status_code == 303
    page = client.get("/admin/tools")
    marker = '"X-CSRF-Token": "'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_without_a_session_sends_to_the_login_page(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"


def test_an_htmx_request_without_a_session_is_told_where_to_sign_in(client: TestClient) -> None:
    response = client.post(
        "/admin/tools-lint", data={"document": "{}"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/admin/login"


def test_the_login_page_needs_no_session(client: TestClient) -> None:
    assert client.get("/admin/login").status_code == 200


def test_a_refused_credential_sets_no_cookie(client: TestClient) -> None:
    response = client.post("/admin/login", data={"credential": "wrong"})
    assert response.status_code == 401
    assert "set-cookie" not in response.headers
    assert "refused" in response.text


def test_the_session_cookie_is_httponly_samesite_and_signed(client: TestClient) -> None:
    response = client.post("/admin/login", data={"credential": ADMIN_KEY})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert ADMIN_KEY not in cookie
    client.cookies.clear()
    client.cookies.set("tool_platform_session", "forged.value.here")
    assert client.get("/admin/tools").status_code == 303


def test_a_state_changing_request_without_the_csrf_token_is_refused(client: TestClient) -> None:
    token = sign_in(client)
    document = '{"name": "t"}'
    assert client.post("/admin/tools-lint", data={"document": document}).status_code == 403
    wrong = {"X-CSRF-Token": "not-the-token"}
    assert (
        client.post("/admin/tools-lint", data={"document": document}, headers=wrong).status_code
        == 403
    )
    right = {"X-CSRF-Token": token}
    assert (
        client.post("/admin/tools-lint", data={"document": document}, headers=right).status_code
        == 200
    )
    field = {"document": document, "csrf_token": token}
    assert client.post("/admin/tools-lint", data=field).status_code == 200


def test_sign_out_needs_the_csrf_token_and_ends_the_session(client: TestClient) -> None:
    token = sign_in(client)
    assert client.post("/admin/logout").status_code == 403
    response = client.post("/admin/logout", data={"csrf_token": token})
    assert response.status_code == 303
    client.cookies.clear()
    assert client.get("/admin/tools").status_code == 303


def test_what_does_not_exist_answers_404_with_the_reason(client: TestClient) -> None:
    token = {"X-CSRF-Token": sign_in(client)}
    assert "does not exist" in client.get("/admin/tools/nothing").text
    assert client.get("/admin/tools/nothing").status_code == 404
    assert client.get("/admin/agents/nobody").status_code == 404
    assert client.get("/admin/tools/nothing/diff?a=1&b=2").status_code == 404
    for path in ("enabled", "config", "secrets/api_key", "secrets/api_key/clear"):
        response = client.post(f"/admin/agents/nobody/bindings/weather/{path}", headers=token)
        assert response.status_code == 404, path


def test_text_from_a_document_is_escaped_in_pages(client: TestClient) -> None:
    token = {"X-CSRF-Token": sign_in(client)}
    document = '{"name": "x", "description": "<script>alert(1)</script>"}'
    response = client.post("/admin/tools-lint", data={"document": document}, headers=token)
    assert "<script>alert" not in response.text
    listing = client.post(
        "/admin/tools-builder",
        data={"document": document, "op": "add_function", "name": "<b>f</b>"},
        headers=token,
    )
    assert "<b>f</b>" not in listing.text
    assert "&lt;b&gt;f&lt;/b&gt;" in listing.text
