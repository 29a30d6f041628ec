"""No module of ``src/`` but the outbound guard's package builds an HTTP client.

Every outbound request must go through the guard; the SSRF holes of comparable tools
were one code path that built its own client. The check reads each module's syntax
tree: a call to (or a subclass of) an HTTP client constructor, however it was imported
or renamed, is a violation outside ``src/adapters/http/``, and so is instantiating
LiveKit's ``MCPServerHTTP`` as it is (it builds its own httpx2 client; a subclass that
builds it with ``HttpClientPool.mcp_client`` is the way). Using aiohttp's *server*
(``aiohttp.web``, as the demo's local Calendar API does) or naming a client class in a
type annotation builds nothing and is not one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src"
GUARD_PACKAGE = SRC / "adapters" / "http"

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")
CLIENT_BUILDERS = frozenset(
    {
        *(f"{package}.{name}" for package in ("httpx", "httpx2") for name in _VERBS),
        *(
            f"{package}.{name}"
            for package in ("httpx", "httpx2")
            for name in ("AsyncClient", "Client", "AsyncHTTPTransport", "HTTPTransport")
        ),
        *(
            f"{package}.{name}"
            for package in ("httpcore", "httpcore2")
            for name in ("AsyncConnectionPool", "ConnectionPool", "AsyncHTTPProxy", "HTTPProxy")
        ),
        "aiohttp.ClientSession",
        "aiohttp.client.ClientSession",
        "aiohttp.TCPConnector",
        "aiohttp.request",
        "mcp.shared._httpx_utils.create_mcp_http_client",
        "urllib.request.urlopen",
        "urllib.request.build_opener",
        "http.client.HTTPConnection",
        "http.client.HTTPSConnection",
        "requests.Session",
        *(f"requests.{name}" for name in _VERBS),
    }
)
BUILT_INSIDE = frozenset({"livekit.agents.llm.mcp.MCPServerHTTP"})
"""Classes that build an unguarded client of their own when instantiated as they are: a
subclass that overrides how it builds its client (``_create_http_client`` returning
``HttpClientPool.mcp_client(...)``) is how to use them."""


def _aliases(tree: ast.Module) -> dict[str, str]:
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    names[root] = root
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str | None:
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(attributes)])


def client_builders(source: str) -> list[str]:
    """``line: name`` for every HTTP client ``source`` builds or subclasses."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func, aliases)
            if name in CLIENT_BUILDERS or name in BUILT_INSIDE:
                found.append(f"{node.lineno}: {name}")
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = _dotted(base, aliases)
                if name in CLIENT_BUILDERS:
                    found.append(f"{node.lineno}: {name}")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import httpx\nhttpx.AsyncClient()",
        "import httpx as h\nclient = h.Client(timeout=1)",
        "from httpx import AsyncClient as Fetcher\nFetcher()",
        "import httpx\nawait httpx.get('http://x')",
        "import httpx2\nhttpx2.AsyncClient()",
        "from aiohttp import ClientSession\nClientSession()",
        "import aiohttp\nasync with aiohttp.ClientSession() as s: pass",
        "import aiohttp.client\naiohttp.client.ClientSession()",
        "from mcp.shared._httpx_utils import create_mcp_http_client\ncreate_mcp_http_client()",
        "import urllib.request\nurllib.request.urlopen('http://x')",
        "import httpx\nclass Mine(httpx.AsyncClient): pass",
        "import httpcore\nhttpcore.AsyncConnectionPool()",
        "from livekit.agents.llm.mcp import MCPServerHTTP\nMCPServerHTTP(url='http://x/mcp')",
    ],
)
def test_the_check_finds_every_way_of_building_a_client(source: str) -> None:
    assert client_builders(source)


@pytest.mark.parametrize(
    "source",
    [
        "from aiohttp import web\napp = web.Application()\nweb.AppRunner(app)",
        "import httpx\ndef f(c: httpx.AsyncClient) -> httpx.Response: ...",
        "import httpx\ntry:\n    pass\nexcept httpx.HTTPError:\n    pass",
        "from tool_platform import http_client\nhttp_client().get('https://x')",
        "from livekit.agents.llm.mcp import MCPServerHTTP\nclass Guarded(MCPServerHTTP): ...",
    ],
)
def test_the_check_does_not_count_servers_annotations_or_the_platform_client(
    source: str,
) -> None:
    assert client_builders(source) == []


def test_only_the_outbound_guard_package_builds_http_clients() -> None:
    violations = [
        f"{path.relative_to(SRC)}:{found}"
        for path in sorted(SRC.rglob("*.py"))
        if GUARD_PACKAGE not in path.parents
        for found in client_builders(path.read_text(encoding="utf-8"))
    ]

    assert violations == []


def test_the_guard_package_is_where_the_client_is_built() -> None:
    built = [
        path.name
        for path in sorted(GUARD_PACKAGE.glob("*.py"))
        if client_builders(path.read_text(encoding="utf-8"))
    ]

    assert built != []
