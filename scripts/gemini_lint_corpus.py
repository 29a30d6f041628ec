"""Print how every function of the external corpus reaches Gemini realtime.

Each distinct function's category (accepted, adapted, adapted_with_hints, impossible),
the hints grouped by kind, and the three hardest adapted functions with their offered
schemas. Usage: ``.venv/bin/python scripts/gemini_lint_corpus.py`` (from anywhere: the corpus is
found like the tests find it, ``../shared/corpus`` beside the repo or
``$TOOL_PLATFORM_CORPUS_DIR``). The counts are pinned by ``tests/unit/gemini/test_corpus.py``
and quoted in ``docs/gemini.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus import find_corpus, missing_corpus_reason
from tests.unit.gemini.corpus_lint import lint_corpus, render, render_hardest


def main() -> int:
    """Print the report; exit 2 when the corpus is missing."""
    corpus = find_corpus()
    if corpus is None:
        print(missing_corpus_reason(), file=sys.stderr)
        return 2
    report = lint_corpus(corpus)
    print(render(report, corpus))
    print(render_hardest(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
