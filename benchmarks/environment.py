"""What a benchmark runs on: databases (SQLite files, a throwaway PostgreSQL) and containers.

PostgreSQL comes from ``tests/integration/postgres.py``, the tests' own throwaway
cluster (``initdb`` into a temporary directory, a free loopback port, removed at the
end), so the suite runs on a fresh clone with PostgreSQL 15 installed and nothing else.
"""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from pydantic import SecretStr

from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.settings import PlatformSettings
from tests.integration.postgres import (
    PostgresUnavailable,
    execute,
    throwaway_cluster,
    unique_database_name,
)

SECRET_KEYS = SecretStr("bench:" + base64.b64encode(os.urandom(32)).decode())
"""The key ring of every benchmark database (made up for the run)."""

HANDLER_PACKAGES = ("benchmarks", "adapters.tool_packages")
"""The benchmarks' python handlers and the built-in tools (``tools sync``) are allowed."""

DatabaseFactory = Callable[[], str]
"""Makes a new, empty database and returns its SQLAlchemy URL."""


def settings_for(database_url: str, **overrides: object) -> PlatformSettings:
    """The settings of a benchmark container: SQL storage at ``database_url``."""
    values: dict[str, object] = {
        "storage": "sqlalchemy",
        "database_url": database_url,
        "secret_keys": SECRET_KEYS,
        "handler_packages": HANDLER_PACKAGES,
        "outbound_allow": ("127.0.0.1/32",),
        "database_pool_size": 20,
        "database_max_overflow": 20,
    }
    values.update(overrides)
    return PlatformSettings(**values)  # type: ignore[arg-type]


def container_for(settings: PlatformSettings) -> Container:
    """A container wired as the CLI and the worker wire theirs, with ``settings``."""
    container = Container()
    container.settings.override(settings)
    return container


@asynccontextmanager
async def open_platform(settings: PlatformSettings) -> AsyncIterator[Container]:
    """A container with its resources open and its database migrated."""
    container = container_for(settings)
    async with lifespan(container):
        await container.storage().upgrade()  # type: ignore[attr-defined]
        yield container


@contextmanager
def sqlite_databases() -> Iterator[DatabaseFactory]:
    """Fresh SQLite files in a temporary folder, removed at the end."""
    with tempfile.TemporaryDirectory(prefix="tool-platform-bench-") as folder:
        count = 0

        def make() -> str:
            nonlocal count
            count += 1
            return f"sqlite+aiosqlite:///{Path(folder) / f'bench{count}.db'}"

        yield make


@contextmanager
def postgres_databases() -> Iterator[DatabaseFactory | None]:
    """Fresh databases on a throwaway PostgreSQL 15 cluster (None when none can be had)."""
    try:
        with throwaway_cluster() as cluster:
            server = cluster.url("postgres")

            def make() -> str:
                name = unique_database_name("bench")
                execute(server, f'CREATE DATABASE "{name}"')
                return cluster.url(name).render_as_string(hide_password=False)

            yield make
    except PostgresUnavailable as problem:
        print(f"PostgreSQL left out: {problem.reason}", flush=True)
        yield None
