"""No caller sees "locked", "busy" or "too many writers" when many write at once.

The races of ``races.py`` at CI size: 20 processes on SQLite, 50 tasks on PostgreSQL
(``scripts/storage_races.py`` runs them at full size and prints the counts). Refusals
meant for callers ("already exists", "does not exist", "still bound") stay.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.storage.races import (
    BIND_AGENTS,
    BIND_OR_DELETE,
    CREATE_ONE_NAME,
    DEFINE_DISTINCT,
    Race,
)

SQLITE_PROCESSES = 20
POSTGRES_TASKS = 50
REFUSALS = {"refused: Conflict", "refused: NotFound"}


def unexpected(seen: dict[str, int]) -> dict[str, int]:
    """The outcomes that are neither a success nor a refusal meant for callers."""
    return {key: count for key, count in seen.items() if key != "ok" and key not in REFUSALS}


@pytest.mark.parametrize(
    ("race", "processes"),
    [
        (CREATE_ONE_NAME, True),
        (BIND_OR_DELETE, True),
        (DEFINE_DISTINCT, True),
        (BIND_AGENTS, False),
    ],
    ids=lambda value: (
        value.name if isinstance(value, Race) else ("processes" if value else "tasks")
    ),
)
def test_sqlite_races_resolve_inside_the_platform(
    tmp_path: Path, race: Race, processes: bool
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'race.db'}"

    seen, stored = race.run(url, SQLITE_PROCESSES, processes=processes)

    assert unexpected(seen) == {}
    assert stored == race.expected(SQLITE_PROCESSES)


@pytest.mark.parametrize(
    "race",
    [CREATE_ONE_NAME, BIND_OR_DELETE, DEFINE_DISTINCT, BIND_AGENTS],
    ids=lambda race: race.name,
)
def test_postgres_races_resolve_inside_the_platform(fresh_postgres_url: str, race: Race) -> None:
    seen, stored = race.run(fresh_postgres_url, POSTGRES_TASKS, processes=False)

    assert unexpected(seen) == {}
    assert stored == race.expected(POSTGRES_TASKS)


def test_one_name_created_at_once_is_created_once_and_refused_to_the_rest(tmp_path: Path) -> None:
    seen, _ = CREATE_ONE_NAME.run(
        f"sqlite+aiosqlite:///{tmp_path / 'race.db'}", SQLITE_PROCESSES, processes=True
    )

    assert seen == {"ok": 1, "refused: Conflict": SQLITE_PROCESSES - 1}
