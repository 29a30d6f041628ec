"""Item 7, CLI start-up: whole processes, interleaved, medians.

``tool-platform --help`` against ``python -c "import typer"``, and ``tools list`` (on a
migrated SQLite catalog) against ``python -c "import typer, sqlalchemy.ext.asyncio"``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from benchmarks.report import Report, Row, ms

SECTION = "cli start-up"


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def run(report: Report, database_url: str, runs: int) -> None:
    """Time the four processes ``runs`` times each, interleaved, and add the rows."""
    cli = str(Path(sys.executable).with_name("tool-platform"))
    env = {
        **os.environ,
        "TOOL_PLATFORM_STORAGE": "sqlalchemy",
        "TOOL_PLATFORM_DATABASE_URL": database_url,
        "TOOL_PLATFORM_SECRET_KEY_FILE": str(
            Path(str(make_url(database_url).database)).with_suffix(".key")
        ),
    }
    env.pop("TOOL_PLATFORM_SECRET_KEYS", None)
    subprocess.run([cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import typer": [sys.executable, "-c", "import typer"],
        "tool-platform --help": [cli, "--help"],
        "import typer, sqlalchemy.ext.asyncio": [
            sys.executable,
            "-c",
            "import typer, sqlalchemy.ext.asyncio",
        ],
        "tool-platform tools list": [cli, "tools", "list"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(_timed(command, env))
    median = {name: statistics.median(values) for name, values in times.items()}
    report.add(
        Row(
            SECTION, "python -c pass", ms(median["python -c pass"]), figure=median["python -c pass"]
        )
    )
    for measured, baseline, target in (
        ("tool-platform --help", "import typer", 2.0),
        ("tool-platform tools list", "import typer, sqlalchemy.ext.asyncio", 1.5),
    ):
        report.add(
            Row(
                SECTION,
                measured,
                ms(median[measured]),
                f"{baseline} {ms(median[baseline])}",
                median[measured] / median[baseline],
                target,
                median[measured],
            )
        )
