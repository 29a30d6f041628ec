"""The catalog the benchmarks define: every BFCL function definition, as ``http`` tools.

One tool per distinct function name (the first definition of each name), each one
``GET`` of a made-up URL: what an OpenAPI import produces, in the catalog's largest
real-world shape. The BFCL files are read from the shared corpus (``tests/corpus.py``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from domain.errors import InvalidSchema
from domain.schema.function_schema import import_function
from tests.builders import http_tool_document
from tests.corpus import find_corpus, iter_definitions, missing_corpus_reason


class NoCorpus(Exception):
    """The shared corpus is not there."""


@cache
def bfcl_functions() -> tuple[dict[str, Any], ...]:
    """Every distinct, importable BFCL function, canonical, one per name, in corpus order.

    Raises:
        NoCorpus: When the corpus cannot be found.
    """
    corpus = find_corpus()
    if corpus is None:
        raise NoCorpus(missing_corpus_reason())
    by_name: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for definition in iter_definitions(corpus):
        if not definition.source.startswith("bfcl/") or definition.key in seen:
            continue
        seen.add(definition.key)
        try:
            schema = import_function(definition.data).schema
        except InvalidSchema:
            continue
        by_name.setdefault(schema.name, schema.to_dict())
    return tuple(by_name.values())


def tool_name(index: int) -> str:
    """The catalog name of the ``index``-th tool."""
    return f"bfcl-{index:05d}"


def tool_documents(limit: int | None = None) -> list[dict[str, Any]]:
    """One ``http`` tool document per BFCL function (the first ``limit`` of them)."""
    functions = bfcl_functions()[:limit]
    return [
        http_tool_document(tool_name(index), [function], description=function["description"])
        for index, function in enumerate(functions)
    ]
