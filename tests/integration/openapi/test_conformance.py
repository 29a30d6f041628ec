"""Requests rendered from imported functions conform to the API's own description.

One call per imported function of every corpus description, validated by openapi-core
(tests/openapi_conformance.py); every one conforms (docs/openapi-import.md).
"""

from __future__ import annotations

from tests.openapi_conformance import conformance, summary
from tests.openapi_corpus import openapi_documents

KNOWN_FAILURES: set[tuple[str, str]] = set()
"""(document, function) pairs that do not conform, each explained in the docs: none."""


def test_every_imported_function_renders_a_request_its_description_accepts() -> None:
    outcomes = [conformance(path) for path in openapi_documents()]
    print(summary(outcomes))
    failed = {(o.document, function) for o in outcomes for function, _ in o.failures}
    assert failed == KNOWN_FAILURES
    assert sum(o.checked for o in outcomes) == 593
