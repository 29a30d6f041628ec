"""``call_policy``: what a tool's functions do to the world, and how often they may run.

A tool document's top-level ``call_policy`` maps a function name, or ``*`` for every
function, to the fields it sets::

    {"book_table": {"side_effects": "unsafe", "dedupe_window_seconds": 30},
     "*": {"max_calls_per_session": 10}}

A field a function's own entry leaves out comes from ``*``, then from the defaults:
the side effects of the tool's kind (:func:`default_side_effects`), a 15 second
de-duplication window and 25 calls per session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.tools.run_specs import HttpRunSpec, McpRunSpec, RunSpec

SideEffects = Literal["none", "idempotent", "unsafe"]
"""``none``: changes nothing; ``idempotent``: repeating it changes nothing more;
``unsafe``: each call may act again (book, send, charge)."""

EVERY_FUNCTION = "*"
"""The ``call_policy`` key whose fields apply to every function without its own."""

DEFAULT_DEDUPE_WINDOW_SECONDS = 15.0
DEFAULT_MAX_CALLS_PER_SESSION = 25

_METHOD_EFFECTS: dict[str, SideEffects] = {
    "GET": "none",
    "PUT": "idempotent",
    "DELETE": "idempotent",
    "POST": "unsafe",
    "PATCH": "unsafe",
}


class FunctionCallPolicy(BaseModel):
    """One ``call_policy`` entry as written; a field left out is inherited.

    Attributes:
        side_effects: ``none``, ``idempotent`` or ``unsafe``.
        dedupe_window_seconds: How long after an ``unsafe`` call an identical one is
            answered with its result instead of running again (0 turns it off).
        max_calls_per_session: The most calls of the function in one session.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    side_effects: SideEffects | None = None
    dedupe_window_seconds: Annotated[float, Field(ge=0, le=3600)] | None = None
    max_calls_per_session: Annotated[int, Field(ge=1, le=10_000)] | None = None


CallPolicy = dict[str, FunctionCallPolicy]
"""A tool's ``call_policy``: function name (or ``*``) -> its entry."""


@dataclass(frozen=True)
class EffectivePolicy:
    """The policy one function's calls follow, every field resolved.

    Attributes:
        side_effects: What a call does to the world.
        dedupe_window_seconds: The de-duplication window of ``unsafe`` calls (0: off).
        max_calls_per_session: The breaker's limit.
    """

    side_effects: SideEffects
    dedupe_window_seconds: float
    max_calls_per_session: int

    @property
    def dedupes(self) -> bool:
        """Whether identical calls inside the window are answered instead of run."""
        return self.side_effects == "unsafe" and self.dedupe_window_seconds > 0


def default_side_effects(run: RunSpec, function: str) -> SideEffects:
    """The side effects of ``function`` when the tool's ``call_policy`` says nothing.

    HTTP: by method (GET none; PUT, DELETE idempotent; POST, PATCH unsafe). MCP: from
    the server's annotations (``readOnlyHint`` none, ``idempotentHint`` idempotent,
    else unsafe). Python: unsafe.
    """
    if isinstance(run, HttpRunSpec):
        request = run.requests.get(function)
        return "unsafe" if request is None else _METHOD_EFFECTS[request.method]
    if isinstance(run, McpRunSpec):
        hints = run.annotations.get(function)
        if hints is not None and hints.read_only:
            return "none"
        if hints is not None and hints.idempotent:
            return "idempotent"
        return "unsafe"
    return "unsafe"  # python: the tool's code may do anything


def effective_policy(policy: CallPolicy, run: RunSpec, function: str) -> EffectivePolicy:
    """Resolve ``function``'s policy: its entry, then ``*``, then the defaults."""
    entries = [entry for entry in (policy.get(function), policy.get(EVERY_FUNCTION)) if entry]
    side_effects = next((e.side_effects for e in entries if e.side_effects is not None), None)
    window = next(
        (e.dedupe_window_seconds for e in entries if e.dedupe_window_seconds is not None),
        DEFAULT_DEDUPE_WINDOW_SECONDS,
    )
    limit = next(
        (e.max_calls_per_session for e in entries if e.max_calls_per_session is not None),
        DEFAULT_MAX_CALLS_PER_SESSION,
    )
    return EffectivePolicy(
        side_effects or default_side_effects(run, function), float(window), limit
    )


def policy_document(policy: CallPolicy) -> dict[str, dict[str, object]]:
    """``policy`` as the document writes it (the fields set, in JSON form)."""
    return {
        name: entry.model_dump(mode="json", exclude_none=True) for name, entry in policy.items()
    }
