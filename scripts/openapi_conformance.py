"""Print how many imported functions of the OpenAPI corpus render conforming requests.

Usage: ``.venv/bin/python scripts/openapi_conformance.py`` (from the repository root).
Every description in ``../shared/corpus/openapi`` is imported with ``--all``; one call
per function is rendered and validated with openapi-core (tests/openapi_conformance.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.openapi_conformance import conformance, summary
from tests.openapi_corpus import openapi_documents

if __name__ == "__main__":
    print(summary([conformance(path) for path in openapi_documents()]))
