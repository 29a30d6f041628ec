"""A local stand-in for three Google Calendar API v3 endpoints, on 127.0.0.1.

``GET  /calendar/v3/calendars/{calendarId}/events``  (events.list)
``POST /calendar/v3/calendars/{calendarId}/events``  (events.insert)
``POST /calendar/v3/freeBusy``                       (freeBusy.query)

``tool-platform demo`` runs the built-in calendar tool against it, offline, and the
calendar tool's tests do too. It answers with the API's JSON shapes, keeps the events it
was given per calendar, lets each access token see only its own calendars (others are
404, as Google answers), and records every request exactly as it arrived (the raw,
percent-encoded path included). Tests can make it fail, stall or answer too much.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from aiohttp import web

from entrypoints.local_server import serve_on_loopback

PREFIX = "/calendar/v3"


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it (its ``repr`` leaves the access token out)."""

    method: str
    raw_path: str
    query: dict[str, str]
    authorization: str | None = field(repr=False)
    body: Any


@dataclass
class LocalCalendarApi:
    """The stand-in's state; ``start()`` serves it, ``base_url`` points a binding at it.

    ``async with LocalCalendarApi() as api:`` serves it for the block. Its ``repr`` shows
    no access token.

    Attributes:
        tokens: Access token -> the calendars it may use.
        events: Calendar id -> its events (API resources).
        requests: Every request received, in order.
        failures: Answers (status, JSON body) to give the next requests instead.
        delay_seconds: How long to wait before answering each request.
        oversized: Answer every request with a body larger than the tools read.
        base_url: The API's base URL while serving (empty before ``start()``).
    """

    tokens: dict[str, set[str]] = field(default_factory=dict, repr=False)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    failures: deque[tuple[int, Any]] = field(default_factory=deque)
    delay_seconds: float = 0.0
    oversized: bool = False
    base_url: str = ""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None

    def add_calendar(
        self, calendar_id: str, token: str, events: Sequence[dict[str, Any]] = ()
    ) -> None:
        """Create a calendar that ``token`` may use, holding ``events`` (API resources)."""
        self.tokens.setdefault(token, set()).add(calendar_id)
        self.events[calendar_id] = [dict(event) for event in events]

    def fail_next(self, status: int, body: Any) -> None:
        """Answer the next request with ``status`` and the JSON ``body``."""
        self.failures.append((status, body))

    async def start(self) -> None:
        """Serve on a free loopback port and set ``base_url``."""
        self._runner, origin = await serve_on_loopback(self._handle)
        self.base_url = f"{origin}{PREFIX}"

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> LocalCalendarApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw_path, _, raw_query = request.raw_path.partition("?")
        text = await request.text()
        body: Any = json.loads(text) if text else None
        authorization = request.headers.get("Authorization")
        self.requests.append(
            Recorded(request.method, raw_path, dict(parse_qsl(raw_query)), authorization, body)
        )
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if self.failures:
            status, payload = self.failures.popleft()
            return web.json_response(payload, status=status)
        if self.oversized:
            return web.Response(body=b'{"items": [' + b" " * (2 * 1024 * 1024) + b"]}")
        token = (authorization or "").removeprefix("Bearer ")
        if token not in self.tokens:
            return _error(401, "Request had invalid authentication credentials.")
        visible = self.tokens[token]
        if request.method == "POST" and raw_path == f"{PREFIX}/freeBusy":
            return web.json_response(self._free_busy(body, visible))
        segments = raw_path.removeprefix(f"{PREFIX}/").split("/")
        if len(segments) == 3 and segments[0] == "calendars" and segments[2] == "events":
            calendar_id = unquote(segments[1])
            if calendar_id not in visible:
                return _error(404, "Not Found")
            if request.method == "GET":
                return web.json_response(self._list(calendar_id, request.query))
            if request.method == "POST":
                return web.json_response(self._insert(calendar_id, body))
        return _error(404, "Not Found")

    def _list(self, calendar_id: str, query: Any) -> dict[str, Any]:
        start, end = _instant(query["timeMin"]), _instant(query["timeMax"])
        matching = sorted(
            (event for event in self.events[calendar_id] if _overlaps(event, start, end)),
            key=lambda event: _instant(event["start"]["dateTime"]),
        )
        limit = int(query.get("maxResults", 250))
        answer: dict[str, Any] = {
            "kind": "calendar#events",
            "summary": calendar_id,
            "timeZone": query.get("timeZone", "UTC"),
            "items": matching[:limit],
        }
        if len(matching) > limit:
            answer["nextPageToken"] = "page-2"
        return answer

    def _insert(self, calendar_id: str, body: dict[str, Any]) -> dict[str, Any]:
        event_id = f"evt{next(self._ids)}"
        event = {
            "kind": "calendar#event",
            "id": event_id,
            "status": "confirmed",
            "htmlLink": f"https://www.google.com/calendar/event?eid={event_id}",
            "created": "2025-03-01T10:00:00.000Z",
            **body,
        }
        self.events[calendar_id].append(event)
        return event

    def _free_busy(self, body: dict[str, Any], visible: set[str]) -> dict[str, Any]:
        start, end = _instant(body["timeMin"]), _instant(body["timeMax"])
        calendars: dict[str, Any] = {}
        for item in body["items"]:
            calendar_id = item["id"]
            if calendar_id not in visible:
                calendars[calendar_id] = {
                    "errors": [{"domain": "global", "reason": "notFound"}],
                    "busy": [],
                }
                continue
            calendars[calendar_id] = {
                "busy": [
                    {"start": event["start"]["dateTime"], "end": event["end"]["dateTime"]}
                    for event in self.events[calendar_id]
                    if _overlaps(event, start, end)
                ]
            }
        return {
            "kind": "calendar#freeBusy",
            "timeMin": body["timeMin"],
            "timeMax": body["timeMax"],
            "calendars": calendars,
        }


def calendar_event(event_id: str, summary: str, start: str, end: str) -> dict[str, Any]:
    """An event resource as events.list returns it."""
    return {
        "kind": "calendar#event",
        "id": event_id,
        "status": "confirmed",
        "summary": summary,
        "start": {"dateTime": start, "timeZone": "UTC"},
        "end": {"dateTime": end, "timeZone": "UTC"},
    }


def google_error(status: int, message: str) -> dict[str, Any]:
    """An error body in the API's shape."""
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"domain": "global", "reason": "failed", "message": message}],
        }
    }


def _error(status: int, message: str) -> web.Response:
    return web.json_response(google_error(status, message), status=status)


def _instant(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _overlaps(event: dict[str, Any], start: dt.datetime, end: dt.datetime) -> bool:
    return _instant(event["start"]["dateTime"]) < end and _instant(event["end"]["dateTime"]) > start
