"""The built-in tools inside a real LiveKit ``AgentSession`` (text mode, scripted LLM).

One agent is bound to both built-in tools; the scripted LLM calls a calendar function
and the email function in one response, so LiveKit runs them concurrently, each with a
real ``RunContext`` whose userdata is the session's one ``BindingUserdata``.
"""

from __future__ import annotations

from adapters.livekit.runtime import LiveKitToolRuntime
from adapters.livekit.scripted_llm import Call, ScriptedLLM
from adapters.livekit.text_session import Transcript, run_text_session
from entrypoints.local_calendar_api import (
    LocalCalendarApi,
    calendar_event,
    google_error,
)
from tests.builders import CANARY, assert_no_secret, data_of, error_of
from tests.integration.tool_packages.conftest import Platform
from tests.integration.tool_packages.smtp_server import LocalSmtpServer

SMTP_PASSWORD = f"smtp-{CANARY}"


async def front_desk_session(platform: Platform, scripted: ScriptedLLM) -> Transcript:
    """Run the front desk in a real ``AgentSession`` (text mode) that ``scripted`` drives."""
    return await run_text_session(
        await platform.open("front-desk"),
        LiveKitToolRuntime(),
        scripted,
        instructions="Front desk.",
    )


async def bind_front_desk(
    platform: Platform, api: LocalCalendarApi, server: LocalSmtpServer
) -> None:
    await platform.bind(
        "front-desk",
        "google_calendar",
        config={"api_base_url": api.base_url, "calendar_id": "desk/1@example.com"},
        secrets={"access_token": CANARY},
    )
    await platform.bind(
        "front-desk",
        "email",
        config={**server.email_settings("desk@shop.example"), "smtp_username": "desk"},
        secrets={"smtp_password": SMTP_PASSWORD},
    )


async def test_a_session_runs_both_tools_in_one_turn_with_their_own_config(
    platform: Platform, calendar_api: LocalCalendarApi, smtp_server: LocalSmtpServer
) -> None:
    calendar_api.add_calendar(
        "desk/1@example.com",
        CANARY,
        [calendar_event("e1", "Fitting", "2025-03-10T11:00:00Z", "2025-03-10T11:30:00Z")],
    )
    calendar_api.delay_seconds = 0.05
    smtp_server.users["desk"] = SMTP_PASSWORD
    await bind_front_desk(platform, calendar_api, smtp_server)
    scripted = ScriptedLLM(
        [
            [
                Call("list_events", {"time_min": "2025-03-10T00:00:00Z"}, call_id="list"),
                Call(
                    "send_email",
                    {"to": "jane@customer.example", "subject": "Fitting", "body": "11:00"},
                    call_id="mail",
                ),
            ]
        ],
        when_done="Done.",
    )

    transcript = await front_desk_session(platform, scripted)

    assert transcript.failures == ()
    listed, mailed = transcript.received("list"), transcript.received("mail")
    assert listed is not None
    assert mailed is not None
    assert (listed.is_error, mailed.is_error) == (False, False)
    assert data_of(listed.output)["events"] == [
        {
            "id": "e1",
            "summary": "Fitting",
            "start": "2025-03-10T11:00:00Z",
            "end": "2025-03-10T11:30:00Z",
        }
    ]
    assert data_of(mailed.output)["to"] == "jane@customer.example"
    [request] = calendar_api.requests
    assert request.raw_path == "/calendar/v3/calendars/desk%2F1%40example.com/events"
    assert request.authorization == f"Bearer {CANARY}"
    assert set(smtp_server.logins) == {("desk", SMTP_PASSWORD)}
    [received] = smtp_server.received
    assert (received.message["From"], received.message["To"]) == (
        "desk@shop.example",
        "jane@customer.example",
    )
    for sent in transcript.requests:
        assert_no_secret(sent.serialised())
        assert_no_secret(sent.serialised(), SMTP_PASSWORD)


async def test_an_upstream_refusal_reaches_the_llm_as_a_clean_error(
    platform: Platform, calendar_api: LocalCalendarApi, smtp_server: LocalSmtpServer
) -> None:
    calendar_api.add_calendar("desk/1@example.com", CANARY)
    calendar_api.fail_next(401, google_error(401, f"token {CANARY} expired"))
    await bind_front_desk(platform, calendar_api, smtp_server)
    scripted = ScriptedLLM(
        [
            Call("check_availability", {"time_min": "2025-03-10T09:00Z"}, call_id="bad-args"),
            Call(
                "check_availability",
                {"time_min": "2025-03-10T09:00Z", "time_max": "2025-03-10T10:00Z"},
                call_id="refused",
            ),
        ],
        when_done="Sorry.",
    )

    transcript = await front_desk_session(platform, scripted)

    bad_args, refused = transcript.received("bad-args"), transcript.received("refused")
    assert bad_args is not None
    assert refused is not None
    assert bad_args.is_error is True
    assert "time_max" in bad_args.output
    assert refused.is_error is True
    assert error_of(refused.output).startswith(
        "could not check the availability: Google Calendar refused the access token (HTTP 401)"
    )
    assert len(calendar_api.requests) == 1  # the bad call never reached the API
    for sent in transcript.requests:
        assert_no_secret(sent.serialised())
