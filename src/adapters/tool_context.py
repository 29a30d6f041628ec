"""What a running tool can see of its own binding: the one accessor for tool authors.

``docs/writing-tools.md`` documents it. While a function runs, the executor sets the
calling binding's :class:`ConfigInjection` in a context variable, so each call (and each
of several calls gathered in one turn) sees only its own binding, and nothing shared is
ever mutated::

    from adapters.tool_context import secret

    @function_tool
    async def list_events(context: RunContext, time_min: str) -> str:
        calendar = context.userdata.get("calendar_id")    # this binding's config
        token = secret("access_token")                   # this binding's secret
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from domain.injection import ConfigInjection

_CURRENT: ContextVar[ConfigInjection | None] = ContextVar("tool_platform_injection", default=None)
_RUN_CONTEXT: ContextVar[Any] = ContextVar("tool_platform_run_context", default=None)


@contextmanager
def injected(injection: ConfigInjection) -> Iterator[None]:
    """Make ``injection`` the current binding's for the duration of the block."""
    token = _CURRENT.set(injection)
    try:
        yield
    finally:
        _CURRENT.reset(token)


@contextmanager
def running_in(run_context: Any) -> Iterator[None]:
    """Make LiveKit's ``RunContext`` of the current call available to code tools."""
    token = _RUN_CONTEXT.set(run_context)
    try:
        yield
    finally:
        _RUN_CONTEXT.reset(token)


def current_run_context() -> Any:
    """Return the LiveKit ``RunContext`` of the running call, or None outside a session."""
    return _RUN_CONTEXT.get()


def current_injection() -> ConfigInjection:
    """Return the calling binding's injection.

    Raises:
        LookupError: When no platform tool call is running in this context.
    """
    injection = _CURRENT.get()
    if injection is None:
        raise LookupError("no platform tool call is running here")
    return injection


def secret(name: str) -> str:
    """Return the value of the calling binding's secret ``name``.

    Raises:
        LookupError: When no platform tool call is running in this context.
        NotFound: When the binding has no such secret (only names are mentioned).
    """
    return current_injection().secret(name)


class BindingUserdata(Mapping[str, Any]):
    """``AgentSession(userdata=...)`` that shows each call its own binding's config.

    The seed's code tools read ``context.userdata.get("calendar_id")``; with this object
    as the session's userdata, that reads the config of the binding whose function is
    running, and outside a call it is empty. It holds no state of its own.
    """

    def _config(self) -> Mapping[str, Any]:
        injection = _CURRENT.get()
        return {} if injection is None else injection.config

    def __getitem__(self, key: str) -> Any:
        return self._config()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._config())

    def __len__(self) -> int:
        return len(self._config())

    def __repr__(self) -> str:
        return f"BindingUserdata({dict(self._config())!r})"
