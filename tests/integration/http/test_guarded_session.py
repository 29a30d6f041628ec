"""What the pool's guarded aiohttp session (the ``http`` executor's) delivers, and how.

The table of what it must not deliver is ``test_outbound_guard.py`` (both senders).
"""

from __future__ import annotations

import logging
from functools import partial
from urllib.parse import quote

import aiohttp
import pytest

from adapters.http.allowlist import OutboundAllowlist
from adapters.http.guard import OutboundGuard
from adapters.http.pool import HttpClientPool
from tests.builders import CANARY, assert_no_secret
from tests.integration.http.senders import through_session
from tests.integration.http.servers import RecordingServer, Redirector, ScriptedResolver

DNS = {name: [["127.0.0.1"]] for name in ("recorder.test", "redirector.test", "other.test")}
SENSITIVE = frozenset({"x-api-key"})


def pool_admitting(*allow: str, resolver: ScriptedResolver | None = None) -> HttpClientPool:
    guard = OutboundGuard(
        OutboundAllowlist.parse(allow), resolver=resolver or ScriptedResolver(DNS)
    )
    return HttpClientPool(guard)


send = partial(through_session, sensitive=SENSITIVE)
"""Send as the executor does, ``x-api-key`` marked sensitive: status, body, redirects."""


async def test_a_name_is_resolved_once_its_connection_reused_and_no_cookie_kept(
    recorder: RecordingServer,
) -> None:
    resolver = ScriptedResolver(DNS)
    pool = pool_admitting("recorder.test", resolver=resolver)
    try:
        for _ in range(3):
            assert await send(pool, f"http://recorder.test:{recorder.port}/") == (
                200,
                b"recorded",
                0,
            )
    finally:
        await pool.aclose()

    assert resolver.lookups == ["recorder.test"]
    assert [r.headers["Host"] for r in recorder.received] == [f"recorder.test:{recorder.port}"] * 3
    assert [r.headers.get("Cookie") for r in recorder.received] == [None] * 3


async def test_the_path_is_sent_as_rendered_without_dot_segments_resolved(
    recorder: RecordingServer,
) -> None:
    pool = pool_admitting("recorder.test")
    try:
        await send(pool, f"http://recorder.test:{recorder.port}/a/%2e%2e/b%2Fc?q=%20+x")
    finally:
        await pool.aclose()

    assert [r.path for r in recorder.received] == ["/a/%2e%2e/b%2Fc?q=%20+x"]


async def test_a_same_origin_redirect_keeps_the_secret_headers(redirector: Redirector) -> None:
    pool = pool_admitting("redirector.test")
    origin = f"http://redirector.test:{redirector.port}"
    target = quote(f"{origin}/to?url=/elsewhere", safe="")
    try:
        status, _, _ = await send(pool, f"{origin}/to?url={target}", headers={"X-Api-Key": CANARY})
    finally:
        await pool.aclose()

    assert status == 404  # /elsewhere: the second hop reached the server
    assert [r.headers.get("X-Api-Key") for r in redirector.received] == [CANARY, CANARY]


async def test_five_redirects_are_followed(
    redirector: Redirector, recorder: RecordingServer
) -> None:
    pool = pool_admitting("redirector.test", "recorder.test")
    target = quote(f"http://recorder.test:{recorder.port}/end", safe="")
    try:
        status, _, redirects = await send(
            pool, f"http://redirector.test:{redirector.port}/chain/4?url={target}"
        )
    finally:
        await pool.aclose()

    assert (status, redirects) == (200, 5)
    assert [r.path for r in recorder.received] == ["/end"]


async def test_a_cross_origin_redirect_drops_only_the_marked_headers_and_keeps_a_post(
    redirector: Redirector, recorder: RecordingServer
) -> None:
    pool = pool_admitting("redirector.test", "recorder.test")
    target = quote(f"http://recorder.test:{recorder.port}/", safe="")
    try:
        await send(
            pool,
            f"http://redirector.test:{redirector.port}/to?status=307&url={target}",
            method="POST",
            headers={"X-Api-Key": CANARY, "X-Trace": "kept", "Content-Type": "application/json"},
            data=b'{"a": 1}',
        )
    finally:
        await pool.aclose()

    (received,) = recorder.received
    assert received.method == "POST"
    assert received.headers["X-Trace"] == "kept"
    assert_no_secret(repr(received.headers))


async def test_secret_headers_dropped_at_another_origin_do_not_come_back_with_the_first(
    redirector: Redirector,
) -> None:
    pool = pool_admitting("redirector.test", "other.test")
    first = f"http://redirector.test:{redirector.port}"
    other = f"http://other.test:{redirector.port}"
    back = quote(f"{first}/chain/0?url=/end", safe="")
    again = quote(f"{other}/to?url={back}", safe="")
    there = quote(f"{other}/to?url={again}", safe="")
    try:
        await send(pool, f"{first}/to?url={there}", headers={"X-Api-Key": CANARY})
    finally:
        await pool.aclose()

    hops = [
        (r.headers["Host"].split(":")[0], r.headers.get("X-Api-Key")) for r in redirector.received
    ]
    assert hops == [
        ("redirector.test", CANARY),
        ("other.test", None),
        ("other.test", None),
        ("redirector.test", None),
    ]


async def test_proxy_environment_variables_are_ignored(
    recorder: RecordingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy"):
        monkeypatch.setenv(variable, f"http://127.0.0.1:{recorder.port}")
    resolver = ScriptedResolver({"quiet.test": [["127.0.0.2"]]})
    pool = pool_admitting("127.0.0.2/32", resolver=resolver)
    try:
        with pytest.raises(aiohttp.ClientConnectorError):  # to 127.0.0.2, where none listens
            await send(pool, f"http://quiet.test:{recorder.port}/")
    finally:
        await pool.aclose()

    assert recorder.received == []
    assert resolver.lookups == ["quiet.test"]


async def test_behind_the_operators_proxy_there_is_no_session() -> None:
    pool = HttpClientPool(OutboundGuard(), proxy="http://127.0.0.1:9")

    assert pool.session() is None


async def test_no_secret_in_a_url_or_an_echoed_header_reaches_a_log_record_at_debug(
    recorder: RecordingServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pool = pool_admitting("recorder.test")
    try:
        status, _, _ = await send(
            pool,
            f"http://recorder.test:{recorder.port}/customers/{CANARY}?key={CANARY}",
            headers={"X-Api-Key": CANARY},
        )
    finally:
        await pool.aclose()

    assert status == 200
    assert_no_secret("\n".join(record.getMessage() for record in caplog.records))
