"""The official JSON Schema Test Suite (draft 7 and 2020-12) against ``FunctionSchema``.

Every case must agree with the suite or differ for a documented reason (the categories
of ``tests/schema_suite.py``); the counts per category are pinned, so a change in
behaviour shows here and in ``docs/schema-dialects.md`` together. Run with ``-s`` to see
the table; ``scripts/schema_suite_report.py`` prints the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.schema_suite import (
    AGREE,
    CLOSED,
    COERCED,
    FORMAT,
    GAP_ACCEPTED,
    GAP_REJECTED,
    REFUSED_DEFAULT,
    REFUSED_DRAFT,
    REFUSED_REFERENCE,
    classify_all,
    count,
    defects,
    render,
)

PINNED = {
    ("draft7", "required"): {
        AGREE: 838,
        REFUSED_REFERENCE: 59,
        REFUSED_DEFAULT: 7,
        COERCED: 20,
        CLOSED: 3,
    },
    ("draft7", "format"): {AGREE: 653, GAP_ACCEPTED: 20, GAP_REJECTED: 3},
    ("draft2020-12", "required"): {
        AGREE: 1127,
        REFUSED_DRAFT: 5,
        REFUSED_REFERENCE: 121,
        REFUSED_DEFAULT: 7,
        COERCED: 19,
        CLOSED: 3,
        FORMAT: 17,
    },
    ("draft2020-12", "format"): {AGREE: 741, GAP_ACCEPTED: 20, GAP_REJECTED: 3},
}


@pytest.mark.corpus
def test_every_case_agrees_or_differs_for_a_documented_reason(corpus_dir: Path) -> None:
    classified = classify_all(corpus_dir / "json-schema-test-suite" / "tests")
    counts = count(classified)
    print(render(counts))
    assert defects(classified) == []
    found = {
        (draft, part): {c: n for (d, p, c), n in counts.items() if (d, p) == (draft, part)}
        for draft, part in PINNED
    }
    assert found == PINNED
