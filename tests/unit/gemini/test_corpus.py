"""Every function of the external corpus (``../shared/corpus``) against Gemini realtime.

The counts are the ones ``scripts/gemini_lint_corpus.py`` prints and ``docs/gemini.md``
quotes; they are exact because the converter is pinned (livekit-plugins-google 1.8.9).
Run with ``pytest -s`` to see the report. Speed is measured by the script, not asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.gemini import GeminiModelCompatibility
from tests.unit.gemini.corpus_lint import CorpusLint, lint_corpus, render
from tests.unit.gemini.support import assert_explains_itself

OCCURRENCES = 8_888 + 117 + 83  # BFCL function occurrences + MCP tools (corpus README)
BFCL_DISTINCT = 3_420
MCP_DISTINCT = 198  # two of the 200 MCP tools are identical to another
INTEGER_ENUM = (
    "enum holds integer values (...): Gemini takes only string enum values; use strings, "
    "or drop the enum and say the values in the description"
)
TYPE_LIST = (
    '"type" lists several types (...): the converter takes one type name; use anyOf with '
    'one {"type": ...} per type'
)


@pytest.fixture(scope="module")
def linted(corpus_dir: Path) -> CorpusLint:
    report = lint_corpus(corpus_dir, GeminiModelCompatibility())
    print()
    print(render(report, corpus_dir))
    return report


@pytest.mark.corpus
def test_every_corpus_function_gets_a_verdict(linted: CorpusLint) -> None:
    assert linted.not_imported == []
    assert linted.occurrences == OCCURRENCES
    assert linted.sources["bfcl"].checked == BFCL_DISTINCT
    assert linted.sources["mcp"].checked == MCP_DISTINCT
    assert len(linted.verdicts) == linted.checked == BFCL_DISTINCT + MCP_DISTINCT


@pytest.mark.corpus
def test_the_counts_are_the_reported_ones(linted: CorpusLint) -> None:
    assert (linted.accepted, linted.rejected, linted.with_warnings) == (3_570, 48, 57)
    assert linted.rejected_occurrences == 363
    assert dict(linted.reasons) == {INTEGER_ENUM: 47, TYPE_LIST: 1}
    assert linted.warnings.total() == 59


@pytest.mark.corpus
def test_every_reason_and_warning_is_located_and_readable(linted: CorpusLint) -> None:
    for _, _, verdict in linted.verdicts:
        assert_explains_itself(verdict)


@pytest.mark.corpus
def test_the_mcp_snapshots_are_accepted_but_one_union_type(linted: CorpusLint) -> None:
    rejected = [
        (name, verdict.reasons)
        for source, name, verdict in linted.verdicts
        if source.startswith("mcp/") and not verdict.accepted
    ]

    assert rejected == [
        (
            "issue_write",
            (
                "parameters.properties.issue_fields.items.properties.value: "
                '"type" lists several types (["string", "number", "boolean"]): the converter '
                'takes one type name; use anyOf with one {"type": ...} per type',
            ),
        )
    ]
