"""Run the storage races at full size and print what the callers saw.

Usage: ``.venv/bin/python scripts/storage_races.py [--processes 160] [--tasks 150]
[--cli 160]``. SQLite races run as separate processes (binds of many agents as tasks of
one process, as through the Python API) on a file in a temporary folder; PostgreSQL
races run as tasks on a throwaway server (the tests' own, or
``$TOOL_PLATFORM_TEST_DATABASE_URL``). ``--cli N`` also starts N ``tool-platform agents
create racer`` commands at once on SQLite (slow: each one is a whole Python process).
No caller should see ``busy: ...``; the exit code is 1 when one did.
``tests/integration/storage/test_races.py`` runs the same races at CI size.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.integration import postgres
from tests.integration.storage.races import (
    BIND_AGENTS,
    BIND_OR_DELETE,
    CREATE_ONE_NAME,
    DEFINE_DISTINCT,
    Race,
)


def report(backend: str, race: Race, url: str, size: int, *, processes: bool) -> int:
    """Run one race, print its outcome counts; return how many callers saw busy."""
    started = time.perf_counter()
    seen, stored = race.run(url, size, processes=processes)
    elapsed = time.perf_counter() - started
    busy = sum(count for key, count in seen.items() if key.startswith("busy"))
    callers = f"{size} {'processes' if processes else 'tasks'}"
    print(f"{backend}, {callers}: {race.name} ({elapsed:.1f} s): busy {busy}")
    for key, count in sorted(seen.items()):
        print(f"  {count:5d}  {key}")
    verdict = "as expected" if stored == race.expected(size) else "UNEXPECTED"
    print(f"  stored: {stored if len(str(stored)) < 80 else str(stored)[:77] + '...'} ({verdict})")
    return busy


def main() -> int:
    """Run every race on both databases."""
    parser = argparse.ArgumentParser(description="Storage races at full size.")
    parser.add_argument("--processes", type=int, default=160, help="SQLite callers")
    parser.add_argument("--tasks", type=int, default=150, help="PostgreSQL callers")
    parser.add_argument("--cli", type=int, default=0, help="concurrent CLI commands")
    options = parser.parse_args()
    busy = cli_race(options.cli) if options.cli else 0
    with tempfile.TemporaryDirectory() as folder:
        for index, (race, processes) in enumerate(
            [
                (CREATE_ONE_NAME, True),
                (BIND_OR_DELETE, True),
                (DEFINE_DISTINCT, True),
                (BIND_AGENTS, False),
            ]
        ):
            url = f"sqlite+aiosqlite:///{folder}/race-{index}.db"
            busy += report("sqlite", race, url, options.processes, processes=processes)
    with (
        contextlib.contextmanager(postgres.session_server_url)() as server,
        postgres.DatabaseFactory(server) as databases,
    ):
        for race in (CREATE_ONE_NAME, BIND_OR_DELETE, DEFINE_DISTINCT, BIND_AGENTS):
            busy += report("postgres", race, databases(), options.tasks, processes=False)
    return 1 if busy else 0


def cli_race(count: int) -> int:
    """Start ``count`` ``agents create racer`` commands at once; print their errors."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "TOOL_PLATFORM_DATABASE_URL": f"sqlite+aiosqlite:///{folder}/cli.db",
            "TOOL_PLATFORM_SECRET_KEY_FILE": f"{folder}/cli.key",
        }
        command = [sys.executable, "-c", "from entrypoints.cli import main; main()"]
        subprocess.run([*command, "db", "upgrade"], env=env, capture_output=True, check=True)
        started = time.perf_counter()
        racers = [
            subprocess.Popen(
                [*command, "agents", "create", "racer"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(count)
        ]
        seen = Counter(
            (racer.communicate()[1].strip() or "ok").replace("'racer'", "...") for racer in racers
        )
    busy = sum(count for key, count in seen.items() if re.search("locked|busy", key))
    print(f"sqlite, {count} CLI commands: agents create of one name", end=" ")
    print(f"({time.perf_counter() - started:.1f} s): busy {busy}")
    for key, number in sorted(seen.items()):
        print(f"  {number:5d}  {key}")
    return busy


if __name__ == "__main__":
    sys.exit(main())
