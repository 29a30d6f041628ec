"""Per-call latency with the call audit's writer working, and with its storage hung.

Usage: ``.venv/bin/python scripts/audit_latency.py [--calls 2000] [--queue 1000]``.

Runs ``--calls`` calls of a python test tool through the container's own tool session
(SQLite catalog and call log in a temporary folder) twice: with the normal writer, and
with a call log whose ``append`` waits forever on an event (a hung storage). Prints the
median, p95 and p99 of one call's latency in microseconds for each, their ratio, and how
many records each run stored and dropped. Latency is measured, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from dependency_injector import providers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.memory.call_log import InMemoryCallLog
from application.audit_writer import AuditWriter
from application.call_audit import percentile
from domain.call_records import CallRecord
from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.settings import PlatformSettings
from tests.builders import python_tool_document

KEY = "bench:" + "A" * 43 + "="


class HungLog(InMemoryCallLog):
    """A storage that never answers."""

    async def append(self, records: Sequence[CallRecord]) -> None:
        """Wait on an event nobody sets."""
        await asyncio.Event().wait()


async def run(folder: Path, calls: int, queue: int, *, hung: bool) -> tuple[list[float], int, int]:
    """Latencies (microseconds) of ``calls`` calls; records written and dropped."""
    container = Container()
    container.settings.override(
        PlatformSettings(
            storage="sqlalchemy",
            database_url=f"sqlite+aiosqlite:///{folder / ('hung.db' if hung else 'normal.db')}",
            secret_keys=KEY,  # type: ignore[arg-type]
            handler_packages=("tests.handlers",),
            model_target="any",
            audit_queue_size=queue,
            audit_flush_seconds=5.0,
        )
    )
    if hung:
        container.audit_writer.override(
            providers.Singleton(AuditWriter, HungLog(), queue_size=queue, flush_seconds=0.1)
        )
    latencies = []
    async with lifespan(container):
        await container.storage().upgrade()
        await container.tools().define(python_tool_document("echoes", {"echo": "echo"}))
        await container.agents().create("bench")
        await container.bindings().bind("bench", "echoes")
        toolset = await container.toolsets().load("bench")
        async with await container.tool_sessions().open(toolset) as session:
            for number in range(calls):
                started = time.perf_counter()
                await session.call("echo", {"text": f"call {number}"}, call_id=f"c{number}")
                latencies.append((time.perf_counter() - started) * 1e6)
                await asyncio.sleep(0)  # a turn yields between calls; the writer runs
        writer = container.audit_writer()
    return latencies, writer.written, writer.dropped


def summary(latencies: list[float]) -> tuple[float, float, float]:
    """Median, p95 and p99."""
    ordered = sorted(latencies)
    return statistics.median(ordered), percentile(ordered, 95), percentile(ordered, 99)


async def main(arguments: argparse.Namespace) -> None:
    """Alternate normal and hung runs ``--rounds`` times (machine noise hits both)."""
    normal: list[float] = []
    hung: list[float] = []
    written = dropped = hung_written = hung_dropped = 0
    for round_number in range(arguments.rounds):
        with tempfile.TemporaryDirectory(prefix="audit-latency-") as folder:
            latencies, stored, lost = await run(
                Path(folder), arguments.calls, arguments.queue, hung=False
            )
            normal += latencies
            written, dropped = written + stored, dropped + lost
            latencies, stored, lost = await run(
                Path(folder), arguments.calls, arguments.queue, hung=True
            )
            hung += latencies
            hung_written, hung_dropped = hung_written + stored, hung_dropped + lost
        print(f"round {round_number + 1} of {arguments.rounds} done", file=sys.stderr)
    (n50, n95, n99), (h50, h95, h99) = summary(normal), summary(hung)
    print(
        f"calls per run: {arguments.calls} x {arguments.rounds} rounds, "
        f"queue size: {arguments.queue}"
    )
    print(f"normal writer (SQLite): p50 {n50:.0f} us  p95 {n95:.0f} us  p99 {n99:.0f} us"
          f"  stored {written}, dropped {dropped}")  # fmt: skip
    print(f"hung writer:            p50 {h50:.0f} us  p95 {h95:.0f} us  p99 {h99:.0f} us"
          f"  stored {hung_written}, dropped {hung_dropped}")  # fmt: skip
    print(f"hung / normal: p50 x{h50 / n50:.2f}  p95 x{h95 / n95:.2f}  p99 x{h99 / n99:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--queue", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args()))
