"""The built-in Google Calendar tool, run by the platform against a local Calendar API."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from adapters.code_sync import code_tool_documents
from adapters.gemini.compatibility import GeminiModelCompatibility
from adapters.http.pool import HttpClientPool
from adapters.tool_context import CallScope, in_call
from adapters.tool_packages import google_calendar
from domain.errors import ToolFailure
from domain.injection import ConfigInjection
from domain.schema.function_schema import FunctionSchema
from domain.secrets import REDACTED, Secret
from domain.tools.document import read_tool_document
from entrypoints.local_calendar_api import (
    LocalCalendarApi,
    calendar_event,
    google_error,
)
from tests.builders import CANARY, assert_no_secret, data_of, error_of, local_guard
from tests.integration.tool_packages.conftest import Platform, StandInRunContext, call

TEAM_CALENDAR = "team/sales desk@group.calendar.google.com"
TEAM_CALENDAR_PATH = "/calendar/v3/calendars/team%2Fsales%20desk%40group.calendar.google.com/events"
STANDUP = calendar_event(
    "evt-standup", "Stand-up", "2025-03-10T09:00:00+00:00", "2025-03-10T09:15:00+00:00"
)
REVIEW = calendar_event(
    "evt-review", "Pipeline review", "2025-03-10T14:00:00+00:00", "2025-03-10T15:00:00+00:00"
)
NEXT_DAY = calendar_event(
    "evt-later", "Offsite", "2025-03-11T10:00:00+00:00", "2025-03-11T12:00:00+00:00"
)


async def calendar_tools(
    platform: Platform, api: LocalCalendarApi, agent: str = "sales", **config: Any
) -> dict[str, Any]:
    """Bind ``agent`` to the calendar tool with ``config`` (pointed at ``api``)."""
    token = config.pop("token", CANARY)
    await platform.bind(
        agent,
        "google_calendar",
        config={"api_base_url": api.base_url, **config},
        secrets={"access_token": token},
    )
    return await platform.session(agent)


def bound_config(**config: Any) -> dict[str, Any]:
    """``config`` as a binding hands it to the tool: validated, the schema's defaults applied."""
    document = code_tool_documents("adapters.tool_packages")[
        "adapters.tool_packages.google_calendar"
    ]
    return read_tool_document(document).tool.validate_config(config)


def output(result: Any) -> Any:
    assert result.ok, result.output
    return data_of(result.output)


# ------------------------------------------------------------------ the catalog


def test_the_module_becomes_one_tool_with_its_declarations() -> None:
    document = code_tool_documents("adapters.tool_packages")[
        "adapters.tool_packages.google_calendar"
    ]

    assert document["name"] == "google_calendar"
    assert document["secret_names"] == ["access_token"]
    assert [f["name"] for f in document["tool_functions_schema"]["functions"]] == [
        "list_events",
        "create_event",
        "check_availability",
    ]
    properties = document["config_schema"]["properties"]
    assert properties["calendar_id"]["default"] == "primary"
    assert properties["default_event_duration"] == {
        **properties["default_event_duration"],
        "default": 30,
        "minimum": 5,
    }
    assert properties["api_base_url"]["format"] == "uri"
    listed = document["tool_functions_schema"]["functions"][0]["parameters"]
    assert "context" not in listed["properties"]
    assert listed["properties"]["time_min"]["description"].startswith("Start of the window")


@pytest.mark.parametrize("module", sorted(code_tool_documents("adapters.tool_packages")))
def test_gemini_realtime_accepts_every_function_without_warnings(module: str) -> None:
    document = code_tool_documents("adapters.tool_packages")[module]
    gemini = GeminiModelCompatibility()

    verdicts = {
        function["name"]: gemini.check(FunctionSchema.from_dict(function))
        for function in document["tool_functions_schema"]["functions"]
    }

    assert verdicts
    assert {name: verdict.accepted for name, verdict in verdicts.items()} == dict.fromkeys(
        verdicts, True
    )
    assert {name: verdict.warnings for name, verdict in verdicts.items()} == dict.fromkeys(
        verdicts, ()
    )


