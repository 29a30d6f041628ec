"""Database fixtures of the integration tests (the helpers live in ``postgres.py``).

- ``postgres_url`` (session): an asyncpg URL to a throwaway PostgreSQL 15 server,
  started on first use only; skipped without a server, failed under ``CI=true``.
- ``fresh_postgres_url``: a new, empty database on that server for one test.
- ``postgres_database_factory``: call it for more empty databases in one test.
- ``sqlite_url``: an aiosqlite URL to ``tool_platform.db`` in the test's ``tmp_path``.

All are plain strings, so a backend factory can ask for them lazily with
``request.getfixturevalue("fresh_postgres_url")``, even from inside an async fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration import postgres


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """An asyncpg SQLAlchemy URL to a database on the session's PostgreSQL 15 server."""
    yield from postgres.session_server_url()


@pytest.fixture
def postgres_database_factory(postgres_url: str) -> Iterator[postgres.DatabaseFactory]:
    """Makes new, empty databases on the session's server; drops them after the test."""
    with postgres.DatabaseFactory(postgres_url) as factory:
        yield factory


@pytest.fixture
def fresh_postgres_url(postgres_database_factory: postgres.DatabaseFactory) -> str:
    """An asyncpg SQLAlchemy URL to a new, empty database, dropped after the test."""
    return postgres_database_factory()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An aiosqlite SQLAlchemy URL to a new SQLite file ``tool_platform.db``."""
    return f"sqlite+aiosqlite:///{tmp_path / 'tool_platform.db'}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how long the PostgreSQL set-up took, when a server was used."""
    summary = postgres.TIMINGS.summary()
    if summary:
        terminalreporter.write_line(summary)
