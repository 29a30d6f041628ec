"""Print how the external tool-definition corpus fares against ``FunctionSchema``.

Usage: ``.venv/bin/python scripts/corpus_report.py`` from the repository root (or
anywhere: the corpus is found like the tests find it, ``../shared/corpus`` beside the
repo or ``$TOOL_PLATFORM_CORPUS_DIR``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus import (
    check_ground_truth,
    find_corpus,
    import_corpus,
    missing_corpus_reason,
    render_report,
)


def main() -> int:
    """Print the report; exit 2 when the corpus is missing."""
    corpus = find_corpus()
    if corpus is None:
        print(missing_corpus_reason(), file=sys.stderr)
        return 2
    print(f"Corpus: {corpus}")
    imports = import_corpus(corpus)
    print(render_report(imports, check_ground_truth(corpus, imports.schemas)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
