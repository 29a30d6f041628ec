"""The result contract: every outcome of a call as the JSON the model receives.

One envelope for every kind of tool (``docs/call-results.md`` has the table)::

    {"status": "ok", "retryable": false, "data": {...}}
    {"status": "rate_limited", "retryable": true, "error": "...", "retry_hint": "..."}

``status`` names how the call ended (:class:`domain.call_status.CallStatus`),
``retryable`` says whether calling again can help, ``data`` carries a success's value
and ``error`` a failure's message. Optional members: ``valid_options`` (an argument
error on an enum field: field -> its values as the model was offered them),
``retry_hint`` (from the upstream's ``Retry-After``), ``truncated`` (the result cap cut
the data: the data is then the first characters of its JSON text, as a string),
``repeated`` and ``note`` (the answer of an earlier identical call; nothing ran again).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from domain.call_status import CallStatus
from domain.json_types import JsonObject, JsonValue

RETRYABLE: Mapping[CallStatus, bool] = {
    CallStatus.OK: False,
    CallStatus.NO_RESULTS: False,
    CallStatus.INVALID_ARGUMENT: True,
    CallStatus.TOOL_ERROR: False,
    CallStatus.NOT_FOUND: False,
    CallStatus.UNAUTHORIZED: False,
    CallStatus.RATE_LIMITED: True,
    CallStatus.UNAVAILABLE: True,
    CallStatus.TIMEOUT_OUTCOME_UNKNOWN: False,
    CallStatus.REFUSED: False,
    CallStatus.INTERNAL_ERROR: False,
}
"""Whether calling again (with corrected arguments, or later) can help, per status."""

SUCCESSES = frozenset({CallStatus.OK, CallStatus.NO_RESULTS})
"""The statuses whose envelope carries ``data`` (LiveKit gets it as the tool's output)."""

TIMEOUT_ADVICE = "Do not repeat it without asking the caller."
"""What a ``timeout_outcome_unknown`` error ends with."""


def repeated_note(window_seconds: float) -> str:
    """The sentence a repeated call's answer carries."""
    return (
        "An identical call already ran moments ago; this is its result, and the action "
        "was not performed twice. To do it again on purpose, confirm with the caller "
        f"and call again after {window_seconds:g} seconds."
    )


@dataclass(frozen=True)
class CallOutcome:
    """How a call ended, before it is scrubbed, capped and written for the model.

    Attributes:
        status: How it ended.
        data: A success's value.
        error: A failure's message.
        retry_after_seconds: When the upstream said a retry may help.
        valid_options: Field (as the model names it) -> the values it may take.
        note: A sentence for the model beside the data or error.
        repeated: Answered from an earlier identical call; nothing ran again.
    """

    status: CallStatus
    data: JsonValue = None
    error: str | None = None
    retry_after_seconds: float | None = None
    valid_options: Mapping[str, Sequence[JsonValue]] = field(default_factory=dict)
    note: str | None = None
    repeated: bool = False

    @property
    def ok(self) -> bool:
        """Whether the call succeeded (``ok`` or ``no_results``)."""
        return self.status in SUCCESSES

    def as_repeat(self, window_seconds: float) -> CallOutcome:
        """This outcome as the answer to a repeat of its call."""
        return replace(self, repeated=True, note=repeated_note(window_seconds))


def succeeded(value: JsonValue) -> CallOutcome:
    """The outcome of a tool that returned ``value`` (empty values are ``no_results``)."""
    empty = value is None or value in ([], {}) or (isinstance(value, str) and not value.strip())
    return CallOutcome(CallStatus.NO_RESULTS if empty else CallStatus.OK, data=value)


def failed(
    status: CallStatus,
    message: str,
    *,
    retry_after_seconds: float | None = None,
    valid_options: Mapping[str, Sequence[JsonValue]] | None = None,
) -> CallOutcome:
    """The outcome of a call that failed with ``status``.

    A ``timeout_outcome_unknown`` message ends with :data:`TIMEOUT_ADVICE`.
    """
    if status is CallStatus.TIMEOUT_OUTCOME_UNKNOWN and not message.endswith(TIMEOUT_ADVICE):
        message = f"{message.rstrip('. ')}. {TIMEOUT_ADVICE}"
    return CallOutcome(
        status,
        error=message,
        retry_after_seconds=retry_after_seconds,
        valid_options=valid_options or {},
    )


def internal_error(function: str) -> CallOutcome:
    """The outcome of a call that failed inside the platform (details only in the log)."""
    return failed(CallStatus.INTERNAL_ERROR, f"{function[:64]} failed with an internal error")


def internal_error_text(function: str) -> str:
    """:func:`internal_error`'s envelope, where no session is left to write it."""
    return envelope_text(internal_error(function), str, 200)


def envelope_text(outcome: CallOutcome, clean: Callable[[str], str], max_chars: int) -> str:
    """The JSON text the model receives for ``outcome`` (see :func:`model_envelope`)."""
    return envelope_json(model_envelope(outcome, clean, max_chars))


def envelope_json(envelope: JsonObject) -> str:
    """An envelope as the JSON text the model receives."""
    return json.dumps(envelope, ensure_ascii=False, allow_nan=False)


def model_envelope(outcome: CallOutcome, clean: Callable[[str], str], max_chars: int) -> JsonObject:
    """The envelope the model receives for ``outcome``, as a JSON object.

    Args:
        outcome: How the call ended.
        clean: Removes the binding's secret values from a text.
        max_chars: The most characters of the data (as JSON text) or the error kept;
            data cut short is carried as the string of its first characters, with
            ``"truncated": true``, so the envelope stays valid JSON.
    """
    envelope: JsonObject = {"status": str(outcome.status), "retryable": RETRYABLE[outcome.status]}
    if outcome.ok:
        data, truncated = _bounded(*_cleaned(outcome.data, clean), max_chars)
        envelope["data"] = data
    else:
        error = clean(outcome.error or str(outcome.status))
        truncated = len(error) > max_chars
        envelope["error"] = error[:max_chars]
    if outcome.valid_options:
        envelope["valid_options"] = {
            name: list(values) for name, values in outcome.valid_options.items()
        }
    if outcome.retry_after_seconds is not None:
        envelope["retry_hint"] = _retry_hint(outcome.retry_after_seconds)
    if truncated:
        envelope["truncated"] = True
    if outcome.repeated:
        envelope["repeated"] = True
    if outcome.note:
        envelope["note"] = outcome.note
    return envelope


def _cleaned(value: JsonValue, clean: Callable[[str], str]) -> tuple[JsonValue, str]:
    """``value`` without secret values, and its JSON text (scrubbed as the model reads it)."""
    if isinstance(value, str):
        cleaned_text = clean(value)
        return cleaned_text, cleaned_text
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    cleaned = clean(text)
    if cleaned == text:
        return value, text
    try:
        parsed: JsonValue = json.loads(cleaned)
    except ValueError:
        return cleaned, cleaned
    return parsed, cleaned


def _bounded(value: JsonValue, text: str, max_chars: int) -> tuple[JsonValue, bool]:
    """``value`` within ``max_chars`` of JSON ``text``, and whether it was cut."""
    if len(text) <= max_chars:
        return value, False
    return text[:max_chars], True


def _retry_hint(seconds: float) -> str:
    if seconds <= 0:
        return "the service says a retry may help now"
    return f"the service asks to wait {math.ceil(seconds)} seconds before trying again"
