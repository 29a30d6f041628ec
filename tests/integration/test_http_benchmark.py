"""The HTTP benchmark runs batches longer than a session's default call limit."""

from __future__ import annotations

from pathlib import Path

from benchmarks import http_call
from benchmarks.report import Report
from domain.tools.call_policy import DEFAULT_MAX_CALLS_PER_SESSION


async def test_a_run_of_more_calls_than_the_default_limit_reports_every_variant(
    tmp_path: Path,
) -> None:
    report = Report("python -m benchmarks --only http")
    loops = DEFAULT_MAX_CALLS_PER_SESSION + 5

    await http_call.run(report, f"sqlite+aiosqlite:///{tmp_path / 'bench.db'}", loops, repeat=2)

    assert [row.measure for row in report.rows] == [
        "raw pooled aiohttp GET",
        "raw pooled httpx GET",
        "seed: an httpx client per call",
        "platform http tool call",
        "platform over raw pooled httpx (us)",
        "added over the faster raw client (us)",
    ]
    assert all(row.figure is not None and row.figure > 0 for row in report.rows[:4])
