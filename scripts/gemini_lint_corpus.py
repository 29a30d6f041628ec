"""Print how every function of the external corpus fares against Gemini realtime.

Usage: ``.venv/bin/python scripts/gemini_lint_corpus.py`` (from anywhere: the corpus is
found like the tests find it, ``../shared/corpus`` beside the repo or
``$TOOL_PLATFORM_CORPUS_DIR``). The counts are pinned by ``tests/unit/gemini/test_corpus.py``
and quoted in ``docs/gemini.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus import find_corpus, missing_corpus_reason
from tests.unit.gemini.corpus_lint import lint_corpus, render


def main() -> int:
    """Print the report; exit 2 when the corpus is missing."""
    corpus = find_corpus()
    if corpus is None:
        print(missing_corpus_reason(), file=sys.stderr)
        return 2
    print(render(lint_corpus(corpus), corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
