"""CLI start-up: each command imports what it uses, and the root's help imports none.

What a command imports is asserted, never how long it takes (that is the benchmark's:
``python -m benchmarks --only cli``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from entrypoints.cli import COMMANDS, app
from entrypoints.commands.tools import ToolsGroup
from entrypoints.commands.tools import app as tools_app

COMMAND_MODULES = sorted({lazy.module for lazy in COMMANDS.values()})


def imported_after(argv: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The modules loaded once ``tool-platform ARGV`` has run (in a fresh interpreter)."""
    code = (
        "import json, sys\n"
        f"sys.argv = ['tool-platform', *{argv!r}]\n"
        "from entrypoints.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def test_the_roots_help_imports_no_command_and_no_infrastructure() -> None:
    loaded = imported_after(["--help"])

    assert not loaded & set(COMMAND_MODULES)
    for heavy in ("entrypoints.container", "sqlalchemy", "alembic", "livekit", "pydantic"):
        assert heavy not in loaded


KEPT_OUT_OF_TOOLS_LIST = (
    "alembic",
    "livekit",
    "supabase",
    "httpx",
    "httpx2",
    "httpcore",
    "mcp",
    "aiohttp",
    "asyncpg",
)
"""Packages ``tools list`` on SQLite never uses: migrations, LiveKit, the HTTP and MCP
clients, the other storages. (OpenTelemetry's API loads with FastAPI, which
``dependency_injector.wiring`` imports: docs/performance.md, CLI start-up.)"""


def test_tools_list_on_sqlite_imports_only_the_storage_it_reads(tmp_path: Path) -> None:
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("OTEL_")},
        "TOOL_PLATFORM_STORAGE": "sqlalchemy",
        "TOOL_PLATFORM_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}",
        "TOOL_PLATFORM_SECRET_KEY_FILE": str(tmp_path / "catalog.key"),
    }
    env.pop("TOOL_PLATFORM_SECRET_KEYS", None)
    imported_after(["db", "upgrade"], env)

    loaded = imported_after(["tools", "list", "--json"], env)

    assert {"entrypoints.commands.tools", "adapters.sqlalchemy.storage", "aiosqlite"} <= loaded
    assert not {module.partition(".")[0] for module in loaded} & set(KEPT_OUT_OF_TOOLS_LIST)
    for unused in (
        "entrypoints.commands.call",
        "entrypoints.commands.lint",
        "entrypoints.commands.import_openapi",
        "adapters.gemini",
        "adapters.telemetry.tracing",
        "opentelemetry.sdk",
    ):
        assert unused not in loaded


LISTED_LAZILY = [
    *(pytest.param(app, name, id=name) for name in COMMANDS),
    *(pytest.param(tools_app, name, id=f"tools {name}") for name in ToolsGroup.lazy),
]


@pytest.mark.parametrize(("group", "name"), LISTED_LAZILY)
def test_a_groups_listing_is_each_commands_own_help(group: typer.Typer, name: str) -> None:
    listed = typer.main.get_command(group)
    lazy = listed.lazy[name]  # type: ignore[attr-defined]

    command = listed.get_command(None, name)  # type: ignore[attr-defined]

    assert command.get_short_help_str(limit=1000) == lazy.help
