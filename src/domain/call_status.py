"""``CallStatus``: the outcome of one tool call, as the model and the call audit name it."""

from __future__ import annotations

from enum import StrEnum


class CallStatus(StrEnum):
    """How one call ended.

    The model reads it in every result; the call audit records it. Executors report it
    through :class:`domain.errors.ToolFailure`'s ``status``; the pipeline sets the rest.
    """

    OK = "ok"
    """The tool ran and returned a value."""
    NO_RESULTS = "no_results"
    """The tool ran and returned nothing (an empty list, an empty object or null)."""
    INVALID_ARGUMENT = "invalid_argument"
    """The arguments broke the function's schema; nothing ran."""
    TOOL_ERROR = "tool_error"
    """The tool refused the call on purpose, with a message for the model."""
    NOT_FOUND = "not_found"
    """What the call asked for does not exist (an unknown function, an HTTP 404)."""
    UNAUTHORIZED = "unauthorized"
    """The upstream refused the binding's credentials; the operator must act."""
    RATE_LIMITED = "rate_limited"
    """The upstream asked to slow down (HTTP 429)."""
    UNAVAILABLE = "unavailable"
    """The upstream could not be reached or failed (connection errors, HTTP 5xx)."""
    TIMEOUT_OUTCOME_UNKNOWN = "timeout_outcome_unknown"
    """The call did not finish in time, or its connection dropped: it may have run."""
    REFUSED = "refused"
    """The platform refused to run it (the outbound guard, a breaker, an ended session)."""
    INTERNAL_ERROR = "internal_error"
    """A fault of the platform or the tool's code; details are in the operator's log."""
