"""Sign-in, sessions, CSRF and permissions of the admin UI, in process (no browser)."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from entrypoints.api.app import create_app
from entrypoints.container import Container
from entrypoints.web.context import HTMX_FILE
from tests.builders import http_tool_document, python_tool_document
from tests.integration.api.conftest import user_token
from tests.integration.ui.admin_app import new_key, ui_container

HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
"""htmx 2.0.11's dist/htmx.min.js from the htmx.org npm package (docs/ui.md)."""

PAGES = ("/admin", "/admin/tools", "/admin/tools-new", "/admin/agents", "/admin/tools/x")


class Ui:
    """A test client of the app, and a way to call the container's services."""

    def __init__(self, client: TestClient, container: Container) -> None:
        self.client = client
        self.container = container

    def run(self, work: Any) -> Any:
        """Await ``work(container)`` on the app's event loop."""

        async def call() -> Any:
            return await work(self.container)

        assert self.client.portal is not None
        return self.client.portal.call(call)

    def sign_in(self, credential: str | None = None) -> dict[str, str]:
        """Sign in (an admin key by default); the CSRF header of the session."""
        credential = credential or self.run(new_key)
        response = self.client.post("/admin/login", data={"credential": credential})
        assert response.status_code == 303, response.text
        page = self.client.get("/admin/tools")
        marker = '"X-CSRF-Token": "'
        start = page.text.index(marker) + len(marker)
        return {"X-CSRF-Token": page.text[start : page.text.index('"', start)]}


@pytest.fixture
def ui() -> Iterator[Ui]:
    container = ui_container()
    with TestClient(create_app(container), follow_redirects=False) as client:
        yield Ui(client, container)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_without_a_session_sends_to_the_login_page(ui: Ui, path: str) -> None:
    response = ui.client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"


