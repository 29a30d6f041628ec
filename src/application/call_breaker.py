"""``CallBreaker``: stops a runaway loop of calls of one function in one session."""

from __future__ import annotations

import logging
from collections import Counter

logger = logging.getLogger(__name__)


def breaker_message(function: str, limit: int) -> str:
    """What the model is told when the breaker refuses a call of ``function``."""
    return (
        f"{function} has already been called {limit} times in this conversation, the most allowed; "
        "it was not run. Stop calling it and tell the caller what happened."
    )


class CallBreaker:
    """Counts each function's calls in one session and refuses those beyond its limit.

    The limit is the function's ``max_calls_per_session``; every call counts (a
    refused, repeated or failed one too). The first refusal of a function logs one
    warning for the operator.

    Args:
        agent_id: The session's agent (for the warning).
    """

    def __init__(self, agent_id: str) -> None:
        self._agent = agent_id
        self._calls: Counter[str] = Counter()

    def admit(self, function: str, limit: int) -> bool:
        """Count a call of ``function``; False when it goes beyond ``limit``."""
        self._calls[function] += 1
        calls = self._calls[function]
        if calls == limit + 1:
            logger.warning(
                "call breaker tripped: agent=%s function=%s limit=%d "
                "(max_calls_per_session); further calls are refused for this session",
                self._agent,
                function,
                limit,
            )
        return calls <= limit
