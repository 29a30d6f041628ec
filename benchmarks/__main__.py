"""``python -m benchmarks [--quick] [--only ITEM ...] [--json PATH]``: run the suite.

Prints each row as it is measured, then the whole run as a Markdown table, and writes
the run as JSON (``benchmarks/results.json`` unless ``--json`` says otherwise).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shlex
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from benchmarks import (
    cli_startup,
    http_call,
    mcp_call,
    memory,
    per_call,
    scale,
    session_start,
    toolset_load,
)
from benchmarks.environment import DatabaseFactory, postgres_databases, sqlite_databases
from benchmarks.report import Report

DEFAULT_JSON = Path(__file__).resolve().parent / "results.json"

Item = Callable[[Report, dict[str, DatabaseFactory], bool], Coroutine[Any, Any, None]]


async def _toolset_load(report: Report, backends: dict[str, DatabaseFactory], quick: bool) -> None:
    bench = (
        toolset_load.LoadBench(rounds=15, catalog=700)
        if quick
        else toolset_load.LoadBench(rounds=60, catalog=None)
    )
    await toolset_load.run(report, backends, bench)


async def _per_call(report: Report, backends: dict[str, DatabaseFactory], quick: bool) -> None:
    loops, repeat = (500, 3) if quick else (5000, 7)
    await per_call.run(report, backends["sqlite"](), loops, repeat)


async def _cli(report: Report, backends: dict[str, DatabaseFactory], quick: bool) -> None:
    cli_startup.run(report, backends["sqlite"](), 3 if quick else 15)


async def _scale(report: Report, backends: dict[str, DatabaseFactory], quick: bool) -> None:
    catalog, binds = (120, 100) if quick else (None, 500)
    await scale.run(report, backends["sqlite"](), catalog, binds)


async def _memory(report: Report, backends: dict[str, DatabaseFactory], quick: bool) -> None:
    sessions = 40 if quick else 200
    for backend, make_database in backends.items():
        await memory.run(report, backend, make_database(), sessions, 20)


async def _http(report: Report, backends: dict[str, DatabaseFactory], quick: bool) -> None:
    loops, repeat = (100, 2) if quick else (500, 3)
    await http_call.run(report, backends["sqlite"](), loops, repeat)


async def _mcp(report: Report, backends: dict[str, DatabaseFactory], quick: bool) -> None:
    loops, rounds = (10, 4) if quick else (50, 20)
    await mcp_call.run(report, backends["sqlite"](), loops, rounds)


async def _start(report: Report, backends: dict[str, DatabaseFactory], quick: bool) -> None:
    await session_start.run(report, backends["sqlite"](), 3 if quick else 10, budget=1.0)


ITEMS: dict[str, Item] = {
    "load": _toolset_load,
    "call": _per_call,
    "cli": _cli,
    "scale": _scale,
    "memory": _memory,
    "http": _http,
    "mcp": _mcp,
    "start": _start,
}


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, to try it out")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(ITEMS), help="run these items only (default: all)"
    )
    parser.add_argument(
        "--no-postgres", action="store_true", help="SQLite only (no PostgreSQL cluster)"
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen items; print the table; write the JSON."""
    arguments = _arguments(sys.argv[1:] if argv is None else argv)
    command = "python -m benchmarks " + shlex.join(sys.argv[1:] if argv is None else argv)
    report = Report(command.strip())
    with contextlib.ExitStack() as stack:
        backends: dict[str, DatabaseFactory] = {"sqlite": stack.enter_context(sqlite_databases())}
        if not arguments.no_postgres:
            postgres = stack.enter_context(postgres_databases())
            if postgres is not None:
                backends["postgresql"] = postgres
        for name in arguments.only or ITEMS:
            asyncio.run(ITEMS[name](report, backends, arguments.quick))
    print()
    print(report.table())
    report.write_json(arguments.json)
    print(f"\nwritten: {arguments.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
