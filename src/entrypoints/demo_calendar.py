"""A stand-in for the Google Calendar API on 127.0.0.1, so the demo runs offline.

It answers ``events.list`` and ``freeBusy.query`` with a fixed day of meetings, in the
API's own JSON shapes, and accepts only the demo's access token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from aiohttp import web

MEETINGS: list[dict[str, Any]] = [
    {
        "id": "standup",
        "summary": "Team stand-up",
        "start": {"dateTime": "2026-11-24T09:30:00Z"},
        "end": {"dateTime": "2026-11-24T09:45:00Z"},
    },
    {
        "id": "review",
        "summary": "Quarterly review with Ana",
        "start": {"dateTime": "2026-11-24T15:00:00Z"},
        "end": {"dateTime": "2026-11-24T16:00:00Z"},
    },
]


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@asynccontextmanager
async def calendar_api(token: str) -> AsyncIterator[str]:
    """Serve the stand-in on a free loopback port; yield its base URL."""

    def authorised(request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {token}"

    async def events(request: web.Request) -> web.Response:
        if not authorised(request):
            return web.json_response({"error": {"code": 401, "message": "Invalid"}}, status=401)
        return web.json_response({"kind": "calendar#events", "items": MEETINGS})

    async def free_busy(request: web.Request) -> web.Response:
        if not authorised(request):
            return web.json_response({"error": {"code": 401, "message": "Invalid"}}, status=401)
        query = await request.json()
        start, end = _instant(query["timeMin"]), _instant(query["timeMax"])
        busy = [
            {"start": m["start"]["dateTime"], "end": m["end"]["dateTime"]}
            for m in MEETINGS
            if _instant(m["start"]["dateTime"]) < end and _instant(m["end"]["dateTime"]) > start
        ]
        return web.json_response(
            {"calendars": {item["id"]: {"busy": busy} for item in query.get("items", [])}}
        )

    app = web.Application()
    app.router.add_get("/calendar/v3/calendars/{calendar_id}/events", events)
    app.router.add_post("/calendar/v3/freeBusy", free_busy)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    address: Any = runner.addresses[0]
    port = address[1]
    try:
        yield f"http://127.0.0.1:{port}/calendar/v3"
    finally:
        await runner.cleanup()
