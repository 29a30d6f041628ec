"""What a running ``python`` tool sees of its call: its binding, and the session's HTTP client.

While a function runs, the Python executor sets a :class:`CallScope` in a context
variable, so each call (and each of several calls gathered in one turn) sees only its
own binding, and nothing shared is ever mutated. Tool code reads it through the public
package :mod:`tool_platform`, never from here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.injection import ConfigInjection

if TYPE_CHECKING:  # httpx loads with the pool, when a tool first sends a request
    import httpx

    from adapters.http.pool import HttpClientPool


@dataclass(frozen=True)
class CallScope:
    """The calling binding's injection and the session's pooled HTTP client.

    Attributes:
        injection: The calling binding's config and secrets.
        http: The session's pooled HTTP client.
    """

    injection: ConfigInjection
    http: HttpClientPool


_CURRENT: ContextVar[CallScope | None] = ContextVar("tool_platform_call", default=None)


@contextmanager
def in_call(scope: CallScope) -> Iterator[None]:
    """Make ``scope`` the current call's for the duration of the block."""
    token = _CURRENT.set(scope)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current_scope() -> CallScope:
    """Return the running call's scope.

    Raises:
        LookupError: When no platform tool call is running in this context.
    """
    scope = _CURRENT.get()
    if scope is None:
        raise LookupError("no platform tool call is running here")
    return scope


def current_injection() -> ConfigInjection:
    """Return the calling binding's injection.

    Raises:
        LookupError: When no platform tool call is running in this context.
    """
    return current_scope().injection


def current_http_client() -> httpx.AsyncClient:
    """Return the session's pooled HTTP client.

    Raises:
        LookupError: When no platform tool call is running in this context.
    """
    return current_scope().http.client()


class BindingUserdata(Mapping[str, Any]):
    """``AgentSession(userdata=...)`` that shows each call its own binding's config.

    The seed's code tools read ``context.userdata.get("calendar_id")``; with this object
    as the session's userdata, that reads the config of the binding whose function is
    running, and outside a call it is empty. It holds no state of its own.
    """

    def _config(self) -> Mapping[str, Any]:
        scope = _CURRENT.get()
        return {} if scope is None else scope.injection.config

    def __getitem__(self, key: str) -> Any:
        return self._config()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._config())

    def __len__(self) -> int:
        return len(self._config())

    def __repr__(self) -> str:
        return f"BindingUserdata({dict(self._config())!r})"
