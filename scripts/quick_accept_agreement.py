"""Prove the quick check agrees with ``jsonschema`` on the whole suite and corpus.

Usage: ``.venv/bin/python scripts/quick_accept_agreement.py [--values N]`` from anywhere.
Runs every case of the JSON Schema Test Suite and ``N`` generated arguments (default 20)
for every distinct corpus function schema through both checks
(``tests/quick_agreement.py``) and prints the counts: cases, refused before any schema
check, eligible, agree, declined (the full check then runs), disagree, with each
disagreement. Exits 1 on any disagreement, 2 when the corpus is missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus import corpus_path
from tests.quick_agreement import corpus_schemas, corpus_tally, suite_tally
from tests.schema_suite import suite_path


def main() -> int:
    """Print the counts; exit 1 on a disagreement, 2 when the corpus is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=20, help="arguments per corpus schema")
    arguments = parser.parse_args()
    if not suite_path().is_dir():
        print(f"corpus not found at {corpus_path()}", file=sys.stderr)
        return 2
    suite = suite_tally(suite_path())
    print(suite.render("JSON Schema Test Suite"), flush=True)
    schemas = corpus_schemas(corpus_path())
    corpus = corpus_tally(schemas, arguments.values)
    print(corpus.render(f"corpus, {len(schemas)} schemas x {arguments.values} arguments"))
    disagreements = suite.disagreements + corpus.disagreements
    print("\n".join(disagreements))
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
