"""The OpenAPI corpus (``../shared/corpus/openapi``): reading and importing each document.

Shared by the corpus tests and ``scripts/openapi_report.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from adapters.openapi.parser import YamlJsonOpenApiParser
from application.openapi_import import OpenApiImport, OperationSelection, import_openapi
from tests.corpus import corpus_path


def openapi_documents() -> list[Path]:
    """Every description in the corpus, by file name."""
    return sorted(path for path in (corpus_path() / "openapi").iterdir() if path.suffix != ".md")


def read_description(path: Path) -> Any:
    """The parsed JSON or YAML of one description."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def import_all(path: Path) -> OpenApiImport:
    """Import every operation of the description at ``path`` as the tool ``imported``."""
    return import_openapi(
        YamlJsonOpenApiParser(),
        read_description(path),
        "imported",
        OperationSelection(everything=True),
    )
