"""Hostile values in every location an argument may fill, sent to a recording server.

For each location (path, query, header, body) at least 80 values (traversal in every
encoding, CR/LF, NUL, unicode look-alikes, ``@ # ? //``, absolute URLs, very long
values) are rendered and sent. Each is either refused before sending (the model is told,
naming the argument) or arrives with the template's method, host, port and path prefix,
no header the template did not declare, and the value intact in its own place.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, unquote

import pytest

from tests.builders import error_of
from tests.integration.http_tools.conftest import HttpTools, string_parameters
from tests.integration.http_tools.upstream import Upstream

TRAVERSALS = [
    "..",
    ".",
    "../",
    "..\\",
    "../..",
    "../../etc/passwd",
    "..%2f",
    "..%2F",
    "%2e%2e",
    "%2E%2E%2F",
    "%252e%252e%252f",
    ".%2e",
    "%2e.",
    "..%5c",
    "..%c0%af",
    "%c0%ae%c0%ae/",
    "..;/",
    "..%00/",
    "%2e%2e%u2216",
    "....//",
    "..././",
    "/..",
    "/../admin",
    "a/../../b",
    "\u2025",
    "\uff0e\uff0e",
    "\uff0e\uff0e\uff0f",
    "..\u2215",
    "..\u2044",
    "..\uff0f",
    ".\u200b.",
    "%2f",
    "%2F%2F",
    "\\\\server\\share",
]
DELIMITERS = [
    "a/b",
    "a?b=c",
    "a#frag",
    "a@evil.example",
    "user:pass@evil.example",
    "//evil.example",
    "///x",
    "?",
    "#",
    "@",
    "&",
    "=",
    ";",
    "a&admin=true",
    "a=b&c=d",
    "%",
    "%%",
    "%zz",
    "+",
    " ",
    "a b",
    "\t",
    "'",
    '"',
    "<script>",
    "{args.x}",
    "{secrets.token}",
    "${jndi:x}",
    "a\\b",
    "*",
    "~",
]
ABSOLUTE = [
    "http://evil.example/",
    "https://evil.example/x",
    "//evil.example/x",
    "http:evil",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://127.0.0.1:22/",
    "gopher://evil:25/",
]
CONTROL = [
    "a\r\nX-Injected: 1",
    "a\nb",
    "a\rb",
    "\r\n\r\nGET / HTTP/1.1",
    "a\x00b",
    "\x00",
    "\x7f",
    "a\x1bb",
    "a\u0085b",
    "a\u2028b",
    "a\u2029b",
]
LOOKALIKES = [
    "\uff0f",
    "\u2215",
    "\u2044",
    "\uff1f",
    "\uff03",
    "\uff20",
    "\u0430dmin",
    "\u212a",
    "ﬁle",
    "\u202eevil",
    "\ufeff",
    "é",
    "日本",
    "\U0001f600",
    "\ud7ff",
]
LONG = ["a" * 4000, "/" * 2000, "../" * 1000, "%2e" * 1000, "é" * 1000]
HOSTILE = TRAVERSALS + DELIMITERS + ABSOLUTE + CONTROL + LOOKALIKES + LONG

DEFAULT_HEADERS = {
    "host",
    "accept",
    "accept-encoding",
    "connection",
    "user-agent",
    "content-length",
    "content-type",
}


def test_there_are_at_least_80_distinct_hostile_values() -> None:
    assert len(set(HOSTILE)) >= 80


def hostile_document(upstream: Upstream, location: str) -> dict[str, object]:
    request: dict[str, object] = {"url": f"{upstream.base_url}/prefix/fixed"}
    if location == "path":
        request["url"] = f"{upstream.base_url}/prefix/{{args.v}}/suffix"
    elif location == "query":
        request["query"] = {"q": "{args.v}"}
    elif location == "header":
        request["headers"] = {"X-Value": "{args.v}"}
    else:
        request |= {"method": "POST", "body": {"v": "{args.v}"}}
    return {
        "name": "hostile",
        "kind": "http",
        "tool_functions_schema": {
            "functions": [
                {"name": "send", "description": "Send v.", "parameters": string_parameters("v")}
            ]
        },
        "run": {"requests": {"send": request}},
        "call_policy": {"send": {"max_calls_per_session": 10_000}},  # one session sends them all
    }


def value_arrived(
    location: str, received_target: str, headers: dict[str, str], body: bytes, value: str
) -> bool:
    path, _, query = received_target.partition("?")
    if location == "path":
        middle = path.removeprefix("/prefix/").removesuffix("/suffix")
        return "/" not in middle and unquote(middle) == value
    if location == "query":
        return parse_qsl(query, keep_blank_values=True) == [("q", value)]
    if location == "header":
        return headers.get("X-Value") == value.strip(" \t")
    return bool(json.loads(body) == {"v": value})


@pytest.mark.parametrize("location", ["path", "query", "header", "body"])
async def test_no_hostile_value_changes_method_host_port_path_prefix_or_headers(
    tools: HttpTools, upstream: Upstream, location: str
) -> None:
    expected_method = "POST" if location == "body" else "GET"
    host = upstream.base_url.removeprefix("http://")
    declared = DEFAULT_HEADERS | ({"x-value"} if location == "header" else set())
    refused: list[str] = []
    async with await tools.session(hostile_document(upstream, location)) as session:
        for value in HOSTILE:
            before = len(upstream.received)
            result = await session.call("send", {"v": value}, call_id="h")
            if not result.ok:
                assert error_of(result.output).startswith("argument 'v' "), result.output
                assert error_of(result.output).endswith("; nothing was sent")
                assert len(upstream.received) == before, f"{value!r} was sent"
                refused.append(value)
                continue
            [received] = upstream.received[before:]
            headers = dict(received.headers)
            assert received.method == expected_method
            assert received.header("Host") == host
            assert received.path.startswith("/prefix/")
            assert received.header_names <= declared, (value, received.header_names)
            assert value_arrived(location, received.target, headers, received.body, value), value

    if location == "path":
        assert set(refused) == {".", ".."}
    elif location == "header":
        assert set(refused) >= set(CONTROL) - {"a\u0085b", "a\u2028b", "a\u2029b"}
        assert all(value not in refused for value in TRAVERSALS[:24])
    else:
        assert refused == []
