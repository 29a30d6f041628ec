"""The built-in email tool, run by the platform against a local SMTP server."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from livekit.agents import RunContext, ToolError

from adapters.code_sync import code_tool_documents
from adapters.tool_packages import email
from domain.call_status import CallStatus
from tests.builders import CANARY, assert_no_secret, data_of, error_of
from tests.integration.tool_packages.conftest import Platform, call
from tests.integration.tool_packages.smtp_server import LocalSmtpServer

SENDER = "agent@shop.example"


async def email_tool(
    platform: Platform, server: LocalSmtpServer, agent: str = "shop", **config: Any
) -> Any:
    """Bind ``agent`` to the email tool, pointed at ``server`` (no TLS); its send_email."""
    password = config.pop("password", CANARY)
    await platform.bind(
        agent,
        "email",
        config={**server.email_settings(SENDER), **config},
        secrets={"smtp_password": password},
    )
    return (await platform.session(agent))["send_email"]


def test_the_module_becomes_the_email_tool() -> None:
    document = code_tool_documents("adapters.tool_packages")["adapters.tool_packages.email"]

    assert document["name"] == "email"
    assert document["secret_names"] == ["smtp_password"]
    [function] = document["tool_functions_schema"]["functions"]
    assert function["name"] == "send_email"
    assert function["parameters"]["required"] == ["to", "subject", "body"]
    config = document["config_schema"]
    assert config["properties"]["smtp_port"]["default"] == 587
    assert config["properties"]["use_starttls"]["default"] is True
    assert config["properties"]["from_address"]["format"] == "email"
    assert "smtp_username" not in config["required"]


async def test_send_email_delivers_the_message_with_its_headers(
    platform: Platform, smtp_server: LocalSmtpServer
) -> None:
    send_email = await email_tool(platform, smtp_server)

    result = await call(
        send_email,
        {
            "to": "jane@customer.example",
            "subject": "Your order\r\nBcc: everyone@example.com",
            "body": "Hello Jane,\nyour order ships today.\n",
        },
    )

    assert result.ok, result.output
    [received] = smtp_server.received
    assert received.mail_from == SENDER
    assert received.rcpt_tos == ["jane@customer.example"]
    message = received.message
    assert message["From"] == SENDER
    assert message["To"] == "jane@customer.example"
    assert message["Subject"] == "Your order Bcc: everyone@example.com"
    assert message["Bcc"] is None
    assert message.get_content().splitlines() == ["Hello Jane,", "your order ships today."]
    assert data_of(result.output) == {
        "sent": True,
        "to": "jane@customer.example",
        "message_id": message["Message-ID"],
    }
    assert message["Message-ID"].endswith("@shop.example>")
    assert smtp_server.logins == []  # no smtp_username: no login


async def test_send_email_logs_in_with_the_binding_username_and_secret(
    platform: Platform, smtp_server: LocalSmtpServer
) -> None:
    smtp_server.users["agent"] = CANARY
    send_email = await email_tool(platform, smtp_server, smtp_username="agent")

    result = await call(send_email, {"to": "bob@example.org", "subject": "Hi", "body": "Hi Bob"})

    assert result.ok, result.output
    assert smtp_server.logins == [("agent", CANARY)]
    assert [r.rcpt_tos for r in smtp_server.received] == [["bob@example.org"]]


async def test_a_refused_login_names_the_user_and_never_the_password(
    platform: Platform, smtp_server: LocalSmtpServer
) -> None:
    smtp_server.users["agent"] = "the-real-password"
    send_email = await email_tool(platform, smtp_server, smtp_username="agent")

    result = await call(send_email, {"to": "bob@example.org", "subject": "Hi", "body": "Hi"})

    assert (result.ok, result.status) == (False, CallStatus.UNAUTHORIZED)
    assert error_of(result.output) == (
        "the mail server refused the login of 'agent': "
        "the binding's smtp_username or smtp_password is wrong"
    )
    assert set(smtp_server.logins) == {("agent", CANARY)}  # each mechanism it tried
    assert smtp_server.received == []
    assert_no_secret(result.output)


@pytest.mark.parametrize(
    "to",
    [
        "not-an-address",
        "jane@customer.example, boss@example.com",
        "jane@customer.example\r\nBcc: everyone@example.com",
        "Jane <jane@customer.example>",
        "jane@localhost",
        "",
    ],
)
async def test_a_recipient_that_is_not_one_plain_address_is_refused(
    platform: Platform, smtp_server: LocalSmtpServer, to: str
) -> None:
    send_email = await email_tool(platform, smtp_server)

    result = await call(send_email, {"to": to, "subject": "s", "body": "b"})

    assert result.ok is False
    assert error_of(result.output).startswith(
        "to must be one email address such as jane@example.com"
    )
    assert smtp_server.received == []


async def test_allowed_recipient_domains_limit_who_can_be_written_to(
    platform: Platform, smtp_server: LocalSmtpServer
) -> None:
    send_email = await email_tool(
        platform, smtp_server, allowed_recipient_domains=["customer.example"]
    )

    outside = await call(send_email, {"to": "eve@evil.example", "subject": "s", "body": "b"})
    inside = await call(send_email, {"to": "Jane@Customer.Example", "subject": "s", "body": "b"})

    assert (outside.ok, outside.status) == (False, CallStatus.TOOL_ERROR)
    assert error_of(outside.output) == (
        "this agent may only send email to addresses at customer.example"
    )
    assert inside.ok, inside.output
    assert [r.rcpt_tos for r in smtp_server.received] == [["Jane@Customer.Example"]]


async def test_starttls_against_a_server_without_it_is_a_clean_error(
    platform: Platform, smtp_server: LocalSmtpServer
) -> None:
    send_email = await email_tool(platform, smtp_server, use_starttls=True)

    result = await call(send_email, {"to": "bob@example.org", "subject": "s", "body": "b"})

    assert result.ok is False
    assert error_of(result.output).startswith("the email could not be sent: ")
    assert "STARTTLS" in result.output
    assert smtp_server.received == []


async def test_an_unreachable_server_is_a_clean_error(
    platform: Platform, smtp_server: LocalSmtpServer
) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    send_email = await email_tool(platform, smtp_server, smtp_port=closed_port)

    result = await call(send_email, {"to": "bob@example.org", "subject": "s", "body": "b"})

    assert (result.ok, result.status) == (False, CallStatus.UNAVAILABLE)
    assert error_of(result.output) == f"could not reach the mail server 127.0.0.1:{closed_port}"


class OwnSessionContext(RunContext[dict[str, Any]]):
    """The ``RunContext`` of a LiveKit session outside the platform: plain-dict userdata."""

    def __init__(self, userdata: dict[str, Any]) -> None:  # no live session behind it
        self._userdata = userdata

    @property
    def userdata(self) -> dict[str, Any]:
        return self._userdata


async def test_outside_a_binding_the_settings_left_out_take_the_schema_defaults(
    smtp_server: LocalSmtpServer,
) -> None:
    settings = smtp_server.email_settings(SENDER)

    sent = await email.send_email(
        OwnSessionContext(settings), to="bob@example.org", subject="s", body="b"
    )

    assert sent["sent"] is True  # any recipient domain: the default is an empty list
    assert [r.rcpt_tos for r in smtp_server.received] == [["bob@example.org"]]
    del settings["use_starttls"]
    with pytest.raises(ToolError, match="STARTTLS"):  # use_starttls defaults to true
        await email.send_email(
            OwnSessionContext(settings), to="bob@example.org", subject="s", body="b"
        )
    assert len(smtp_server.received) == 1
