"""What the model is told about an HTTP response.

2xx: JSON as JSON (shaped by ``response.pick`` when the template says so), other text
as text, anything else as a one-line description of its type and size. 3xx (a redirect
that was not followed), 4xx (the status and a short excerpt of the body, so the model
can correct itself) and 5xx (the status and "the service failed") are ``ToolFailure``
with the status that names them: 404 ``not_found``, 401/403 ``unauthorized``, 429
``rate_limited`` and 5xx ``unavailable`` (both with the ``Retry-After`` seconds), any
other ``tool_error``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from domain.call_status import CallStatus
from domain.errors import ToolFailure
from domain.http_statuses import call_status_for_http
from domain.json_types import JsonValue
from domain.tools.run_specs import HttpResponseShape

EXCERPT_CHARS = 300
"""The most characters of an error body quoted to the model."""

_TEXT_TYPES = ("text/", "application/xml", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class ReceivedResponse:
    """A response as read (its body cut at the size cap).

    Attributes:
        status: The HTTP status code.
        content_type: The ``Content-Type`` header, lowercased ("" when absent).
        body: The body, at most the cap.
        cut: Whether the body was longer than the cap.
        retry_after: ``Retry-After`` in seconds (None when absent or unreadable).
    """

    status: int
    content_type: str
    body: bytes
    cut: bool
    retry_after: float | None = None

    @property
    def is_json(self) -> bool:
        """Whether the body says it is JSON."""
        media = self.content_type.split(";")[0].strip()
        return media == "application/json" or media.endswith("+json")

    @property
    def is_text(self) -> bool:
        """Whether the body says it is text (JSON included)."""
        return self.is_json or self.content_type.startswith(_TEXT_TYPES)

    def text(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")


def model_output(
    function: str, response: ReceivedResponse, shape: HttpResponseShape | None
) -> JsonValue:
    """The value the model gets for ``response``.

    Raises:
        ToolFailure: For any status outside 2xx.
    """
    if response.status >= 500:
        raise ToolFailure(
            f"{function}: the service failed (HTTP {response.status})",
            status=CallStatus.UNAVAILABLE,
            retry_after_seconds=response.retry_after,
        )
    if response.status >= 400:
        status = call_status_for_http(response.status)
        raise ToolFailure(
            f"{function}: the service refused the request (HTTP {response.status}): "
            f"{_excerpt(response)}",
            status=status,
            retry_after_seconds=response.retry_after if status is CallStatus.RATE_LIMITED else None,
        )
    if response.status >= 300:
        raise ToolFailure(
            f"{function}: the service answered with a redirect (HTTP {response.status}) "
            "that was not followed"
        )
    if not response.is_text:
        kind = response.content_type.split(";")[0].strip() or "unknown type"
        more = " or more" if response.cut else ""
        return f"a binary response ({kind}, {len(response.body):,} bytes{more})"
    if response.cut:
        return f"{response.text()}\n[the response was cut at {len(response.body):,} bytes]"
    if response.is_json:
        try:
            value: JsonValue = json.loads(response.body)
        except ValueError:
            return response.text()
        return value if shape is None else picked(value, shape)
    return response.text()


def picked(document: JsonValue, shape: HttpResponseShape) -> JsonValue:
    """Only the fields ``shape`` names; a pointer that matches nothing gives null."""
    if isinstance(shape.pick, list):
        return [resolve_pointer(document, pointer) for pointer in shape.pick]
    return {name: resolve_pointer(document, pointer) for name, pointer in shape.pick.items()}


def resolve_pointer(document: JsonValue, pointer: str) -> JsonValue:
    """The value at JSON pointer ``pointer`` (RFC 6901), or None when nothing is there."""
    value = document
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            if key not in value:
                return None
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


def _excerpt(response: ReceivedResponse) -> str:
    if not response.is_text:
        return "(no text body)"
    text = " ".join(response.text().split())
    if len(text) > EXCERPT_CHARS:
        return text[:EXCERPT_CHARS] + "…"
    return text or "(empty body)"
