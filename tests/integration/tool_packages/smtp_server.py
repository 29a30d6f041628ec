"""A local SMTP server (aiosmtpd, no TLS) on 127.0.0.1 that keeps what it receives."""

from __future__ import annotations

import asyncio
import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass(frozen=True)
class Received:
    """One message as the server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class LocalSmtpServer:
    """Serves SMTP on the running loop; ``users`` (name -> password) may log in."""

    users: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(
                self,
                hostname="mail.test",
                auth_require_tls=False,
                authenticator=self._authenticate,
                loop=loop,
            ),
            "127.0.0.1",
            0,
        )
        self.port = self._server.sockets[0].getsockname()[1]

    def email_settings(self, from_address: str) -> dict[str, Any]:
        """The email tool's config that sends through this server (no TLS, no login)."""
        return {
            "smtp_host": "127.0.0.1",
            "smtp_port": self.port,
            "from_address": from_address,
            "use_starttls": False,
        }

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        """Keep the message."""
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from or "", list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        name, password = data.login.decode(), data.password.decode()
        self.logins.append((name, password))
        return AuthResult(success=self.users.get(name) == password, handled=False)
