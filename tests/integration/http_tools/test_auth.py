"""Basic and OAuth 2.0 client-credentials auth, against a token endpoint that counts."""

from __future__ import annotations

import asyncio
import base64
import logging
from typing import Any

import pytest

from tests.builders import error_of
from tests.integration.http_tools.conftest import HttpTools, http_document, string_parameters
from tests.integration.http_tools.upstream import Reply, Upstream


def oauth_document(upstream: Upstream, **auth_config: Any) -> dict[str, Any]:
    return http_document(
        {"url": f"{upstream.base_url}/secure/data"},
        string_parameters(),
        auth_type="oauth2_client_credentials",
        auth_config={"token_url": f"{upstream.base_url}/token", **auth_config},
        secret_names=["client_id", "client_secret"],
    )


OAUTH_SECRETS = {"client_id": "app-1", "client_secret": "s3cr3t-client"}


async def test_basic_auth_sends_the_username_and_password(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = http_document(
        {"url": f"{upstream.base_url}/basic"},
        string_parameters(),
        auth_type="basic",
        secret_names=["username", "password"],
    )

    result = await tools.call(document, {}, secrets={"username": "ana", "password": "pa:ss"})

    assert result.ok, result.output
    sent = upstream.received[0].header("Authorization")
    assert sent == "Basic " + base64.b64encode(b"ana:pa:ss").decode()


async def test_an_oauth_token_is_fetched_once_and_cached_for_the_binding(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = oauth_document(upstream, scopes=["read", "write"], audience="https://api")

    async with await tools.session(document, secrets=OAUTH_SECRETS) as session:
        results = await asyncio.gather(
            *(session.call("lookup", {}, call_id=f"c{i}") for i in range(3))
        )

    assert all(result.ok for result in results), results
    [token_request] = upstream.token_requests
    expected = base64.b64encode(b"app-1:s3cr3t-client").decode()
    assert token_request.header("Authorization") == f"Basic {expected}"
    assert token_request.body == (
        b"grant_type=client_credentials&scope=read+write&audience=https%3A%2F%2Fapi"
    )
    assert {r.header("Authorization") for r in upstream.received} == {"Bearer token-1"}


async def test_an_oauth_token_is_fetched_again_shortly_before_it_expires(
    tools: HttpTools, upstream: Upstream
) -> None:
    upstream.token_lifetime = 30.2  # renewed 30 seconds early: usable for 0.2 s

    async with await tools.session(oauth_document(upstream), secrets=OAUTH_SECRETS) as session:
        first = await session.call("lookup", {}, call_id="c1")
        cached = await session.call("lookup", {}, call_id="c2")
        await asyncio.sleep(0.3)
        renewed = await session.call("lookup", {}, call_id="c3")

    assert (first.ok, cached.ok, renewed.ok) == (True, True, True)
    assert len(upstream.token_requests) == 2
    assert [r.header("Authorization") for r in upstream.received] == [
        "Bearer token-1",
        "Bearer token-1",
        "Bearer token-2",
    ]


async def test_a_401_refreshes_the_token_once_and_repeats_the_call(
    tools: HttpTools, upstream: Upstream
) -> None:
    async with await tools.session(oauth_document(upstream), secrets=OAUTH_SECRETS) as session:
        first = await session.call("lookup", {}, call_id="c1")
        upstream.valid_tokens.clear()  # the provider revoked token-1
        second = await session.call("lookup", {}, call_id="c2")

    assert (first.ok, second.ok) == (True, True)
    assert len(upstream.token_requests) == 2
    assert [r.header("Authorization") for r in upstream.received] == [
        "Bearer token-1",
        "Bearer token-1",
        "Bearer token-2",
    ]


async def test_a_401_to_a_fresh_token_is_told_after_one_refresh(
    tools: HttpTools, upstream: Upstream
) -> None:
    upstream.refuse_every_token = True

    result = await tools.call(oauth_document(upstream), {}, secrets=OAUTH_SECRETS)

    assert not result.ok
    assert error_of(result.output).startswith("lookup: the service refused the request (HTTP 401)")
    assert len(upstream.token_requests) == 2
    assert len(upstream.received) == 2


async def test_a_token_endpoint_without_a_token_is_told_and_the_api_gets_nothing(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = oauth_document(upstream)
    document["auth_config"]["token_url"] = f"{upstream.base_url}/echo"

    result = await tools.call(document, {}, secrets=OAUTH_SECRETS)

    assert (result.ok, error_of(result.output)) == (
        False,
        "the token endpoint answered without an access_token",
    )
    assert [received.path for received in upstream.received] == ["/echo"]


async def test_a_redirect_to_another_origin_carries_neither_secret_nor_auth_headers(
    tools: HttpTools, upstream: Upstream
) -> None:
    async with Upstream() as elsewhere:
        upstream.reply(Reply(status=307, headers={"Location": f"{elsewhere.base_url}/moved"}))
        document = http_document(
            {
                "url": f"{upstream.base_url}/basic",
                "headers": {"X-Api-Key": "{secrets.api_key}", "X-Trace": "t-1"},
            },
            string_parameters(),
            auth_type="basic",
            secret_names=["username", "password", "api_key"],
        )
        secrets = {"username": "ana", "password": "pw", "api_key": "key-1"}

        result = await tools.call(document, {}, secrets=secrets)

        assert result.ok, result.output
        [first] = upstream.received
        [moved] = elsewhere.received
    assert first.header("X-Api-Key") == "key-1"
    assert first.header("Authorization") is not None
    assert moved.path == "/moved"
    assert moved.header("X-Trace") == "t-1"
    assert moved.header("X-Api-Key") is None
    assert moved.header("Authorization") is None


async def test_neither_client_secret_nor_token_is_logged_or_shown_at_debug(
    tools: HttpTools, upstream: Upstream, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    upstream.reply(Reply(status=400, body={"error": "echo: Bearer token-1"}))

    async with await tools.session(oauth_document(upstream), secrets=OAUTH_SECRETS) as session:
        refused = await session.call("lookup", {}, call_id="c1")
        echoed = await session.call("lookup", {}, call_id="c2")  # the upstream echoes headers

    assert "token-1" not in refused.output
    assert "token-1" not in echoed.output
    assert "Bearer ********" in echoed.output
    assert "token-1" not in repr(session)
    for record in caplog.records:
        text = f"{record.getMessage()} {record.args}"
        assert "token-1" not in text
        assert "s3cr3t-client" not in text
