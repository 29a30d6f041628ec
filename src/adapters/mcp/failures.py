"""Why an MCP connection failed, in one line that holds no secret value.

The SDK's transports fail in many shapes (an ``httpx2`` error, an ``MCPError`` the
transport made from an HTTP status, an exception group from a task group, an
``OSError`` from a stdio spawn). :class:`ConnectAttempt` watches one attempt (the HTTP
statuses answered, a stdio server's stderr) so the reason can name what happened.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from typing import IO

import httpx2
from mcp.shared.exceptions import MCPError

from adapters.http.guard import OutboundRefused
from domain.errors import McpServerUnavailable, ToolFailure
from domain.scrubbing import scrub
from domain.tools.run_specs import McpServerSpec

STDERR_SHOWN_CHARS = 200
"""The most characters of a stdio server's last stderr line a reason quotes."""

AUTH_STATUSES = frozenset({401, 403})


class ConnectAttempt:
    """What one connection attempt saw, to say why it failed.

    Args:
        server: The server connected to.
        secrets: The binding's secret values, kept out of every reason.
    """

    def __init__(self, server: McpServerSpec, secrets: Sequence[str]) -> None:
        self.server = server
        self._secrets = list(secrets)
        self.refused_status: int | None = None
        self._stderr: IO[str] | None = None

    def __repr__(self) -> str:
        return f"ConnectAttempt(server={self.server.address!r})"

    async def observe(self, response: httpx2.Response) -> None:
        """An ``httpx2`` response hook: remember the first error status answered."""
        if response.status_code >= 400 and self.refused_status is None:
            self.refused_status = response.status_code

    def errlog(self) -> IO[str]:
        """A file for the stdio server's stderr, closed by :meth:`close`."""
        self._stderr = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # noqa: SIM115
        return self._stderr

    def close(self) -> None:
        """Close the stderr file, if one was made."""
        if self._stderr is not None:
            self._stderr.close()

    def stderr_tail(self) -> str | None:
        """The stdio server's last stderr line (cut, secrets scrubbed), if it wrote one."""
        if self._stderr is None or self._stderr.closed:
            return None
        self._stderr.flush()
        self._stderr.seek(0)
        lines = [line.strip() for line in self._stderr.read().splitlines() if line.strip()]
        if not lines:
            return None
        return self.clean(lines[-1][:STDERR_SHOWN_CHARS])

    def clean(self, text: str) -> str:
        """``text`` with the binding's secret values masked."""
        return scrub(text, self._secrets)


def unavailable(
    attempt: ConnectAttempt, error: BaseException, closing: BaseException | None = None
) -> McpServerUnavailable:
    """The one-line reason ``error`` (and what closing after it raised) ended ``attempt``."""
    causes = [*_leaves(closing), *_leaves(error)] if closing is not None else [*_leaves(error)]
    where = attempt.server.address
    return McpServerUnavailable(attempt.clean(f"MCP server {where}: {_why(attempt, causes)}"))


def _why(attempt: ConnectAttempt, causes: list[BaseException]) -> str:
    for cause in causes:
        if isinstance(cause, McpServerUnavailable):
            return str(cause)
        if isinstance(cause, OutboundRefused):
            return f"refused by the outbound guard ({cause.reason})"
    if attempt.refused_status in AUTH_STATUSES:
        return f"refused the credentials (HTTP {attempt.refused_status})"
    if attempt.refused_status is not None:
        return f"answered HTTP {attempt.refused_status}"
    timeout = attempt.server.timeout_seconds
    if any(isinstance(cause, TimeoutError | httpx2.TimeoutException) for cause in causes):
        return f"did not answer within its timeout_seconds ({timeout:g} s)"
    for cause in causes:
        if isinstance(cause, httpx2.ConnectError):
            return "could not connect (nothing is listening, or the host is unreachable)"
        if isinstance(cause, FileNotFoundError | PermissionError):
            return f"could not start its command ({type(cause).__name__})"
        if isinstance(cause, ToolFailure):
            return str(cause)
    tail = attempt.stderr_tail()
    if tail is not None:
        return f"the server stopped while starting; its last stderr line: {tail}"
    first = causes[-1]
    if isinstance(first, MCPError):
        return f"answered with an error ({first.message})"
    return f"the connection failed ({type(first).__name__})"


def _leaves(error: BaseException) -> Iterator[BaseException]:
    """The exceptions inside ``error``'s groups and causes, innermost last."""
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from _leaves(inner)
        return
    yield error
    if error.__cause__ is not None:
        yield from _leaves(error.__cause__)
