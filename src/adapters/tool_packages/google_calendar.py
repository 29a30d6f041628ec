"""List, create and check the events of one Google calendar (Calendar API v3).

A built-in code tool and the reference example of ``docs/writing-tools.md``: each
function reads its binding's config from ``context.userdata`` and the OAuth access token
from ``secret("access_token")``, calls the API through the job's pooled HTTP client with
a timeout, and answers with compact JSON a voice agent can read out. Every upstream
failure becomes a ``ToolError`` that says what went wrong, never with the token in it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import httpx
from livekit.agents import RunContext, ToolError, function_tool

from tool_platform import (
    CallStatus,
    ToolFailure,
    call_status_for_http,
    http_client,
    read_capped,
    redact,
    secret,
)

TOOL_NAME = "google_calendar"
TOOL_DISPLAY_NAME = "Google Calendar"
TOOL_DESCRIPTION = "List, create and check the events of one Google calendar."
AUTH_TYPE = "oauth2"
SECRET_NAMES = ["access_token"]
CALL_POLICY = {
    "list_events": {"side_effects": "none"},
    "check_availability": {"side_effects": "none"},
}
DEFAULT_API_BASE_URL = "https://www.googleapis.com/calendar/v3"
CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "calendar_id": {
            "type": "string",
            "minLength": 1,
            "default": "primary",
            "title": "Calendar",
            "description": "The calendar's id (its email-like address), or primary.",
        },
        "default_event_duration": {
            "type": "integer",
            "minimum": 5,
            "maximum": 1440,
            "default": 30,
            "title": "Default event length (minutes)",
            "description": "The length of a new event when the caller gives no end.",
        },
        "time_zone": {
            "type": "string",
            "minLength": 1,
            "default": "UTC",
            "title": "Time zone",
            "description": "IANA time zone (Europe/Paris) for times given without an offset.",
        },
        "api_base_url": {
            "type": "string",
            "format": "uri",
            "default": DEFAULT_API_BASE_URL,
            "title": "API base URL",
            "description": "The Calendar API's base URL; change it only for a test server.",
        },
        "request_timeout_seconds": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 30,
            "default": 8,
            "title": "Request timeout (seconds)",
        },
    },
}

MAX_RESPONSE_BYTES = 1024 * 1024
MAX_LISTED_EVENTS = 50
_SERVICE = "Google Calendar"


@dataclass(frozen=True)
class _Calendar:
    """One call's view of its binding's config."""

    calendar_id: str
    event_duration: dt.timedelta
    zone_name: str
    zone: dt.tzinfo
    base_url: str
    timeout: float

    @classmethod
    def of(cls, context: RunContext[Mapping[str, Any]]) -> _Calendar:
        """Read the calling binding's config (it always runs in one: it needs the token)."""
        config = context.userdata  # the binding's config, CONFIG_SCHEMA's defaults applied
        zone_name = str(config["time_zone"])
        try:
            zone = ZoneInfo(zone_name)
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            raise ToolError(
                f"the calendar's time zone {zone_name!r} is not a known IANA time zone; "
                "the binding's time_zone setting must be fixed"
            ) from None
        base_url = str(config["api_base_url"]).rstrip("/")
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
            raise ToolError("the binding's api_base_url is not an http(s) URL without a query")
        if parts.username is not None or parts.password is not None:
            raise ToolError("the binding's api_base_url must not carry a user name or password")
        return cls(
            calendar_id=str(config["calendar_id"]),
            event_duration=dt.timedelta(minutes=int(config["default_event_duration"])),
            zone_name=zone_name,
            zone=zone,
            base_url=base_url,
            timeout=float(config["request_timeout_seconds"]),
        )

    @property
    def events_path(self) -> str:
        return f"/calendars/{quote(self.calendar_id, safe='')}/events"

    def instant(self, value: str, argument: str) -> dt.datetime:
        """Read an ISO 8601 date or date-time; without an offset, in the calendar's zone."""
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ToolError(
                f"{argument} must be an ISO 8601 date-time such as 2025-03-10T15:00, not {value!r}"
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)

    def window(self, time_min: str, time_max: str | None) -> tuple[dt.datetime, dt.datetime]:
        start = self.instant(time_min, "time_min")
        end = self.instant(time_max, "time_max") if time_max else start + dt.timedelta(days=1)
        if end <= start:
            raise ToolError("time_max must be later than time_min")
        return start, end


