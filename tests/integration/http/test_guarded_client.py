"""What the guarded client does deliver, what ``decide`` says, and the operator's proxy."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import quote

import httpx
import pytest

from adapters.http.allowlist import OutboundAllowlist
from adapters.http.client import SENSITIVE_HEADERS
from adapters.http.guard import GuardDecision, OutboundGuard, OutboundRefused
from adapters.http.pool import HttpClientPool
from tests.builders import CANARY, assert_no_secret
from tests.integration.http.servers import RecordingServer, Redirector, ScriptedResolver

DNS = {
    "recorder.test": [["127.0.0.1"]],
    "redirector.test": [["127.0.0.1"]],
    "public.test": [["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]],
    "localhost": [["127.0.0.1"]],
}
SENSITIVE = {SENSITIVE_HEADERS: frozenset({"X-API-KEY"})}


def guard(
    *allow: str, strict: bool = False, resolver: ScriptedResolver | None = None
) -> OutboundGuard:
    return OutboundGuard(
        OutboundAllowlist.parse(allow), strict=strict, resolver=resolver or ScriptedResolver(DNS)
    )


async def test_an_admitted_name_is_resolved_once_and_its_connection_reused(
    recorder: RecordingServer,
) -> None:
    resolver = ScriptedResolver(DNS)
    pool = HttpClientPool(guard("recorder.test", resolver=resolver))
    try:
        for _ in range(3):
            response = await pool.client().get(f"http://recorder.test:{recorder.port}/", timeout=2)
            assert response.text == "recorded"
    finally:
        await pool.aclose()

    assert resolver.lookups == ["recorder.test"]
    assert [r.headers["Host"] for r in recorder.received] == [f"recorder.test:{recorder.port}"] * 3
    assert [r.headers.get("Cookie") for r in recorder.received] == [None] * 3  # none kept


async def test_a_same_origin_redirect_keeps_the_secret_headers(redirector: Redirector) -> None:
    pool = HttpClientPool(guard("redirector.test"))
    origin = f"http://redirector.test:{redirector.port}"
    target = quote(f"{origin}/to?url=/elsewhere", safe="")
    try:
        response = await pool.client().get(
            f"{origin}/to?url={target}",
            headers={"X-Api-Key": CANARY},
            extensions=SENSITIVE,
            timeout=2,
        )
    finally:
        await pool.aclose()

    assert response.status_code == 404  # /elsewhere: the second hop reached the server
    assert [r.headers.get("X-Api-Key") for r in redirector.received] == [CANARY, CANARY]


async def test_five_redirects_are_followed(
    redirector: Redirector, recorder: RecordingServer
) -> None:
    pool = HttpClientPool(guard("redirector.test", "recorder.test"))
    target = quote(f"http://recorder.test:{recorder.port}/end", safe="")
    try:
        response = await pool.client().get(
            f"http://redirector.test:{redirector.port}/chain/4?url={target}", timeout=2
        )
    finally:
        await pool.aclose()

    assert response.status_code == 200
    assert len(response.history) == 5
    assert [r.path for r in recorder.received] == ["/end"]


async def test_a_cross_origin_redirect_drops_only_the_headers_marked_sensitive(
    redirector: Redirector, recorder: RecordingServer
) -> None:
    pool = HttpClientPool(guard("redirector.test", "recorder.test"))
    target = quote(f"http://recorder.test:{recorder.port}/", safe="")
    try:
        await pool.client().post(
            f"http://redirector.test:{redirector.port}/to?status=307&url={target}",
            headers={"X-Api-Key": CANARY, "X-Trace": "kept"},
            json={"a": 1},
            extensions=SENSITIVE,
            timeout=2,
        )
    finally:
        await pool.aclose()

    (received,) = recorder.received
    assert received.method == "POST"
    assert received.headers["X-Trace"] == "kept"
    assert_no_secret(repr(received.headers))


async def test_an_admitted_name_is_admitted_whatever_it_resolves_to_in_strict_mode(
    recorder: RecordingServer,
) -> None:
    pool = HttpClientPool(guard("*.test", strict=True))
    try:
        response = await pool.client().get(f"http://recorder.test:{recorder.port}/", timeout=2)
    finally:
        await pool.aclose()

    assert response.status_code == 200


async def test_decide_says_what_would_happen_without_sending(recorder: RecordingServer) -> None:
    resolver = ScriptedResolver(DNS)
    checks = guard(resolver=resolver)
    port = recorder.port

    public = await checks.decide("https://public.test/v1/customers")
    local = await checks.decide(f"http://localhost:{port}/")
    spelled = await checks.decide(f"http://2130706433:{port}/")
    unknown = await checks.decide("https://nowhere.test/")
    scheme = await checks.decide("gopher://public.test/")
    invalid = await checks.decide("http://exa mple.com/")

    assert public == GuardDecision(
        True, "public.test resolves to 93.184.216.34, 2606:2800:220:1:248:1893:25c8:1946: allowed"
    )
    assert local == GuardDecision(False, "localhost resolves to 127.0.0.1, which is loopback")
    assert spelled == GuardDecision(False, "'2130706433' is a numeric spelling of an address")
    assert unknown == GuardDecision(False, "nowhere.test does not resolve")
    assert scheme.allowed is False
    assert "not http or https" in scheme.reason
    assert invalid.allowed is False
    assert recorder.received == []


async def test_decide_gives_up_on_a_resolver_that_hangs(monkeypatch: pytest.MonkeyPatch) -> None:
    class Hanging(ScriptedResolver):
        async def resolve(self, host: str, port: int) -> list:  # type: ignore[type-arg]
            await asyncio.sleep(60)
            return []

    monkeypatch.setattr("adapters.http.guard.DECIDE_TIMEOUT_SECONDS", 0.05)

    decision = await OutboundGuard(resolver=Hanging()).decide("https://slow.test/")

    assert decision == GuardDecision(False, "slow.test does not resolve")


async def test_a_refusal_logs_one_line_with_the_address_and_tells_the_llm_nothing_of_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pool = HttpClientPool(guard(resolver=ScriptedResolver({"intranet.test": [["10.9.8.7"]]})))
    caplog.set_level(logging.DEBUG, logger="adapters.http.guard")
    try:
        with pytest.raises(OutboundRefused) as refused:
            await pool.client().get("https://intranet.test/secret-path", timeout=2)
    finally:
        await pool.aclose()

    assert str(refused.value) == "the tool's address is not allowed"
    assert "10.9.8.7" not in str(refused.value)
    assert [r.getMessage() for r in caplog.records] == [
        "outbound request to intranet.test refused: intranet.test resolves to 10.9.8.7, "
        "which is private"
    ]


async def test_behind_the_operators_proxy_only_the_literal_host_is_checked(
    recorder: RecordingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = ScriptedResolver(DNS)
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")  # ignored: the setting decides
    pool = HttpClientPool(guard(resolver=resolver), proxy=f"http://127.0.0.1:{recorder.port}")
    try:
        sent = await pool.client().get("http://public.test/v1", timeout=2)
        with pytest.raises(OutboundRefused):
            await pool.client().get("http://10.0.0.1/v1", timeout=2)
    finally:
        await pool.aclose()

    assert sent.text == "recorded"  # the recorder stands in for the proxy
    assert [r.headers["Host"] for r in recorder.received] == ["public.test"]
    assert resolver.lookups == []  # the proxy resolves; the guard cannot


async def test_proxy_environment_variables_are_ignored_without_the_setting(
    recorder: RecordingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy"):
        monkeypatch.setenv(variable, f"http://127.0.0.1:{recorder.port}")
    resolver = ScriptedResolver({"quiet.test": [["127.0.0.2"]]})
    pool = HttpClientPool(guard("127.0.0.2/32", resolver=resolver))
    try:
        with pytest.raises(httpx.ConnectError):  # straight to 127.0.0.2, where none listens
            await pool.client().get(f"http://quiet.test:{recorder.port}/", timeout=2)
    finally:
        await pool.aclose()

    assert recorder.received == []  # the would-be proxy saw nothing
    assert resolver.lookups == ["quiet.test"]


async def test_no_secret_in_a_url_or_an_echoed_header_reaches_a_log_record_at_debug(
    recorder: RecordingServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pool = HttpClientPool(guard("recorder.test"))
    url = f"http://recorder.test:{recorder.port}/customers/{CANARY}"
    try:
        response = await pool.client().get(
            url, params={"key": CANARY}, headers={"X-Api-Key": CANARY}, timeout=2
        )
        async with pool.mcp_client(headers={"X-Api-Key": CANARY}) as mcp:
            echoed = await mcp.get(url, params={"key": CANARY})
    finally:
        await pool.aclose()

    assert response.headers["X-Echoed"] == echoed.headers["X-Echoed"] == CANARY
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"HTTP Request: GET http://recorder.test:{recorder.port}/..." in logged
    assert_no_secret(logged)
