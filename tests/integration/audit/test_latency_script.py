"""``scripts/audit_latency.py`` runs (small) and prints both latencies and their ratio."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "audit_latency.py"


def test_the_benchmark_prints_normal_and_hung_latency_and_the_drops() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--calls", "20", "--queue", "100", "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].startswith("normal writer (SQLite): p50 ")
    assert lines[1].endswith("stored 20, dropped 0")
    assert lines[2].startswith("hung writer: ")
    assert lines[2].endswith("stored 0, dropped 20")
    assert lines[3].startswith("hung / normal: p50 x")