@function_tool
async def list_events(
    context: RunContext[Mapping[str, Any]],
    time_min: str,
    time_max: str | None = None,
    max_results: int = 10,
) -> dict[str, Any]:
    """List the calendar's events in a time window, earliest first.

    Args:
        context: The call's LiveKit context; its userdata holds the binding's config.
        time_min: Start of the window, an ISO 8601 date-time such as 2025-03-10T09:00
            (without an offset it is read in the calendar's time zone).
        time_max: End of the window, in the same form; one day after time_min if left out.
        max_results: The most events to return, from 1 to 50.
    """
    calendar = _Calendar.of(context)
    start, end = calendar.window(time_min, time_max)
    answer = await _request(
        calendar,
        "GET",
        calendar.events_path,
        action="list the events",
        params={
            "timeMin": start.isoformat(),
            "timeMax": end.isoformat(),
            "maxResults": max(1, min(max_results, MAX_LISTED_EVENTS)),
            "singleEvents": "true",
            "orderBy": "startTime",
            "timeZone": calendar.zone_name,
        },
    )
    items = answer.get("items") if isinstance(answer, dict) else None
    return {
        "time_zone": calendar.zone_name,
        "events": [_event(item) for item in items or [] if isinstance(item, dict)],
        "more": bool(isinstance(answer, dict) and answer.get("nextPageToken")),
    }


@function_tool
async def create_event(  # noqa: PLR0917 - one parameter per argument the LLM gives
    context: RunContext[Mapping[str, Any]],
    summary: str,
    start: str,
    end: str | None = None,
    description: str | None = None,
    location: str | None = None,
) -> dict[str, Any]:
    """Create an event in the calendar.

    Args:
        context: The call's LiveKit context; its userdata holds the binding's config.
        summary: The event's title.
        start: When it starts, an ISO 8601 date-time such as 2025-03-10T15:00 (without an
            offset it is read in the calendar's time zone).
        end: When it ends, in the same form; left out, the calendar's default event
            length applies.
        description: Notes for the event.
        location: Where it takes place.
    """
    calendar = _Calendar.of(context)
    title = " ".join(summary.split())
    if not title:
        raise ToolError("summary must not be empty")
    begins = calendar.instant(start, "start")
    ends = calendar.instant(end, "end") if end else begins + calendar.event_duration
    if ends <= begins:
        raise ToolError("end must be later than start")
    body: dict[str, Any] = {
        "summary": title,
        "start": {"dateTime": begins.isoformat(), "timeZone": calendar.zone_name},
        "end": {"dateTime": ends.isoformat(), "timeZone": calendar.zone_name},
    }
    if description:
        body["description"] = description
    if location:
        body["location"] = location
    created = await _request(
        calendar, "POST", calendar.events_path, action="create the event", json_body=body
    )
    if not isinstance(created, dict):
        raise ToolError(f"{_SERVICE} answered the new event with something unexpected")
    event = _event(created)
    if created.get("htmlLink"):
        event["link"] = created["htmlLink"]
    return event


@function_tool
async def check_availability(
    context: RunContext[Mapping[str, Any]], time_min: str, time_max: str
) -> dict[str, Any]:
    """Tell whether the calendar is free in a time window, and when it is busy.

    Args:
        context: The call's LiveKit context; its userdata holds the binding's config.
        time_min: Start of the window, an ISO 8601 date-time such as 2025-03-10T09:00
            (without an offset it is read in the calendar's time zone).
        time_max: End of the window, in the same form.
    """
    calendar = _Calendar.of(context)
    start, end = calendar.window(time_min, time_max)
    answer = await _request(
        calendar,
        "POST",
        "/freeBusy",
        action="check the availability",
        json_body={
            "timeMin": start.isoformat(),
            "timeMax": end.isoformat(),
            "timeZone": calendar.zone_name,
            "items": [{"id": calendar.calendar_id}],
        },
    )
    calendars = answer.get("calendars") if isinstance(answer, dict) else None
    entry = calendars.get(calendar.calendar_id) if isinstance(calendars, dict) else None
    if not isinstance(entry, dict):
        raise ToolError(f"{_SERVICE} said nothing about calendar {calendar.calendar_id!r}")
    if entry.get("errors"):
        reasons = ", ".join(
            str(error.get("reason", "unknown"))
            for error in entry["errors"]
            if isinstance(error, dict)
        )
        raise ToolError(f"{_SERVICE} could not check calendar {calendar.calendar_id!r} ({reasons})")
    busy = [
        {"start": period.get("start"), "end": period.get("end")}
        for period in entry.get("busy") or []
        if isinstance(period, dict)
    ]
    return {"time_zone": calendar.zone_name, "free": not busy, "busy": busy}


