"""Every description of the OpenAPI corpus imports; the counts per document are pinned."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.tools.document import read_tool_document
from tests.openapi_corpus import import_all, openapi_documents

IMPORTED_AND_SKIPPED = {
    "box-openapi.json": (279, 17),
    "nytimes-books_api.json": (6, 0),
    "oai-callback-example-v3.0.yaml": (1, 0),
    "oai-petstore-expanded-v2.0.json": (4, 0),
    "oai-petstore-expanded-v3.0.yaml": (4, 0),
    "oai-tictactoe-v3.1.yaml": (2, 1),
    "oai-uspto-v3.0.yaml": (3, 0),
    "ory-kratos-v26.2.0.json": (50, 6),
    "pokeapi-openapi.yml": (100, 0),
    "qdrant-openapi.json": (62, 7),
    "redocly-museum-openapi.yaml": (8, 0),
    "swagger-petstore-openapi.yaml": (17, 2),
    "twilio_verify_v2.json": (57, 0),
}


def test_the_corpus_is_the_one_the_counts_were_pinned_on() -> None:
    assert [path.name for path in openapi_documents()] == sorted(IMPORTED_AND_SKIPPED)


@pytest.mark.parametrize("path", openapi_documents(), ids=lambda path: path.name)
def test_every_description_imports_into_a_valid_tool_with_pinned_counts(path: Path) -> None:
    result = import_all(path)
    report = result.report
    print(f"{path.name}: {len(report.imported)} imported, {len(report.skipped)} skipped")
    assert (len(report.imported), len(report.skipped)) == IMPORTED_AND_SKIPPED[path.name]
    tool = read_tool_document(result.document).tool
    assert len(tool.functions) == len(report.imported)
    assert all(reason for _, reason in report.skipped)
