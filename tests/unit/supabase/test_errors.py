"""PostgREST's documented error answers and network failures, as domain errors.

Each answer is a PostgREST error body (``code``, ``message``, ``details``, ``hint``)
with the status PostgREST documents for it. The platform's own refusals keep their
message; any other message may quote a value that was sent, so it is never shown.
"""

from __future__ import annotations

import httpx
import pytest

from domain.errors import (
    Conflict,
    DomainError,
    NotFound,
    StorageUnavailable,
    VersionConflict,
)
from tests.builders import CANARY, assert_no_secret, voice_agent
from tests.unit.supabase.conftest import KEY, PostgrestDouble


def body(code: str, message: str, hint: str | None = None) -> dict[str, str | None]:
    """A PostgREST error body."""
    return {"code": code, "message": message, "details": f"Key (x)=({CANARY})", "hint": hint}


ANSWERS: list[tuple[str, httpx.Response | Exception, type[DomainError], str]] = [
    (
        "version race refused by the commit",
        httpx.Response(
            409,
            json=body(
                "23505", "version 2 of tool 'weather' is taken", "tool_platform:version_conflict"
            ),
        ),
        VersionConflict,
        "version 2 of tool 'weather' is taken",
    ),
    (
        "taken name refused by the commit",
        httpx.Response(
            409,
            json=body("23505", "an agent named 'support' already exists", "tool_platform:conflict"),
        ),
        Conflict,
        "an agent named 'support' already exists",
    ),
    (
        "missing row refused by the commit",
        httpx.Response(
            400, json=body("P0002", "no agent has the id 'a-1'", "tool_platform:not_found")
        ),
        NotFound,
        "no agent has the id 'a-1'",
    ),
    (
        "unique violation raced past the checks",
        httpx.Response(409, json=body("23505", f'duplicate key value "{CANARY}"')),
        Conflict,
        "the change conflicts with a concurrent one; retry",
    ),
    (
        "foreign key violation",
        httpx.Response(409, json=body("23503", f"violates foreign key {CANARY}")),
        Conflict,
        "concurrent change removed; retry",
    ),
    (
        "serialization failure",
        httpx.Response(500, json=body("40001", "could not serialize access")),
        VersionConflict,
        "raced a concurrent one; retry",
    ),
    (
        "deadlock",
        httpx.Response(500, json=body("40P01", "deadlock detected")),
        VersionConflict,
        "raced a concurrent one; retry",
    ),
    (
        "schema not pushed: function not in the schema cache",
        httpx.Response(404, json=body("PGRST202", "Could not find the function")),
        StorageUnavailable,
        "lacks the tool platform's schema (PGRST202); "
        "apply supabase/migrations with `supabase db push`",
    ),
    (
        "wrong key: JWT refused",
        httpx.Response(401, json=body("PGRST301", "JWSError JWSInvalidSignature")),
        StorageUnavailable,
        "refused the key (PGRST301): "
        "SUPABASE_SERVICE_ROLE_KEY must be the project's service-role key",
    ),
    (
        "anon key: permission denied",
        httpx.Response(
            401, json=body("42501", "permission denied for function tool_platform_read")
        ),
        StorageUnavailable,
        "refused the key (42501)",
    ),
    (
        "PostgREST cannot reach its database",
        httpx.Response(503, json=body("PGRST001", "Database client error")),
        StorageUnavailable,
        "cannot use its database right now (PGRST001)",
    ),
    (
        "database shutting down",
        httpx.Response(503, json=body("57P01", "terminating connection")),
        StorageUnavailable,
        "cannot use its database right now (57P01)",
    ),
    (
        "any other error names its code only",
        httpx.Response(400, json=body("22P02", f"invalid input syntax: {CANARY}")),
        StorageUnavailable,
        "refused the request (22P02)",
    ),
    (
        "a gateway page that is not JSON",
        httpx.Response(502, text="<html>Bad gateway</html>"),
        StorageUnavailable,
        "project-ref.supabase.test",
    ),
    (
        "connection refused",
        httpx.ConnectError("connection refused"),
        StorageUnavailable,
        "cannot reach Supabase at project-ref.supabase.test: ConnectError",
    ),
    (
        "no answer in time",
        httpx.ReadTimeout("timed out"),
        StorageUnavailable,
        "did not answer in time",
    ),
]


@pytest.mark.parametrize(
    ("case", "answer", "error", "message"), ANSWERS, ids=[a[0] for a in ANSWERS]
)
async def test_each_answer_becomes_one_domain_error_naming_no_secret(
    postgrest: PostgrestDouble,
    case: str,
    answer: httpx.Response | Exception,
    error: type[DomainError],
    message: str,
) -> None:
    postgrest.answer("tool_platform_commit", answer)

    async with postgrest.storage.unit_of_work() as uow:
        await uow.agents.add(voice_agent("support", "a-1"))
        with pytest.raises(DomainError) as raised:
            await uow.commit()

    assert type(raised.value) is error
    text = str(raised.value)
    assert message in text
    assert "\n" not in text
    assert_no_secret(text)
    assert_no_secret(text, KEY)
    assert raised.value.__cause__ is None


async def test_a_read_fails_the_same_way(postgrest: PostgrestDouble) -> None:
    postgrest.answer("tool_platform_read", httpx.Response(503, json=body("PGRST000", "down")))

    async with postgrest.storage.unit_of_work(read_only=True) as uow:
        with pytest.raises(StorageUnavailable, match=r"\(PGRST000\)"):
            await uow.bindings.load_toolset("a-1")


async def test_an_answer_that_is_not_rows_is_unavailable_storage(
    postgrest: PostgrestDouble,
) -> None:
    postgrest.answer("tool_platform_read", httpx.Response(200, text="<html>maintenance</html>"))

    async with postgrest.storage.unit_of_work(read_only=True) as uow:
        with pytest.raises(StorageUnavailable, match="sent an answer that is not rows"):
            await uow.agents.list_all()