async def test_a_binding_config_below_the_minimum_duration_is_refused(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    with pytest.raises(Exception, match="default_event_duration"):
        await platform.bind(
            "sales",
            "google_calendar",
            config={"default_event_duration": 2},
            secrets={"access_token": CANARY},
        )


# ------------------------------------------------------------------ list_events


async def test_list_events_asks_the_binding_calendar_with_its_token_and_reads_compactly(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar(TEAM_CALENDAR, CANARY, [REVIEW, NEXT_DAY, STANDUP])
    tools = await calendar_tools(platform, calendar_api, calendar_id=TEAM_CALENDAR)

    listed = output(
        await call(tools["list_events"], {"time_min": "2025-03-10T00:00:00", "max_results": 5})
    )

    [request] = calendar_api.requests
    assert (request.method, request.raw_path) == ("GET", TEAM_CALENDAR_PATH)
    assert request.authorization == f"Bearer {CANARY}"
    assert request.query == {
        "timeMin": "2025-03-10T00:00:00+00:00",
        "timeMax": "2025-03-11T00:00:00+00:00",
        "maxResults": "5",
        "singleEvents": "true",
        "orderBy": "startTime",
        "timeZone": "UTC",
    }
    assert listed == {
        "time_zone": "UTC",
        "events": [
            {
                "id": "evt-standup",
                "summary": "Stand-up",
                "start": "2025-03-10T09:00:00+00:00",
                "end": "2025-03-10T09:15:00+00:00",
            },
            {
                "id": "evt-review",
                "summary": "Pipeline review",
                "start": "2025-03-10T14:00:00+00:00",
                "end": "2025-03-10T15:00:00+00:00",
            },
        ],
        "more": False,
    }


async def test_list_events_reads_times_in_the_binding_time_zone_and_caps_the_count(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("primary", CANARY, [STANDUP, REVIEW])
    tools = await calendar_tools(platform, calendar_api, time_zone="Europe/Paris")

    listed = output(
        await call(
            tools["list_events"],
            {
                "time_min": "2025-03-10T08:00:00",
                "time_max": "2025-03-10T18:00:00",
                "max_results": 500,
            },
        )
    )

    [request] = calendar_api.requests
    assert request.raw_path == "/calendar/v3/calendars/primary/events"
    assert request.query["timeMin"] == "2025-03-10T08:00:00+01:00"
    assert request.query["timeMax"] == "2025-03-10T18:00:00+01:00"
    assert request.query["timeZone"] == "Europe/Paris"
    assert request.query["maxResults"] == "50"
    assert [event["id"] for event in listed["events"]] == ["evt-standup", "evt-review"]


async def test_list_events_says_when_more_events_remain(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("primary", CANARY, [STANDUP, REVIEW])
    tools = await calendar_tools(platform, calendar_api)

    listed = output(
        await call(tools["list_events"], {"time_min": "2025-03-10T00:00:00Z", "max_results": 1})
    )

    assert [event["id"] for event in listed["events"]] == ["evt-standup"]
    assert listed["more"] is True


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"time_min": "next tuesday"}, "time_min must be an ISO 8601 date-time"),
        (
            {"time_min": "2025-03-10T10:00", "time_max": "2025-03-10T09:00"},
            "time_max must be later than time_min",
        ),
    ],
)
async def test_bad_times_are_refused_before_any_request(
    platform: Platform, calendar_api: LocalCalendarApi, arguments: dict[str, str], message: str
) -> None:
    calendar_api.add_calendar("primary", CANARY)
    tools = await calendar_tools(platform, calendar_api)

    result = await call(tools["list_events"], arguments)

    assert result.ok is False
    assert message in result.output
    assert calendar_api.requests == []


# ------------------------------------------------------------------ create_event


