"""Test MCP servers in their own processes, and a server that accepts and never answers."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

SERVER_SCRIPT = Path(__file__).with_name("server.py")
START_SECONDS = 30.0
"""How long a server process may take to listen (a busy machine imports slowly)."""

STDIO_COMMAND = (sys.executable, str(SERVER_SCRIPT), "stdio")
"""The operator's command line of the stdio test server."""

HANG_SCRIPT = "import time\nwhile True:\n    time.sleep(60)\n"
STDIO_HANG_COMMAND = (sys.executable, "-c", HANG_SCRIPT)
"""A stdio server that starts and never answers ``initialize``."""

CRASH_SCRIPT = "import sys\nsys.stderr.write('boom: no config\\n')\nsys.exit(2)\n"
STDIO_CRASH_COMMAND = (sys.executable, "-c", CRASH_SCRIPT)
"""A stdio server that exits at start, saying why on stderr."""


def free_port() -> int:
    """A TCP port nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class McpServerProcess:
    """``server.py`` over ``http`` (streamable HTTP) or ``sse`` on 127.0.0.1.

    Args:
        transport: ``http`` or ``sse``.
        tokens: Token -> holder; when given, every request needs one of the tokens.
    """

    def __init__(self, transport: str, tokens: Mapping[str, str] | None = None) -> None:
        self.transport = transport
        self.port = free_port()
        self._tokens = dict(tokens or {})
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's MCP endpoint."""
        path = "/mcp" if self.transport == "http" else "/sse"
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        """Start the process and wait until it listens."""
        env = {**os.environ, "MCP_TEST_TOKENS": json.dumps(self._tokens)}
        self._process = subprocess.Popen(
            [sys.executable, str(SERVER_SCRIPT), self.transport, str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the test MCP server exited ({self._process.returncode})")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            except OSError:
                time.sleep(0.05)
            else:
                return
        raise RuntimeError("the test MCP server did not listen in time")

    def wait_exited(self, seconds: float = 10.0) -> int:
        """Wait for the process to end by itself; its exit code."""
        assert self._process is not None
        return self._process.wait(seconds)

    def stop(self) -> None:
        """Stop the process (if it still runs)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(10)
        self._process = None

    def __enter__(self) -> McpServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never answers (a server hung at start).

    Attributes:
        accepted: How many connections it accepted.
        closed: How many of them the client closed (a cancelled connect closes its own).
    """

    def __init__(self) -> None:
        self.accepted = 0
        self.closed = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    def url(self, path: str = "/mcp") -> str:
        """An MCP endpoint on it."""
        return f"http://127.0.0.1:{self.port}{path}"

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        try:
            while await reader.read(65536):
                pass
        finally:
            self.closed += 1
            writer.close()

    async def __aenter__(self) -> SilentServer:
        self._server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
