"""The outbound guard's table: each case is a request the platform must not deliver.

Every case runs through both of the pool's senders (its httpx client, and its aiohttp
session through ``guarded_request``, which the ``http`` executor uses) against two real
servers on 127.0.0.1: a :class:`RecordingServer`
(what a refused request would reach if the guard let it through: the case's URL points
at its port) and a :class:`Redirector`, reached by the name ``redirector.test``, which
the cases that redirect admit by name. Names resolve through a scripted resolver (the
guard's resolver seam), never real DNS. Each case asserts that the recorder received
nothing (or, for the cross-origin redirect, nothing carrying the secret), and refusals
assert the operator's reason, the LLM's message, and one log line.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import quote

import aiohttp
import httpx
import pytest

from adapters.http.allowlist import OutboundAllowlist
from adapters.http.client import SENSITIVE_HEADERS
from adapters.http.guard import REFUSED_MESSAGE, OutboundGuard, OutboundRefused
from adapters.http.pool import HttpClientPool
from tests.builders import CANARY, assert_no_secret
from tests.integration.http.senders import through_session
from tests.integration.http.servers import RecordingServer, Redirector, ScriptedResolver


class Expect(Enum):
    """What a case ends in."""

    REFUSED = "the guard refuses; nothing is sent"
    INVALID_URL = (
        "httpx itself refuses the URL before the guard sees it (aiohttp's guard: a spelling)"
    )
    NOT_CONNECTED = "the connection goes to the checked address, which does not answer"
    TOO_MANY_REDIRECTS = "the sixth redirect is not followed"
    SECRET_DROPPED = "the recorder gets the request without the secret headers"


LOCAL = ("127.0.0.1/32",)
REDIRECTOR = ("redirector.test",)
LOCAL_DNS: Mapping[str, Sequence[Sequence[str]]] = {
    "redirector.test": [["127.0.0.1"]],
    "recorder.test": [["127.0.0.1"]],
    "localhost": [["127.0.0.1", "::1"]],
}


@dataclass(frozen=True)
class Case:
    """A request and what must become of it.

    ``url`` may hold ``{recorder}`` (the recorder's port); ``via_redirect`` sends the
    request to the redirector, which answers with a redirect to ``url``.
    """

    id: str
    url: str
    expect: Expect = Expect.REFUSED
    reason: str = ""
    allow: tuple[str, ...] = ()
    strict: bool = False
    dns: Mapping[str, Sequence[Sequence[str]]] = field(default_factory=dict)
    via_redirect: int | None = None
    chain: int | None = None
    method: str = "GET"


def redirected(case_id: str, url: str, reason: str, status: int = 302) -> Case:
    """A case whose request reaches the admitted redirector, which redirects to ``url``."""
    return Case(case_id, url, reason=reason, allow=REDIRECTOR, via_redirect=status)


R = "{recorder}"

CASES = [
    # Address literals in every refused range (the recorder listens on 127.0.0.1:R).
    Case("loopback", f"http://127.0.0.1:{R}/", reason="127.0.0.1, which is loopback"),
    Case("loopback-other", f"http://127.0.0.2:{R}/", reason="which is loopback"),
    Case("unspecified", f"http://0.0.0.0:{R}/", reason="which is unspecified"),
    Case("ipv6-loopback", f"http://[::1]:{R}/", reason="which is loopback"),
    Case("ipv6-unspecified", f"http://[::]:{R}/", reason="which is unspecified"),
    Case("ipv4-mapped", f"http://[::ffff:127.0.0.1]:{R}/", reason="IPv6 form of 127.0.0.1"),
    Case("ipv4-mapped-hex", f"http://[::ffff:7f00:1]:{R}/", reason="IPv6 form of 127.0.0.1"),
    Case("ipv4-compatible", f"http://[::127.0.0.1]:{R}/", reason="IPv6 form of 127.0.0.1"),
    Case("nat64", f"http://[64:ff9b::7f00:1]:{R}/", reason="IPv6 form of 127.0.0.1"),
    Case("6to4", f"http://[2002:7f00:1::]:{R}/", reason="IPv6 form of 127.0.0.1"),
    Case(
        "ipv4-mapped-of-admitted",
        f"http://[::ffff:127.0.0.1]:{R}/",
        reason="IPv6 form of 127.0.0.1",
        allow=LOCAL,
    ),
    Case("rfc1918-10", f"http://10.0.0.1:{R}/", reason="which is private"),
    Case("rfc1918-172", f"http://172.16.0.1:{R}/", reason="which is private"),
    Case("rfc1918-192", f"http://192.168.0.1:{R}/", reason="which is private"),
    Case("metadata", "http://169.254.169.254/latest/meta-data/", reason="cloud metadata"),
    Case("link-local", f"http://169.254.1.1:{R}/", reason="which is link-local"),
    Case("ipv6-link-local", f"http://[fe80::1]:{R}/", reason="which is link-local"),
    Case("ipv6-unique-local", f"http://[fc00::1]:{R}/", reason="which is private"),
    Case("cgnat", f"http://100.64.0.1:{R}/", reason="which is CGNAT"),
    Case("multicast", f"http://224.0.0.1:{R}/", reason="which is multicast"),
    Case("ipv6-multicast", f"http://[ff02::1]:{R}/", reason="which is multicast"),
    Case("broadcast", f"http://255.255.255.255:{R}/", reason="which is reserved"),
    Case("reserved", f"http://240.0.0.1:{R}/", reason="which is reserved"),
    # Numeric spellings: refused as spellings, even where the address is admitted.
    Case("decimal", f"http://2130706433:{R}/", reason="numeric spelling"),
    Case("decimal-admitted", f"http://2130706433:{R}/", reason="numeric spelling", allow=LOCAL),
    Case("hex-dotted", f"http://0x7f.1:{R}/", reason="numeric spelling", allow=LOCAL),
    Case("hex-whole", f"http://0x7f000001:{R}/", reason="numeric spelling", allow=LOCAL),
    Case("short", f"http://127.1:{R}/", reason="numeric spelling", allow=LOCAL),
    Case("octal", f"http://0177.0.0.1:{R}/", expect=Expect.INVALID_URL, allow=LOCAL),
    Case("zero-padded", f"http://127.000.000.001:{R}/", expect=Expect.INVALID_URL, allow=LOCAL),
    Case("hex-quad", f"http://0x7f.0.0.1:{R}/", reason="numeric spelling", allow=LOCAL),
    # Schemes.
    Case("ftp", f"ftp://127.0.0.1:{R}/", reason="scheme 'ftp'"),
    Case("file", "file:///etc/passwd", reason="is not http or https"),
    # Names, through the resolver seam: every address of the answer is checked.
    Case("localhost", f"http://localhost:{R}/", reason="which is loopback", dns=LOCAL_DNS),
    Case(
        "name-to-metadata",
        "http://metadata.test/",
        reason="169.254.169.254",
        dns={"metadata.test": [["169.254.169.254"]]},
    ),
    Case(
        "name-to-private",
        f"http://intranet.test:{R}/",
        reason="10.1.2.3, which is private",
        dns={"intranet.test": [["10.1.2.3"]]},
    ),
    Case(
        "name-to-mapped",
        f"http://mapped.test:{R}/",
        reason="IPv6 form of 127.0.0.1",
        dns={"mapped.test": [["::ffff:127.0.0.1"]]},
    ),
    Case(
        "name-to-cgnat",
        f"http://carrier.test:{R}/",
        reason="which is CGNAT",
        dns={"carrier.test": [["100.64.1.1"]]},
    ),
    Case(
        "one-answer-of-several",
        f"http://mixed.test:{R}/",
        reason="127.0.0.1, which is loopback",
        dns={"mixed.test": [["93.184.216.34", "127.0.0.1"]]},
    ),
    Case(
        "wildcard-not-apex",
        f"http://example.test:{R}/",
        reason="which is loopback",
        allow=("*.example.test",),
        dns={"example.test": [["127.0.0.1"]]},
    ),
    Case(
        "admitted-name-as-prefix",
        f"http://recorder.test.evil.test:{R}/",
        reason="which is loopback",
        allow=("recorder.test",),
        dns={"recorder.test.evil.test": [["127.0.0.1"]]},
    ),
    # The second answer would rebind to the recorder: the connection goes to the first,
    # checked address (127.0.0.2, admitted, where nothing listens), after one lookup.
    Case(
        "rebinding",
        f"http://rebind.test:{R}/",
        expect=Expect.NOT_CONNECTED,
        allow=("127.0.0.2/32",),
        dns={"rebind.test": [["127.0.0.2"], ["127.0.0.1"]]},
    ),
    # Strict egress: outside the allowlist nothing is reachable, public or not.
    Case(
        "strict-public-name",
        f"http://public.test:{R}/",
        reason="outside the allowlist (strict egress)",
        allow=("*.allowed.test",),
        strict=True,
        dns={"public.test": [["93.184.216.34"]]},
    ),
    Case(
        "strict-public-literal",
        "http://93.184.216.34/",
        reason="outside the allowlist (strict egress)",
        allow=("*.allowed.test",),
        strict=True,
    ),
    # Redirects: each hop goes through the guard.
    redirected("redirect-to-loopback", f"http://127.0.0.1:{R}/", "which is loopback"),
    redirected("redirect-to-localhost", f"http://localhost:{R}/", "which is loopback"),
    redirected("redirect-to-decimal", f"http://2130706433:{R}/", "numeric spelling"),
    redirected("redirect-to-mapped", f"http://[::ffff:127.0.0.1]:{R}/", "IPv6 form"),
    redirected("redirect-to-unspecified", f"http://0.0.0.0:{R}/", "which is unspecified"),
    redirected("redirect-to-metadata", "http://169.254.169.254/latest/", "cloud metadata"),
    redirected("redirect-to-private", f"http://10.0.0.1:{R}/", "which is private"),
    redirected("redirect-to-file", "file:///etc/passwd", "scheme 'file'"),
    redirected("redirect-307-to-loopback", f"http://127.0.0.1:{R}/", "loopback", status=307),
    Case(
        "six-redirects",
        f"http://recorder.test:{R}/",
        expect=Expect.TOO_MANY_REDIRECTS,
        allow=("redirector.test", "recorder.test"),
        chain=5,
    ),
    Case(
        "cross-origin-redirect-drops-secrets",
        f"http://recorder.test:{R}/",
        expect=Expect.SECRET_DROPPED,
        allow=("redirector.test", "recorder.test"),
        via_redirect=302,
    ),
]


def request_url(case: Case, recorder: RecordingServer, redirector: Redirector) -> str:
    target = case.url.replace(R, str(recorder.port))
    origin = f"http://redirector.test:{redirector.port}"
    if case.chain is not None:
        return f"{origin}/chain/{case.chain}?url={quote(target, safe='')}"
    if case.via_redirect is not None:
        return f"{origin}/to?status={case.via_redirect}&url={quote(target, safe='')}"
    return target


SECRET_HEADERS = {"X-Api-Key": CANARY, "Authorization": f"Bearer {CANARY}"}
SENSITIVE = frozenset({"x-api-key", "authorization"})
SENDERS = ("httpx", "aiohttp")
"""The pool's client (``HttpClientPool.client``) and its session (``guarded_request``)."""
CONNECT_ERROR = {"httpx": httpx.ConnectError, "aiohttp": aiohttp.ClientConnectorError}
TOO_MANY_REDIRECTS = {"httpx": httpx.TooManyRedirects, "aiohttp": aiohttp.TooManyRedirects}


async def send(pool: HttpClientPool, sender: str, method: str, url: str) -> int:
    """Send a request with the secret headers through ``sender``; its status."""
    if sender == "httpx":
        response = await pool.client().request(
            method,
            url,
            headers=SECRET_HEADERS,
            extensions={SENSITIVE_HEADERS: SENSITIVE},
            timeout=2,
        )
        return response.status_code
    status, _, _ = await through_session(
        pool, url, method=method, headers=SECRET_HEADERS, sensitive=SENSITIVE
    )
    return status


def test_the_table_has_at_least_forty_cases_with_distinct_ids() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("sender", SENDERS)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_the_guard_delivers_nothing_it_refuses(
    case: Case,
    sender: str,
    recorder: RecordingServer,
    redirector: Redirector,
    caplog: pytest.LogCaptureFixture,
) -> None:
    resolver = ScriptedResolver({**LOCAL_DNS, **case.dns})
    guard = OutboundGuard(
        OutboundAllowlist.parse(case.allow), strict=case.strict, resolver=resolver
    )
    pool = HttpClientPool(guard)
    url = request_url(case, recorder, redirector)
    caplog.set_level(logging.DEBUG)
    expect, reason = case.expect, case.reason
    if expect is Expect.INVALID_URL and sender == "aiohttp":
        expect, reason = Expect.REFUSED, "numeric spelling"
    try:
        if expect is Expect.REFUSED:
            with pytest.raises(OutboundRefused) as refused:
                await send(pool, sender, case.method, url)
            assert str(refused.value) == REFUSED_MESSAGE
            assert reason in refused.value.reason
            lines = [r for r in caplog.records if r.name == "adapters.http.guard"]
            assert len(lines) == 1
            assert reason in lines[0].getMessage()
        elif expect is Expect.INVALID_URL:
            with pytest.raises(httpx.InvalidURL):
                await send(pool, sender, case.method, url)
        elif expect is Expect.NOT_CONNECTED:
            with pytest.raises(CONNECT_ERROR[sender]):
                await send(pool, sender, case.method, url)
            assert resolver.lookups == ["rebind.test"]
        elif expect is Expect.TOO_MANY_REDIRECTS:
            with pytest.raises(TOO_MANY_REDIRECTS[sender]):
                await send(pool, sender, case.method, url)
            assert len(redirector.received) == 6
        else:
            assert await send(pool, sender, case.method, url) == 200
            assert len(recorder.received) == 1
            assert_no_secret(repr(recorder.received[0].headers))
            assert redirector.received[0].headers["X-Api-Key"] == CANARY
    finally:
        await pool.aclose()

    if case.expect is not Expect.SECRET_DROPPED:
        assert recorder.received == []
