"""Points in time as operators write them: ISO 8601 times, or durations back from now."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from domain.errors import InvalidCallQuery

UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
SHORT_DURATION = re.compile(r"(\d{1,9})([smhdw])")
ISO_DURATION = re.compile(
    r"P(?:(?P<weeks>\d{1,9})W)?(?:(?P<days>\d{1,9})D)?"
    r"(?:T(?:(?P<hours>\d{1,9})H)?(?:(?P<minutes>\d{1,9})M)?(?:(?P<seconds>\d{1,9})S)?)?"
)
EXPECTED = "an ISO 8601 time (2026-11-30T09:00:00Z) or a duration (15m, 24h, 7d, PT15M)"


def parse_duration(text: str) -> timedelta:
    """A duration: ``15m``, ``24h``, ``7d`` (also ``s``, ``w``) or ISO 8601 (``PT15M``).

    Raises:
        InvalidCallQuery: When ``text`` is none of those, or is longer than a computer
            can count back.
    """
    stripped = text.strip()
    short = SHORT_DURATION.fullmatch(stripped)
    iso = ISO_DURATION.fullmatch(stripped.upper())
    try:
        if short:
            return timedelta(**{UNITS[short.group(2)]: int(short.group(1))})
        if iso and stripped.upper() not in ("P", "PT") and not stripped.upper().endswith("T"):
            return timedelta(**{unit: int(n) for unit, n in iso.groupdict().items() if n})
    except OverflowError:
        raise InvalidCallQuery(f"{text[:40]!r} is too long a duration") from None
    raise InvalidCallQuery(f"{text[:40]!r} is not a duration: use 15m, 24h, 7d or PT15M")


def parse_moment(text: str, now: datetime) -> datetime:
    """A point in time: an ISO 8601 time (UTC when it names no zone) or a duration ago.

    Args:
        text: What the operator wrote.
        now: The current time, for durations.

    Raises:
        InvalidCallQuery: When ``text`` is neither.
    """
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            return now - parse_duration(text)
        except InvalidCallQuery:
            raise InvalidCallQuery(f"{text[:40]!r} is not {EXPECTED}") from None
        except OverflowError:
            raise InvalidCallQuery(f"{text[:40]!r} reaches back before year 1") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