def _event(item: dict[str, Any]) -> dict[str, Any]:
    """The few fields of a Calendar event a voice agent needs."""
    event: dict[str, Any] = {
        "id": item.get("id"),
        "summary": item.get("summary") or "(no title)",
        "start": _when(item.get("start")),
        "end": _when(item.get("end")),
    }
    if item.get("location"):
        event["location"] = item["location"]
    return event


def _when(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("dateTime") or value.get("date")
    return None


async def _request(
    calendar: _Calendar,
    method: str,
    path: str,
    *,
    action: str,
    params: dict[str, Any] | None = None,
    json_body: dict[str, Any] | None = None,
) -> Any:
    """Send one API request and return its JSON answer, or raise a clean ``ToolError``."""
    token = secret("access_token")
    if not token or not token.isascii() or not token.isprintable():
        raise ToolError("the binding's access_token cannot be sent as a header value")
    try:
        async with (
            asyncio.timeout(calendar.timeout),
            http_client().stream(
                method,
                calendar.base_url + path,
                params=params,
                json=json_body,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                timeout=calendar.timeout,
            ) as response,
        ):
            content, cut = await read_capped(response, MAX_RESPONSE_BYTES)
    except (TimeoutError, httpx.TimeoutException):
        acts = method == "POST" and path != "/freeBusy"
        unknown = (
            "; whether it happened is unknown, so check before trying again"
            if acts
            else "; try again"
        )
        raise ToolFailure(
            f"could not {action}: {_SERVICE} did not answer within "
            f"{calendar.timeout:g} seconds{unknown}",
            status=CallStatus.TIMEOUT_OUTCOME_UNKNOWN if acts else CallStatus.UNAVAILABLE,
        ) from None
    except httpx.HTTPError as error:
        raise ToolFailure(
            f"could not {action}: {_SERVICE} could not be reached ({type(error).__name__})",
            status=CallStatus.UNAVAILABLE,
        ) from None
    if response.status_code >= 400:
        raise ToolFailure(
            f"could not {action}: " + _refusal(response.status_code, content),
            status=call_status_for_http(response.status_code),
        )
    if cut:
        raise ToolError(f"could not {action}: {_SERVICE}'s answer was too large")
    try:
        return json.loads(content)
    except ValueError:
        raise ToolError(
            f"could not {action}: {_SERVICE} answered with something not JSON"
        ) from None


def _refusal(status: int, content: bytes) -> str:
    """Say why the API refused a request, without the token."""
    if status == 401:
        return (
            f"{_SERVICE} refused the access token (HTTP 401): it is missing, expired or "
            "revoked, and the calendar's owner must renew it"
        )
    if status == 404:
        return f"{_SERVICE} does not know this calendar or event (HTTP 404)"
    if status == 429:
        return f"{_SERVICE} is rate limiting requests (HTTP 429); try again in a minute"
    if status >= 500:
        return f"{_SERVICE} is unavailable right now (HTTP {status}); try again later"
    detail = _upstream_message(content)
    if status == 403:
        return f"{_SERVICE} denied access (HTTP 403)" + (f": {detail}" if detail else "")
    return f"{_SERVICE} refused the request (HTTP {status})" + (f": {detail}" if detail else "")


def _upstream_message(content: bytes) -> str:
    """The ``error.message`` of a Google error answer, cut short and free of the secrets."""
    try:
        message = json.loads(content)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return ""
    if not isinstance(message, str):
        return ""
    return redact(message)[:200]