def test_an_htmx_request_without_a_session_is_told_where_to_sign_in(ui: Ui) -> None:
    response = ui.client.post(
        "/admin/tools-lint", data={"document": "{}"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/admin/login"


def test_the_login_page_needs_no_session(ui: Ui) -> None:
    assert ui.client.get("/admin/login").status_code == 200


@pytest.mark.parametrize("credential", ["", "wrong", "tpk_unknown_key", "x" * 20_000])
def test_a_refused_credential_sets_no_cookie(ui: Ui, credential: str) -> None:
    response = ui.client.post("/admin/login", data={"credential": credential})
    assert response.status_code == 401
    assert "set-cookie" not in response.headers
    assert "refused" in response.text


def test_the_session_cookie_is_httponly_samesite_and_holds_no_credential(ui: Ui) -> None:
    key = ui.run(new_key)
    response = ui.client.post("/admin/login", data={"credential": key})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/admin" in cookie
    assert key not in cookie
    ui.client.cookies.clear()
    ui.client.cookies.set("tool_platform_session", "forged.value.here")
    assert ui.client.get("/admin/tools").status_code == 303


def test_a_state_changing_request_without_the_csrf_token_is_refused(ui: Ui) -> None:
    token = ui.sign_in()
    data = {"document": '{"name": "t"}'}
    assert ui.client.post("/admin/tools-lint", data=data).status_code == 403
    wrong = {"X-CSRF-Token": "not-the-token"}
    assert ui.client.post("/admin/tools-lint", data=data, headers=wrong).status_code == 403
    assert ui.client.post("/admin/tools-lint", data=data, headers=token).status_code == 200
    field = {**data, "csrf_token": token["X-CSRF-Token"]}
    assert ui.client.post("/admin/tools-lint", data=field).status_code == 200


def test_a_save_without_the_csrf_token_stores_nothing(ui: Ui) -> None:
    ui.sign_in()
    document = '{"name": "weather"}'
    response = ui.client.post("/admin/tools-save", data={"document": document, "base": ""})
    assert response.status_code == 403
    assert ui.run(lambda c: c.catalog_overview().entries()) == []


def test_sign_out_needs_the_csrf_token_and_ends_the_session_on_the_server(ui: Ui) -> None:
    token = ui.sign_in()
    cookie = ui.client.cookies.get("tool_platform_session")
    assert ui.client.post("/admin/logout").status_code == 403
    assert ui.client.post("/admin/logout", headers=token).status_code == 303
    ui.client.cookies.set("tool_platform_session", cookie or "")
    assert ui.client.get("/admin/tools").status_code == 303


def test_revoking_the_key_ends_its_sessions(ui: Ui) -> None:
    key = ui.run(new_key)
    ui.sign_in(key)
    assert ui.client.get("/admin/tools").status_code == 200
    names = [k.name for k in ui.run(lambda c: c.api_keys().list_all())]
    ui.run(lambda c: c.api_keys().revoke(names[-1]))
    assert ui.client.get("/admin/tools").status_code == 303


def test_what_does_not_exist_answers_404_with_the_reason(ui: Ui) -> None:
    token = ui.sign_in()
    assert ui.client.get("/admin/tools/nothing").status_code == 404
    assert "does not exist" in ui.client.get("/admin/tools/nothing").text
    assert ui.client.get("/admin/agents/nobody").status_code == 404
    assert ui.client.get("/admin/tools/nothing/diff?a=1&b=2").status_code == 404
    for path in ("enabled", "config", "secrets/api_key", "secrets/api_key/clear"):
        response = ui.client.post(f"/admin/agents/nobody/bindings/weather/{path}", headers=token)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]


def test_text_from_a_document_is_escaped_in_pages(ui: Ui) -> None:
    token = ui.sign_in()
    document = '{"name": "x", "description": "<script>alert(1)</script>"}'
    listing = ui.client.post(
        "/admin/tools-builder",
        data={"document": document, "op": "add_function", "name": "<b>f</b>"},
        headers=token,
    )
    assert "<b>f</b>" not in listing.text
    assert "&lt;b&gt;f&lt;/b&gt;" in listing.text
    assert "<script>alert" not in listing.text


def test_a_key_without_tools_write_may_read_the_catalog_but_not_save(ui: Ui) -> None:
    token = ui.sign_in(ui.run(lambda c: new_key(c, "calls:read")))
    assert ui.client.get("/admin/tools").status_code == 200
    document = '{"name": "weather"}'
    response = ui.client.post(
        "/admin/tools-save", data={"document": document, "base": ""}, headers=token
    )
    assert response.status_code == 403
    assert "tools:write" in response.text
    assert ui.client.get("/admin/agents").status_code == 403


def test_a_user_sees_and_manages_only_the_agents_they_own(ui: Ui) -> None:
    async def seed(container: Container) -> str:
        await container.tools().define(http_tool_document("weather"))
        mine = await container.agents().create("mine", owner_id="user-1")
        await container.agents().create("theirs", owner_id="user-2")
        await container.bindings().bind("theirs", "weather")
        return mine.id

    ui.run(seed)
    token = ui.sign_in(user_token("user-1"))
    listing = ui.client.get("/admin/agents").text
    assert "mine" in listing
    assert "theirs" not in listing
    assert ui.client.get("/admin/agents/mine").status_code == 200
    other = ui.client.get("/admin/agents/theirs")
    assert other.status_code == 404
    assert "no agent has the id or name 'theirs'" in html.unescape(other.text)
    toggle = ui.client.post(
        "/admin/agents/theirs/bindings/weather/enabled", data={"enabled": "false"}, headers=token
    )
    assert toggle.status_code == 404
    assert ui.run(lambda c: c.agents().show("theirs")).bindings[0].enabled
    test_tab = ui.client.get("/admin/tools/weather/test-form")
    assert "theirs" not in test_tab.text
    render = ui.client.post(
        "/admin/tools/weather/test/render",
        data={"agent": "theirs", "function": "get_forecast", "arguments.text": "x"},
        headers=token,
    )
    assert "no agent has the id or name 'theirs'" in html.unescape(render.text)
    assert "api.example.com" not in render.text
    assert (
        ui.client.post(
            "/admin/tools-save", data={"document": "{}", "base": ""}, headers=token
        ).status_code
        == 403
    )


def test_a_user_reads_only_their_own_agents_calls(ui: Ui) -> None:
    async def seed(container: Container) -> list[str]:
        await container.tools().define(python_tool_document("echoes", {"echo": "echo"}))
        for name, owner in (("mine", "user-1"), ("theirs", "user-2")):
            await container.agents().create(name, owner_id=owner)
            await container.bindings().bind(name, "echoes")
            await container.test_runs().execute(name, "echo", {"text": f"from {name}"})
        await container.audit_writer().flush()
        return [record.id for record in await container.call_audit().list()]

    newest, oldest = ui.run(seed)
    ui.sign_in(user_token("user-1"))
    listing = ui.client.get("/admin/calls")
    assert listing.status_code == 200
    assert oldest in listing.text
    assert newest not in listing.text
    assert ui.client.get(f"/admin/calls/{oldest}").status_code == 200
    assert ui.client.get(f"/admin/calls/{newest}").status_code == 404
    assert "no agent has the id or name" in html.unescape(
        ui.client.get("/admin/calls?agent=theirs").text
    )


def test_pages_load_one_script_the_vendored_pinned_htmx(ui: Ui) -> None:
    ui.sign_in()
    page = ui.client.get("/admin/tools").text
    assert page.count("<script") == 1
    assert f'<script src="/admin/static/{HTMX_FILE}"></script>' in page
    served = ui.client.get(f"/admin/static/{HTMX_FILE}")
    assert served.status_code == 200
    assert hashlib.sha256(served.content).hexdigest() == HTMX_SHA256


def test_a_sign_in_posted_from_another_site_is_refused(ui: Ui) -> None:
    key = ui.run(new_key)
    for origin in ("https://evil.example", "null"):
        response = ui.client.post(
            "/admin/login", data={"credential": key}, headers={"Origin": origin}
        )
        assert response.status_code == 403
        assert "set-cookie" not in response.headers
    same = ui.client.post(
        "/admin/login", data={"credential": key}, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 303
