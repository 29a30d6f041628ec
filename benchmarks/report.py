"""The rows of one run: printed as a table, written as JSON."""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Row:
    """One figure against its baseline.

    Attributes:
        section: The issue's item (``toolset load``, ``per call``...).
        measure: What was measured, with its size.
        value: The figure, with its unit (``3.1 ms``).
        baseline: What it is compared with, and that figure.
        ratio: value / baseline (None where the figure is a count or a size).
        target: The most the ratio (or the count) may be, when the issue sets one.
        figure: The raw number (seconds, bytes or a count) for the JSON.
    """

    section: str
    measure: str
    value: str
    baseline: str = ""
    ratio: float | None = None
    target: float | None = None
    figure: float | None = None

    @property
    def met(self) -> bool | None:
        """Whether the target is met (None: no target)."""
        if self.target is None:
            return None
        compared = self.ratio if self.ratio is not None else self.figure
        return compared is not None and compared <= self.target


@dataclass
class Report:
    """Every row of a run, and what the run was."""

    command: str
    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        """Add a row and print it at once (a long run shows its progress)."""
        self.rows.append(row)
        print(_line(row), flush=True)

    def table(self) -> str:
        """The whole run as a Markdown table."""
        header = "| item | measure | value | baseline | ratio | target | met |"
        lines = [header, "| --- | --- | --- | --- | --- | --- | --- |"]
        lines.extend(_markdown(row) for row in self.rows)
        return "\n".join(lines)

    def write_json(self, path: Path) -> None:
        """Write the run (machine, command, rows) as JSON."""
        document: dict[str, Any] = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": self.command,
            "machine": machine(),
            "rows": [asdict(row) | {"met": row.met} for row in self.rows],
        }
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def machine() -> dict[str, Any]:
    """The machine and interpreter the run used."""
    cpus = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpus = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": cpus or platform.processor(),
        "cpu_count": os.cpu_count(),
        "load_average": list(os.getloadavg()),
    }


def _ratio(row: Row) -> str:
    return "" if row.ratio is None else f"{row.ratio:.2f}x"


def _target(row: Row) -> str:
    if row.target is None:
        return ""
    return f"<= {row.target:g}x" if row.ratio is not None else f"<= {row.target:g}"


def _met(row: Row) -> str:
    return {None: "", True: "yes", False: "NO"}[row.met]


def _markdown(row: Row) -> str:
    cells = (row.section, row.measure, row.value, row.baseline, _ratio(row), _target(row))
    return "| " + " | ".join((*cells, _met(row))) + " |"


def _line(row: Row) -> str:
    verdict = _met(row)
    return (
        f"{row.section:<14} {row.measure:<48} {row.value:>12}  {_ratio(row):>8}"
        f"  {_target(row):>8} {verdict:>3}  {row.baseline}"
    )


def ms(seconds: float) -> str:
    """Seconds as milliseconds, for a cell."""
    return f"{seconds * 1000:.2f} ms"


def us(seconds: float) -> str:
    """Seconds as microseconds, for a cell."""
    return f"{seconds * 1e6:.1f} us"
