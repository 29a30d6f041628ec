"""The quick check (``domain/schema/quick_accept.py``): where it runs, and that it agrees.

Where a schema has a quick check, it must never call valid what ``jsonschema`` refuses:
proved here on every case of the JSON Schema Test Suite and on generated arguments for
a sample of the corpus's schemas (``scripts/quick_accept_agreement.py`` runs the whole
corpus); and ``validate_arguments`` returns what it returned before (defaults,
integers, coercions, refusals).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import validators

from domain.errors import InvalidArguments
from domain.schema.function_schema import FunctionSchema
from domain.schema.quick_accept import INELIGIBLE_KEYWORDS, quick_check
from tests.quick_agreement import AGREE, WRONG_ACCEPT, corpus_schemas, corpus_tally, suite_tally

CORPUS_SAMPLE_EVERY = 100
"""The CI test takes every 100th distinct corpus definition (37 schemas)."""
VALUES_PER_SCHEMA = 8


def function(parameters: dict[str, Any]) -> FunctionSchema:
    return FunctionSchema("f", "", {"type": "object", **parameters})


@pytest.mark.corpus
def test_the_quick_check_agrees_with_jsonschema_on_every_suite_case(corpus_dir: Path) -> None:
    tally = suite_tally(corpus_dir / "json-schema-test-suite" / "tests")
    print(tally.render("JSON Schema Test Suite"))

    assert tally.disagreements == []
    assert tally.counts[WRONG_ACCEPT] == 0
    assert tally.counts[AGREE] > 1000  # the check runs on most of the suite


@pytest.mark.corpus
def test_the_quick_check_agrees_with_jsonschema_on_corpus_arguments(corpus_dir: Path) -> None:
    schemas = corpus_schemas(corpus_dir, every=CORPUS_SAMPLE_EVERY)
    tally = corpus_tally(schemas, VALUES_PER_SCHEMA)
    print(tally.render("corpus sample"))

    assert tally.disagreements == []
    assert tally.counts[AGREE] >= len(schemas)


@pytest.mark.parametrize("keyword", sorted(INELIGIBLE_KEYWORDS))
def test_a_schema_using_an_ineligible_keyword_anywhere_gets_no_quick_check(keyword: str) -> None:
    value: Any = {"type": "string"} if keyword == "contentSchema" else "x"
    value = {"a": {}} if keyword == "patternProperties" else value
    value = 2 if keyword == "multipleOf" else value
    value = "date" if keyword == "format" else value
    nested = {"properties": {"outer": {"items": {keyword: value}}}}

    assert quick_check(nested, validators.Draft202012Validator) is None


def test_drafts_the_suite_does_not_prove_get_no_quick_check() -> None:
    schema = {"properties": {"a": {"type": "integer"}}}

    assert quick_check(schema, validators.Draft4Validator) is None
    assert quick_check(schema, validators.Draft201909Validator) is None
    assert quick_check(schema, validators.Draft7Validator) is not None
    assert quick_check(schema, validators.Draft202012Validator) is not None


def test_accepted_arguments_come_out_as_the_full_check_gave_them() -> None:
    greet = function(
        {
            "properties": {
                "name": {"type": "string"},
                "times": {"type": "integer", "default": 1},
                "extra": {"type": "object", "properties": {"n": {"type": "integer"}}},
            },
            "required": ["name"],
        }
    )

    assert greet.validate_arguments({"name": "Ada"}) == {"name": "Ada", "times": 1}
    normalised = greet.validate_arguments({"name": "Ada", "times": 2.0, "extra": {"n": 3.0}})
    assert normalised == {"name": "Ada", "times": 2, "extra": {"n": 3}}
    assert type(normalised["times"]) is int
    assert type(normalised["extra"]["n"]) is int


def test_what_the_quick_check_refuses_is_coerced_or_refused_as_before() -> None:
    greet = function({"properties": {"times": {"type": "integer"}}})

    assert greet.validate_arguments({"times": "3"}) == {"times": 3}
    with pytest.raises(InvalidArguments, match="times"):
        greet.validate_arguments({"times": "three"})
    with pytest.raises(InvalidArguments, match="is not declared"):
        greet.validate_arguments({"times": 3, "other": 1})


def test_a_float_multiple_is_still_refused_as_jsonschema_refuses_it() -> None:
    priced = function({"properties": {"price": {"type": "number", "multipleOf": 0.1}}})

    with pytest.raises(InvalidArguments, match="price"):
        priced.validate_arguments({"price": 0.3})  # 0.3 / 0.1 is 2.9999999999999996
