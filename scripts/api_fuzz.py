"""Schemathesis against the admin API in process, at full size; prints the summary.

The test suite runs the same (``tests/integration/api/test_schemathesis.py``: every
default check on every operation, and the canary check) with a few examples per
operation; this runs it with ``--examples`` (default 200) and prints one line per
operation and the totals.

    .venv/bin/python scripts/api_fuzz.py [--examples N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST = ROOT / "tests" / "integration" / "api" / "test_schemathesis.py"


class Summary:
    """Collects each operation's outcome from pytest's reports."""

    def __init__(self) -> None:
        self.outcomes: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep each operation's outcome: failed if any phase failed, else passed."""
        operation = report.head_line.partition("[")[2].rstrip("]")
        if self.outcomes.get(operation) != "failed":
            self.outcomes[operation] = "failed" if report.failed else "passed"


def main() -> int:
    """Run the test at full size and print the summary; exit 1 on any failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    examples = parser.parse_args().examples
    os.environ["SCHEMATHESIS_EXAMPLES"] = str(examples)
    os.chdir(ROOT)
    summary = Summary()
    started = time.monotonic()
    code = pytest.main(
        [str(TEST), "-q", "-p", "no:cacheprovider", "--no-header", "-rN"], plugins=[summary]
    )
    seconds = time.monotonic() - started
    for operation, outcome in sorted(summary.outcomes.items()):
        print(f"{outcome:7}  {operation}")
    passed = sum(outcome == "passed" for outcome in summary.outcomes.values())
    print(
        f"schemathesis: {len(summary.outcomes)} operations x up to {examples} examples, "
        f"all default checks + canary_absent: {passed} passed, "
        f"{len(summary.outcomes) - passed} failed, in {seconds:.0f} s"
    )
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
