"""Every function of the external corpus (``../shared/corpus``) reaches Gemini realtime.

The counts are the ones ``scripts/gemini_lint_corpus.py`` prints and ``docs/gemini.md``
quotes; they are exact because the converter is pinned (livekit-plugins-google 1.8.9).
Before adaptation the converter refused 48 of these functions and dropped constraints
of 57 more; now none is impossible. Run with ``pytest -s`` to see the report. Speed is
measured by the script, not asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.gemini import Category, GeminiSchemaOffering
from adapters.gemini.converter import declare
from tests.unit.gemini.corpus_lint import CorpusLint, lint_corpus, render

OCCURRENCES = 8_888 + 117 + 83  # BFCL function occurrences + MCP tools (corpus README)
BFCL_DISTINCT = 3_420
MCP_DISTINCT = 198  # two of the 200 MCP tools are identical to another


@pytest.fixture(scope="module")
def linted(corpus_dir: Path) -> CorpusLint:
    report = lint_corpus(corpus_dir, GeminiSchemaOffering())
    print()
    print(render(report, corpus_dir))
    return report


@pytest.mark.corpus
def test_every_corpus_function_is_assessed(linted: CorpusLint) -> None:
    assert linted.not_imported == []
    assert linted.occurrences == OCCURRENCES
    assert linted.checked == BFCL_DISTINCT + MCP_DISTINCT


@pytest.mark.corpus
def test_every_corpus_function_loads_on_gemini_realtime(linted: CorpusLint) -> None:
    assert linted.count(Category.IMPOSSIBLE) == 0
    assert {category: linted.count(category) for category in Category} == {
        Category.ACCEPTED: 3_374,
        Category.ADAPTED: 229,
        Category.ADAPTED_WITH_HINTS: 15,
        Category.IMPOSSIBLE: 0,
    }


@pytest.mark.corpus
def test_every_offered_corpus_schema_passes_the_converter(linted: CorpusLint) -> None:
    for _, _, assessment in linted.assessed:
        assert assessment.offered is not None
        declare(assessment.offered.to_dict())  # raises ConverterRefusal when refused
