"""PostgREST and network errors translated into domain errors at the Supabase boundary.

The platform's own refusals (raised by the schema's RPC functions with a
``tool_platform:<kind>`` hint) keep their message, which names tools and agents only.
Every other error is named by its code: a PostgREST message may quote a value that was
sent, so it never reaches a caller.
"""

from __future__ import annotations

import httpx
from postgrest.exceptions import APIError

from domain.errors import (
    Conflict,
    DomainError,
    NotFound,
    StorageUnavailable,
    VersionConflict,
)

PUSH_HINT = "apply supabase/migrations with `supabase db push`"
KEY_SETTING = "SUPABASE_SERVICE_ROLE_KEY"

_REFUSALS: dict[str, type[DomainError]] = {
    "version_conflict": VersionConflict,
    "conflict": Conflict,
    "not_found": NotFound,
}
_MISSING_SCHEMA = frozenset({"PGRST202", "PGRST205", "42883", "42P01", "3F000"})
_KEY_REFUSED = frozenset({"PGRST301", "PGRST302", "PGRST303", "42501"})
_RACES = frozenset({"40001", "40P01"})
_UNREACHABLE_PREFIXES = ("PGRST00", "08", "53", "57")


def translate(error: Exception, host: str) -> DomainError:
    """The domain error for a failed request to Supabase.

    Args:
        error: What the client raised (``APIError``, an ``httpx`` error, or a response
            that was not JSON).
        host: The Supabase host, to name it (never the key).
    """
    if isinstance(error, APIError):
        return _from_postgrest(error, host)
    if isinstance(error, httpx.TimeoutException):
        return StorageUnavailable(f"Supabase at {host} did not answer in time")
    if isinstance(error, httpx.HTTPError):
        return StorageUnavailable(f"cannot reach Supabase at {host}: {type(error).__name__}")
    return StorageUnavailable(f"Supabase at {host} sent a response that cannot be read")


def _from_postgrest(error: APIError, host: str) -> DomainError:
    code = error.code or "unknown"
    hint = error.hint or ""
    if hint.startswith("tool_platform:"):
        refusal = _REFUSALS.get(hint.removeprefix("tool_platform:"), StorageUnavailable)
        return refusal(str(error.message or code).splitlines()[0])
    if code == "23505":
        return Conflict("the change conflicts with a concurrent one; retry")
    if code == "23503":
        return Conflict("the change refers to something a concurrent change removed; retry")
    if code in _RACES:
        return VersionConflict("the change raced a concurrent one; retry")
    if code in _MISSING_SCHEMA:
        return StorageUnavailable(
            f"Supabase at {host} lacks the tool platform's schema ({code}); {PUSH_HINT}"
        )
    if code in _KEY_REFUSED:
        return StorageUnavailable(
            f"Supabase at {host} refused the key ({code}): {KEY_SETTING} must be the "
            "project's service-role key"
        )
    if code.startswith(_UNREACHABLE_PREFIXES):
        return StorageUnavailable(f"Supabase at {host} cannot use its database right now ({code})")
    return StorageUnavailable(f"Supabase at {host} refused the request ({code})")
