"""Print how ``FunctionSchema`` fares against the official JSON Schema Test Suite.

Usage: ``.venv/bin/python scripts/schema_suite_report.py [--defects]`` from anywhere.
Prints the number of cases per draft (7 and 2020-12), part (required tests, and
``optional/format`` apart) and category (see ``tests/schema_suite.py``); with
``--defects``, also every case in a defect category.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.schema_suite import classify_all, count, defects, render, suite_path


def main() -> int:
    """Print the report; exit 2 when the suite is missing."""
    root = suite_path()
    if not root.is_dir():
        print(f"JSON Schema Test Suite not found at {root}", file=sys.stderr)
        return 2
    print(f"Suite: {root}")
    classified = classify_all(root)
    print(render(count(classified)))
    if "--defects" in sys.argv[1:]:
        print("\n".join(defects(classified)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