async def test_create_event_uses_the_default_duration_and_the_default_calendar(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("primary", CANARY)
    tools = await calendar_tools(platform, calendar_api)

    created = output(
        await call(
            tools["create_event"],
            {"summary": "  Call back   Ms Lee ", "start": "2025-03-12T15:00:00+01:00"},
        )
    )

    [request] = calendar_api.requests
    assert (request.method, request.raw_path) == ("POST", "/calendar/v3/calendars/primary/events")
    assert request.authorization == f"Bearer {CANARY}"
    assert request.body == {
        "summary": "Call back Ms Lee",
        "start": {"dateTime": "2025-03-12T15:00:00+01:00", "timeZone": "UTC"},
        "end": {"dateTime": "2025-03-12T15:30:00+01:00", "timeZone": "UTC"},
    }
    assert created == {
        "id": "evt1",
        "summary": "Call back Ms Lee",
        "start": "2025-03-12T15:00:00+01:00",
        "end": "2025-03-12T15:30:00+01:00",
        "link": "https://www.google.com/calendar/event?eid=evt1",
    }


async def test_create_event_takes_the_binding_duration_and_optional_fields(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar(TEAM_CALENDAR, CANARY)
    tools = await calendar_tools(
        platform,
        calendar_api,
        calendar_id=TEAM_CALENDAR,
        default_event_duration=45,
        time_zone="America/New_York",
    )

    created = output(
        await call(
            tools["create_event"],
            {
                "summary": "Demo",
                "start": "2025-03-12T10:00",
                "location": "Room 4",
                "description": "Bring the deck",
            },
        )
    )
    explicit = output(
        await call(
            tools["create_event"],
            {"summary": "Demo 2", "start": "2025-03-12T11:00", "end": "2025-03-12T11:10"},
        )
    )

    first, second = calendar_api.requests
    assert first.raw_path == TEAM_CALENDAR_PATH
    assert first.body == {
        "summary": "Demo",
        "start": {"dateTime": "2025-03-12T10:00:00-04:00", "timeZone": "America/New_York"},
        "end": {"dateTime": "2025-03-12T10:45:00-04:00", "timeZone": "America/New_York"},
        "description": "Bring the deck",
        "location": "Room 4",
    }
    assert created["location"] == "Room 4"
    assert second.body["end"]["dateTime"] == "2025-03-12T11:10:00-04:00"
    assert explicit["end"] == "2025-03-12T11:10:00-04:00"
    assert len(calendar_api.events[TEAM_CALENDAR]) == 2


async def test_create_event_refuses_an_end_before_the_start(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("primary", CANARY)
    tools = await calendar_tools(platform, calendar_api)

    result = await call(
        tools["create_event"],
        {"summary": "x", "start": "2025-03-12T15:00", "end": "2025-03-12T14:00"},
    )

    assert (result.ok, error_of(result.output)) == (False, "end must be later than start")
    assert calendar_api.requests == []


# ------------------------------------------------------------------ check_availability


async def test_check_availability_posts_a_free_busy_query_and_lists_busy_times(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar(TEAM_CALENDAR, CANARY, [STANDUP, REVIEW])
    tools = await calendar_tools(platform, calendar_api, calendar_id=TEAM_CALENDAR)

    busy = output(
        await call(
            tools["check_availability"],
            {"time_min": "2025-03-10T08:00:00Z", "time_max": "2025-03-10T12:00:00Z"},
        )
    )
    free = output(
        await call(
            tools["check_availability"],
            {"time_min": "2025-03-10T10:00:00Z", "time_max": "2025-03-10T12:00:00Z"},
        )
    )

    request = calendar_api.requests[0]
    assert (request.method, request.raw_path) == ("POST", "/calendar/v3/freeBusy")
    assert request.authorization == f"Bearer {CANARY}"
    assert request.body == {
        "timeMin": "2025-03-10T08:00:00+00:00",
        "timeMax": "2025-03-10T12:00:00+00:00",
        "timeZone": "UTC",
        "items": [{"id": TEAM_CALENDAR}],
    }
    assert busy == {
        "time_zone": "UTC",
        "free": False,
        "busy": [{"start": "2025-03-10T09:00:00+00:00", "end": "2025-03-10T09:15:00+00:00"}],
    }
    assert free == {"time_zone": "UTC", "free": True, "busy": []}


async def test_check_availability_reports_a_calendar_the_token_cannot_see(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("someone-else", CANARY)
    tools = await calendar_tools(platform, calendar_api, calendar_id="ghost@example.com")

    result = await call(
        tools["check_availability"],
        {"time_min": "2025-03-10T08:00:00Z", "time_max": "2025-03-10T12:00:00Z"},
    )

    assert result.ok is False
    assert error_of(result.output) == (
        "Google Calendar could not check calendar 'ghost@example.com' (notFound)"
    )


# ------------------------------------------------------------------ isolation


async def test_two_bindings_called_concurrently_each_use_their_own_calendar_and_token(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("sales@example.com", "token-sales-1111", [STANDUP])
    calendar_api.add_calendar("support@example.com", "token-support-2222", [REVIEW])
    calendar_api.delay_seconds = 0.05  # both requests are in flight at once
    sales = await calendar_tools(
        platform,
        calendar_api,
        "sales",
        calendar_id="sales@example.com",
        token="token-sales-1111",
    )
    support = await calendar_tools(
        platform,
        calendar_api,
        "support",
        calendar_id="support@example.com",
        token="token-support-2222",
        default_event_duration=60,
    )
    window = {"time_min": "2025-03-10T00:00:00Z"}

    session_context = StandInRunContext()  # one userdata object, as in a real session

    results = await asyncio.gather(
        *(
            tools[name](arguments, runtime_context=session_context)
            for _ in range(3)
            for tools in (sales, support)
            for name, arguments in [
                ("list_events", window),
                ("create_event", {"summary": "Sync", "start": "2025-03-12T09:00:00Z"}),
            ]
        )
    )

    assert all(result.ok for result in results), results
    by_token = {
        token: {
            request.raw_path.split("/")[4]
            for request in calendar_api.requests
            if request.authorization == f"Bearer {token}"
        }
        for token in ("token-sales-1111", "token-support-2222")
    }
    assert by_token == {
        "token-sales-1111": {"sales%40example.com"},
        "token-support-2222": {"support%40example.com"},
    }
    listed = [output(result) for result in results[0::2]]
    assert [[e["id"] for e in page["events"]] for page in listed] == [
        ["evt-standup"],
        ["evt-review"],
    ] * 3
    ends = {
        request.authorization: request.body["end"]["dateTime"]
        for request in calendar_api.requests
        if request.method == "POST"
    }
    assert ends == {
        "Bearer token-sales-1111": "2025-03-12T09:30:00+00:00",
        "Bearer token-support-2222": "2025-03-12T10:00:00+00:00",
    }


# ------------------------------------------------------------------ upstream failures


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (401, "could not list the events: Google Calendar refused the access token (HTTP 401)"),
        (404, "could not list the events: Google Calendar does not know this calendar"),
        (500, "could not list the events: Google Calendar is unavailable right now (HTTP 500)"),
        (429, "could not list the events: Google Calendar is rate limiting requests"),
        (400, "could not list the events: Google Calendar refused the request (HTTP 400): "),
        (403, "could not list the events: Google Calendar denied access (HTTP 403): "),
    ],
)
async def test_an_upstream_error_becomes_a_clean_message_without_the_token(
    platform: Platform, calendar_api: LocalCalendarApi, status: int, expected: str
) -> None:
    calendar_api.add_calendar("primary", CANARY)
    calendar_api.fail_next(status, google_error(status, f"bad credentials {CANARY}"))
    tools = await calendar_tools(platform, calendar_api)

    result = await call(tools["list_events"], {"time_min": "2025-03-10T00:00:00Z"})

    assert result.ok is False
    assert error_of(result.output).startswith(expected)
    assert_no_secret(result.output)


async def test_an_unknown_token_is_a_401_from_the_api(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("primary", "the-right-token")
    tools = await calendar_tools(platform, calendar_api, token="an-expired-token")

    result = await call(tools["create_event"], {"summary": "x", "start": "2025-03-12T09:00Z"})

    assert result.ok is False
    assert "refused the access token (HTTP 401)" in result.output
    assert calendar_api.events["primary"] == []


async def test_the_tool_itself_keeps_the_token_out_of_its_errors() -> None:
    """Without the pipeline's scrubbing: the ToolFailure text is already clean."""
    pool = HttpClientPool(local_guard())
    async with LocalCalendarApi() as api:
        api.fail_next(400, google_error(400, f"Invalid value for token {CANARY}"))
        api.fail_next(403, google_error(403, f"{CANARY} may not read this calendar"))
        injection = ConfigInjection(
            agent_id="a",
            binding_id="b",
            tool_name="google_calendar",
            tool_version=1,
            config=bound_config(api_base_url=api.base_url),
            secrets={"access_token": Secret(CANARY)},
        )
        messages = []
        with in_call(CallScope(injection, pool)):
            for _ in range(2):
                with pytest.raises(ToolFailure) as raised:
                    await google_calendar.list_events(
                        StandInRunContext(), time_min="2025-03-10T00:00:00Z"
                    )
                messages.append(str(raised.value))
    await pool.aclose()

    assert messages == [
        "could not list the events: Google Calendar refused the request (HTTP 400): "
        f"Invalid value for token {REDACTED}",
        "could not list the events: Google Calendar denied access (HTTP 403): "
        f"{REDACTED} may not read this calendar",
    ]


async def test_an_answer_that_echoes_the_token_reaches_the_llm_scrubbed(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    echoing = calendar_event(
        "evt-echo", f"token is {CANARY}", "2025-03-10T09:00:00Z", "2025-03-10T10:00:00Z"
    )
    calendar_api.add_calendar("primary", CANARY, [echoing])
    tools = await calendar_tools(platform, calendar_api)

    result = await call(tools["list_events"], {"time_min": "2025-03-10T00:00:00Z"})

    assert result.ok is True
    assert_no_secret(result.output)
    assert output(result)["events"][0]["summary"] == f"token is {REDACTED}"


async def test_a_hung_api_times_out_and_a_create_says_its_outcome_is_unknown(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("primary", CANARY)
    calendar_api.delay_seconds = 2
    tools = await calendar_tools(platform, calendar_api, request_timeout_seconds=0.2)

    started = asyncio.get_running_loop().time()
    created = await call(tools["create_event"], {"summary": "x", "start": "2025-03-12T09:00Z"})
    listed = await call(tools["list_events"], {"time_min": "2025-03-10T00:00:00Z"})
    elapsed = asyncio.get_running_loop().time() - started

    assert error_of(created.output) == (
        "could not create the event: Google Calendar did not answer within 0.2 seconds; "
        "whether it happened is unknown, so check before trying again. "
        "Do not repeat it without asking the caller."
    )
    assert error_of(listed.output).endswith("did not answer within 0.2 seconds; try again")
    assert elapsed < 1.5


async def test_an_unreachable_api_and_an_oversized_answer_are_clean_errors(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("primary", CANARY)
    calendar_api.oversized = True
    tools = await calendar_tools(platform, calendar_api)
    await platform.bind(
        "nowhere",
        "google_calendar",
        config={"api_base_url": "http://127.0.0.1:9/calendar/v3"},
        secrets={"access_token": CANARY},
    )
    nowhere = await platform.session("nowhere")

    oversized = await call(tools["list_events"], {"time_min": "2025-03-10T00:00:00Z"})
    unreachable = await call(nowhere["list_events"], {"time_min": "2025-03-10T00:00:00Z"})

    assert error_of(oversized.output) == (
        "could not list the events: Google Calendar's answer was too large"
    )
    assert error_of(unreachable.output) == (
        "could not list the events: Google Calendar could not be reached (ConnectError)"
    )


async def test_a_binding_base_url_the_outbound_guard_refuses_is_never_called(
    platform: Platform,
) -> None:
    for agent, base_url in [
        ("metadata", "http://169.254.169.254/calendar/v3"),
        ("decimal", "http://2130706433/calendar/v3"),
        ("private", "http://10.0.0.7/calendar/v3"),
    ]:
        await platform.bind(
            agent,
            "google_calendar",
            config={"api_base_url": base_url},
            secrets={"access_token": CANARY},
        )
        tools = await platform.session(agent)

        result = await call(tools["list_events"], {"time_min": "2025-03-10T00:00:00Z"})

        assert not result.ok
        assert error_of(result.output) == "the tool's address is not allowed"


async def test_without_a_session_the_functions_say_they_need_one(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("primary", CANARY)
    tools = await calendar_tools(platform, calendar_api)

    result = await tools["list_events"]({"time_min": "2025-03-10T00:00:00Z"})

    assert (result.ok, error_of(result.output)) == (
        False,
        "list_events needs a LiveKit session (it takes a RunContext)",
    )
    assert calendar_api.requests == []


async def test_the_local_api_shows_no_access_token_in_its_repr(
    platform: Platform, calendar_api: LocalCalendarApi
) -> None:
    calendar_api.add_calendar("primary", CANARY)
    tools = await calendar_tools(platform, calendar_api)

    await call(tools["list_events"], {"time_min": "2025-03-10T00:00:00Z"})

    [request] = calendar_api.requests
    assert request.authorization == f"Bearer {CANARY}"
    assert "/calendar/v3/calendars/primary/events" in repr(calendar_api)  # the request shows
    assert_no_secret(repr(calendar_api))
