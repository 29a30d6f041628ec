"""The benchmark suite runs (a tiny per-call run): rows, a table and JSON come out.

Only that it runs and what it reports are checked here, never a speed: the figures are
``python -m benchmarks``'s (docs/performance.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import per_call, session_start
from benchmarks.__main__ import ITEMS
from benchmarks.report import Report, Row
from benchmarks.timing import interleaved


async def test_a_tiny_per_call_run_reports_every_variant_as_a_table_and_json(
    tmp_path: Path,
) -> None:
    report = Report("python -m benchmarks --only call")

    await per_call.run(report, f"sqlite+aiosqlite:///{tmp_path / 'bench.db'}", loops=5, repeat=1)
    report.write_json(tmp_path / "results.json")

    measures = [row.measure for row in report.rows]
    assert measures == [
        "bare function (no LiveKit)",
        "raw LiveKit tool, LiveKit's dispatch",
        "platform tool, LiveKit's dispatch, log line, audit record queued",
        "added by the platform (us)",
        "added by the platform, CPU time (us)",
        "audit record stored afterwards, per record",
    ]
    assert all(row.figure is not None and row.figure > 0 for row in report.rows[:3])
    assert report.table().count("\n") == len(report.rows) + 1
    written = json.loads((tmp_path / "results.json").read_text())
    assert written["command"] == "python -m benchmarks --only call"
    assert [row["measure"] for row in written["rows"]] == measures
    assert {"python", "cpu_count"} <= written["machine"].keys()


def test_a_row_meets_its_target_by_its_ratio_or_else_its_figure() -> None:
    assert Row("s", "m", "1", ratio=1.4, target=1.5).met is True
    assert Row("s", "m", "1", ratio=1.6, target=1.5).met is False
    assert Row("s", "m", "0", target=0, figure=0).met is True
    assert Row("s", "m", "3", target=1, figure=3).met is False
    assert Row("s", "m", "3").met is None


def test_the_mcp_items_are_on_the_command_line() -> None:
    assert {"mcp", "start"} <= ITEMS.keys()


async def test_an_opening_is_timed_up_to_its_return_and_closed_after_each_round() -> None:
    events: list[str] = []

    def opening(name: str) -> session_start.Opening:
        async def opened() -> session_start.Close:
            events.append(f"open {name}")

            async def close() -> None:
                events.append(f"close {name}")

            return close

        return opened

    samples = await interleaved({"a": opening("a"), "b": opening("b")}, rounds=2, warmup=1)

    assert [len(samples[name].values) for name in ("a", "b")] == [2, 2]
    assert events[:4] == ["open a", "close a", "open b", "close b"]
    assert events[4:8] == ["open b", "close b", "open a", "close a"]
