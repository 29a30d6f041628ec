"""``OutboundGuard``: decides whether the platform may send a request to an address.

Every request a tool document, a binding's config or an LLM argument can point at goes
through it (``docs/outbound.md``): only ``http`` and ``https``; the host is resolved
once, every address is checked, and the connection goes to a checked address
(:mod:`adapters.http.transport`). A refusal raises :class:`OutboundRefused`, whose
message the LLM sees (never the address), and logs one line for the operator with the
address and the reason.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import httpx

from adapters.http.addresses import IPAddress, is_numeric_spelling, literal_address, refusal_reason
from adapters.http.allowlist import OutboundAllowlist
from adapters.http.resolver import Resolver, SystemResolver
from domain.call_status import CallStatus
from domain.errors import ToolFailure

logger = logging.getLogger(__name__)

REFUSED_MESSAGE = "the tool's address is not allowed"
"""What the LLM is told about any refusal: never the address or the reason."""

DECIDE_TIMEOUT_SECONDS = 2.0
"""How long :meth:`OutboundGuard.decide` waits for the resolver (a dry run)."""

_SCHEMES = frozenset({"http", "https"})

REMEMBERED_ORIGINS = 1024
"""How many ``(scheme, host)`` verdicts of :meth:`OutboundGuard.check_origin` are kept."""


class OutboundRefused(ToolFailure):
    """The outbound guard refused a request; nothing was sent.

    Attributes:
        reason: Why, for the operator (may name the resolved address); the message,
            which the LLM sees, does not.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(REFUSED_MESSAGE, status=CallStatus.REFUSED)
        self.reason = reason


class UnresolvableHost(Exception):
    """The host name did not resolve (or not within the time given)."""


@dataclass(frozen=True)
class GuardDecision:
    """What the guard would do with a URL.

    Attributes:
        allowed: Whether a request would be sent.
        reason: Why, for the operator (it may name the resolved addresses).
    """

    allowed: bool
    reason: str


class OutboundGuard:
    """The rules of outbound requests: schemes, addresses, the operator's allowlist.

    Args:
        allowlist: What the operator admits (``TOOL_PLATFORM_OUTBOUND_ALLOW``).
        strict: ``TOOL_PLATFORM_OUTBOUND_ONLY``: nothing outside the allowlist at all.
        resolver: How host names become addresses (the system's by default).
    """

    def __init__(
        self,
        allowlist: OutboundAllowlist | None = None,
        *,
        strict: bool = False,
        resolver: Resolver | None = None,
    ) -> None:
        self._allowlist = allowlist or OutboundAllowlist()
        self._strict = strict
        self._resolver = resolver or SystemResolver()
        self._origin_verdicts: dict[tuple[str, str], str | None] = {}

    def __repr__(self) -> str:
        return f"OutboundGuard(strict={self._strict})"

    def check_url(self, url: httpx.URL, *, proxied: bool = False) -> None:
        """Check what the URL itself says: its scheme and how its host is spelled.

        Args:
            url: The request's URL.
            proxied: Whether the request goes through the operator's proxy, which
                resolves the host: then the literal host is all the guard can check.

        Raises:
            OutboundRefused: When the scheme is not http(s), or the host is a numeric
                spelling or a refused address literal; behind the proxy, also (strict) a
                host name the allowlist does not admit.
        """
        self.check_origin(url.scheme, url.host, proxied=proxied)

    def check_origin(self, scheme: str, host: str, *, proxied: bool = False) -> None:
        """:meth:`check_url` of a URL's scheme and host (IPv6 without brackets).

        Raises:
            OutboundRefused: As :meth:`check_url`.
        """
        key = (scheme, host)
        if key in self._origin_verdicts:
            reason = self._origin_verdicts[key]
        else:  # the rules and the allowlist never change: decide each origin once
            reason = self._origin_refusal(scheme, host)
            if len(self._origin_verdicts) < REMEMBERED_ORIGINS:
                self._origin_verdicts[key] = reason
        if reason is not None:
            self._refuse(host, reason)
        if proxied:
            self._check_literal_host(host)

    async def admitted_addresses(self, host: str, port: int) -> list[IPAddress]:
        """Resolve ``host`` once and return its addresses, each one checked.

        Raises:
            OutboundRefused: When any address of ``host`` is refused.
            UnresolvableHost: When the name does not resolve.
        """
        addresses = await self._resolve(host, port)
        reason = self._addresses_refusal(host, addresses)
        if reason is not None:
            self._refuse(host, reason)
        return addresses

    def _check_literal_host(self, host: str) -> None:
        address = literal_address(host)
        reason = self._addresses_refusal(host, [address] if address is not None else [])
        if reason is not None:
            self._refuse(host, reason)

    async def decide(self, url: str) -> GuardDecision:
        """What the guard would do with ``url``, resolving with a short timeout.

        For a dry run: nothing is sent, nothing is logged.
        """
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            return GuardDecision(False, f"not a valid URL ({error})")
        reason = self._origin_refusal(parsed.scheme, parsed.host)
        if reason is not None:
            return GuardDecision(False, reason)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            async with asyncio.timeout(DECIDE_TIMEOUT_SECONDS):
                addresses = await self._resolve(parsed.host, port)
        except (UnresolvableHost, TimeoutError):
            return GuardDecision(False, f"{parsed.host} does not resolve")
        reason = self._addresses_refusal(parsed.host, addresses)
        if reason is not None:
            return GuardDecision(False, reason)
        listed = ", ".join(str(address) for address in addresses)
        return GuardDecision(True, f"{parsed.host} resolves to {listed}: allowed")

    def _origin_refusal(self, scheme: str, host: str) -> str | None:
        if scheme not in _SCHEMES:
            return f"the scheme {scheme or '(none)'!r} is not http or https"
        if not host:
            return "the URL has no host"
        if is_numeric_spelling(host):
            return f"{host!r} is a numeric spelling of an address"
        address = literal_address(host)
        if address is not None:
            return self._addresses_refusal(host, [address])
        return None

    def _addresses_refusal(self, host: str, addresses: list[IPAddress]) -> str | None:
        if self._allowlist.admits_name(host):
            return None
        for address in addresses:
            if self._allowlist.admits_address(address):
                continue
            spelled = str(address) if host == str(address) else f"{host} resolves to {address}"
            if self._strict:
                return f"{spelled}, outside the allowlist (strict egress)"
            reason = refusal_reason(address)
            if reason is not None:
                return f"{spelled}, which is {reason}"
        if self._strict and not addresses:
            return f"{host} is not on the outbound allowlist (strict egress)"
        return None

    async def _resolve(self, host: str, port: int) -> list[IPAddress]:
        address = literal_address(host)
        if address is not None:
            return [address]
        try:
            addresses = await self._resolver.resolve(host, port)
        except OSError as error:
            raise UnresolvableHost(f"{host} does not resolve ({error})") from None
        if not addresses:
            raise UnresolvableHost(f"{host} has no address")
        return addresses

    def _refuse(self, host: str, reason: str) -> None:
        logger.warning("outbound request to %s refused: %s", host, reason)
        raise OutboundRefused(reason)
