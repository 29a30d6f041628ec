"""Send an email from the agent's own address over SMTP.

A built-in code tool: the binding's config names the mail server and the sender, its
secret ``smtp_password`` logs in (when ``smtp_username`` is set). The recipient comes
from the LLM, so it is checked (one plain address, optionally within allowed domains)
before anything is sent; no error ever carries the password.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import aiosmtplib
from livekit.agents import RunContext, ToolError, function_tool

from tool_platform import CallStatus, ToolFailure, redact, secret

TOOL_NAME = "email"
TOOL_DISPLAY_NAME = "Email (SMTP)"
TOOL_DESCRIPTION = "Send an email from the agent's address over SMTP."
AUTH_TYPE = "basic"
SECRET_NAMES = ["smtp_password"]
CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "smtp_host": {"type": "string", "minLength": 1, "title": "SMTP server"},
        "smtp_port": {
            "type": "integer",
            "minimum": 1,
            "maximum": 65535,
            "default": 587,
            "title": "SMTP port",
        },
        "from_address": {"type": "string", "format": "email", "title": "Sender address"},
        "use_starttls": {
            "type": "boolean",
            "default": True,
            "title": "Use STARTTLS",
            "description": "Upgrade the connection to TLS before logging in (port 587).",
        },
        "smtp_username": {
            "type": "string",
            "minLength": 1,
            "title": "SMTP user name",
            "description": "Log in with this name and the smtp_password secret; "
            "leave it out for a server that needs no login.",
        },
        "allowed_recipient_domains": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "default": [],
            "title": "Allowed recipient domains",
            "description": "Send only to these domains (example.com); empty allows any.",
        },
        "timeout_seconds": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 60,
            "default": 8,
            "title": "Timeout (seconds)",
        },
    },
    "required": ["smtp_host", "from_address"],
}
_CONFIG_DEFAULTS: dict[str, Any] = {
    name: spec["default"] for name, spec in CONFIG_SCHEMA["properties"].items() if "default" in spec
}
"""The schema's defaults, for a call outside a binding (a binding's config has them already):
with no ``smtp_username`` the function needs no secret, so it can run in any LiveKit session
whose userdata holds the settings."""

MAX_BODY_CHARACTERS = 50_000
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]{{1,64}}@{_LABEL}(?:\.{_LABEL})+")


@function_tool
async def send_email(
    context: RunContext[Mapping[str, Any]], to: str, subject: str, body: str
) -> dict[str, Any]:
    """Send a plain-text email.

    Args:
        context: The call's LiveKit context; its userdata holds the binding's config.
        to: The recipient's email address, such as jane@example.com.
        subject: The subject line.
        body: The message text.
    """
    config = {**_CONFIG_DEFAULTS, **context.userdata}
    recipient = _recipient(to, config["allowed_recipient_domains"])
    if len(body) > MAX_BODY_CHARACTERS:
        raise ToolError(f"body is too long (at most {MAX_BODY_CHARACTERS} characters)")
    host = str(config.get("smtp_host") or "")
    sender = str(config.get("from_address") or "")
    if not host or not _ADDRESS.fullmatch(sender):
        raise ToolError("the binding's email settings need smtp_host and a plain from_address")
    port = int(config["smtp_port"])
    username = config.get("smtp_username")
    timeout = float(config["timeout_seconds"])

    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = " ".join(subject.split())
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body)

    password = secret("smtp_password") if username else None
    try:
        async with asyncio.timeout(timeout + 1):
            await aiosmtplib.send(
                message,
                hostname=host,
                port=port,
                username=username,
                password=password,
                start_tls=bool(config["use_starttls"]),
                timeout=timeout,
            )
    except (TimeoutError, aiosmtplib.SMTPTimeoutError):
        raise ToolFailure(
            f"the mail server did not answer within {timeout:g} seconds; "
            "whether the email was sent is unknown",
            status=CallStatus.TIMEOUT_OUTCOME_UNKNOWN,
        ) from None
    except aiosmtplib.SMTPAuthenticationError:
        raise ToolFailure(
            f"the mail server refused the login of {username!r}: "
            "the binding's smtp_username or smtp_password is wrong",
            status=CallStatus.UNAUTHORIZED,
        ) from None
    except aiosmtplib.SMTPRecipientsRefused:
        raise ToolError(f"the mail server refused the recipient {recipient}") from None
    except aiosmtplib.SMTPConnectError:
        raise _unreachable(host, port) from None
    except aiosmtplib.SMTPResponseException as error:
        raise ToolError(
            f"the mail server refused the email (SMTP {error.code}: "
            f"{_clean(error.message, password)})"
        ) from None
    except aiosmtplib.SMTPException as error:
        raise ToolError(f"the email could not be sent: {_clean(str(error), password)}") from None
    except OSError:
        raise _unreachable(host, port) from None
    return {"sent": True, "to": recipient, "message_id": message["Message-ID"]}


def _unreachable(host: str, port: int) -> ToolFailure:
    return ToolFailure(
        f"could not reach the mail server {host}:{port}", status=CallStatus.UNAVAILABLE
    )


def _recipient(to: str, allowed_domains: list[str]) -> str:
    """Check that ``to`` is one plain address, within the allowed domains if any."""
    address = to.strip()
    if len(address) > 254 or not _ADDRESS.fullmatch(address):
        raise ToolError(f"to must be one email address such as jane@example.com, not {to[:100]!r}")
    domain = address.rpartition("@")[2].lower()
    allowed = [str(allowed).lower().lstrip("@") for allowed in allowed_domains]
    if allowed and domain not in allowed:
        raise ToolError(f"this agent may only send email to addresses at {', '.join(allowed)}")
    return address


def _clean(text: str, password: str | None) -> str:
    """A server's message, cut short and without the password."""
    if password:
        text = redact(text)
    return " ".join(text.split())[:200]
