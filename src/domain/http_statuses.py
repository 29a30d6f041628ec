"""The call status an HTTP response's status code names (for the HTTP executor and tools)."""

from __future__ import annotations

from domain.call_status import CallStatus

_REFUSALS = {
    401: CallStatus.UNAUTHORIZED,
    403: CallStatus.UNAUTHORIZED,
    404: CallStatus.NOT_FOUND,
    429: CallStatus.RATE_LIMITED,
}


def call_status_for_http(code: int) -> CallStatus:
    """The call status of an HTTP status code.

    ``ok`` for 2xx; 401/403 ``unauthorized``, 404 ``not_found``, 429 ``rate_limited``,
    5xx ``unavailable``; any other code ``tool_error``.
    """
    if 200 <= code < 300:
        return CallStatus.OK
    if code >= 500:
        return CallStatus.UNAVAILABLE
    return _REFUSALS.get(code, CallStatus.TOOL_ERROR)
