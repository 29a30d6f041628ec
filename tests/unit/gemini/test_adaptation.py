"""Each rewrite of the Gemini adaptation, with its codec (``docs/gemini.md`` has the table).

For every construct: the offered schema passes LiveKit's converter, arguments in the
offered shape decode to the stored shape that the stored schema accepts, and encoding
the stored arguments gives the offered ones back.
"""

from __future__ import annotations

from typing import Any

import pytest

from adapters.gemini import Category, GeminiSchemaOffering
from adapters.gemini.converter import declare
from domain.schema.function_schema import FunctionSchema

CASES: list[tuple[str, dict[str, Any], Any, Any, Category]] = [
    (
        "integer enum -> string tokens",
        {"type": "integer", "enum": [1, 2]},
        "2",
        2,
        Category.ADAPTED,
    ),
    (
        "boolean enum of two values -> boolean",
        {"enum": [True, False]},
        True,
        True,
        Category.ADAPTED,
    ),
    ("non-string const -> one token", {"const": 3}, "3", 3, Category.ADAPTED),
    (
        "a string and an integer with equal text stay apart",
        {"enum": ["1", 1]},
        "1 (int)",
        1,
        Category.ADAPTED,
    ),
    (
        "type list with null -> nullable",
        {"type": ["string", "null"], "maxLength": 3},
        None,
        None,
        Category.ADAPTED,
    ),
    (
        "several types -> anyOf, each with its own keywords",
        {"type": ["string", "number", "boolean"], "maxLength": 2, "minimum": 0},
        "ab",
        "ab",
        Category.ADAPTED,
    ),
    (
        "anyOf [A, B, null] keeps its null",
        {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
        None,
        None,
        Category.ADAPTED,
    ),
    (
        "prefixItems -> object item_0..N",
        {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": False},
        {"item_0": 1.5, "item_1": 2},
        [1.5, 2],
        Category.ADAPTED,
    ),
    (
        "free-form object -> JSON text",
        {"type": "object"},
        '{"a": [1, {"b": null}]}',
        {"a": [1, {"b": None}]},
        Category.ADAPTED,
    ),
    (
        "typed map -> {key, value} pairs",
        {"type": "object", "additionalProperties": {"type": "integer", "enum": [1, 2]}},
        [{"key": "x", "value": "1"}, {"key": "y", "value": "2"}],
        {"x": 1, "y": 2},
        Category.ADAPTED,
    ),
    (
        "patternProperties -> pairs with a key pattern",
        {"type": "object", "patternProperties": {"^h-": {"type": "string"}}},
        [{"key": "h-a", "value": "v"}],
        {"h-a": "v"},
        Category.ADAPTED,
    ),
    (
        "property names outside the rule -> renamed",
        {"type": "object", "properties": {"Content-Type": {"type": "string"}, "año": {}}},
        {"Content_Type": "json", "a_o": "[1]"},
        {"Content-Type": "json", "año": [1]},
        Category.ADAPTED,
    ),
    (
        "allOf whose branches agree -> merged",
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "integer", "enum": [1]}}},
                {"type": "object", "properties": {"b": {"type": "string"}}},
            ]
        },
        {"a": "1", "b": "x"},
        {"a": 1, "b": "x"},
        Category.ADAPTED,
    ),
    (
        "oneOf -> anyOf, exclusivity as a hint",
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        4,
        4,
        Category.ADAPTED_WITH_HINTS,
    ),
    (
        "integer exclusive bounds -> exact bounds",
        {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10},
        9,
        9,
        Category.ADAPTED,
    ),
    (
        "unsayable constraints -> hints",
        {"type": "array", "items": {"type": "string", "format": "email"}, "uniqueItems": True},
        ["a@b.c"],
        ["a@b.c"],
        Category.ADAPTED_WITH_HINTS,
    ),
    (
        "an array without items -> items as JSON text",
        {"type": "array"},
        ["1", '"x"'],
        [1, "x"],
        Category.ADAPTED,
    ),
    ("an untyped node -> JSON text", {"description": "anything"}, "true", True, Category.ADAPTED),
]


def _function(value: dict[str, Any], defs: dict[str, Any] | None = None) -> FunctionSchema:
    parameters: dict[str, Any] = {"type": "object", "properties": {"v": value}}
    parameters.update(defs or {})
    return FunctionSchema("probe_me", "A probe.", parameters)


@pytest.mark.parametrize(
    ("schema", "offered_value", "stored_value", "category"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_rewrite_round_trips_through_the_stored_schema(
    schema: dict[str, Any], offered_value: Any, stored_value: Any, category: Category
) -> None:
    function = _function(schema)
    assessment = GeminiSchemaOffering().assess(function)
    offered = GeminiSchemaOffering().offer(function)

    assert assessment.category is category
    declare(offered.schema.to_dict())  # LiveKit's converter takes it
    decoded = offered.decode({"v": offered_value} if "v" in str(offered.schema.parameters) else {})
    assert decoded == {"v": stored_value}
    assert function.validate_arguments(decoded)["v"] == stored_value
    assert assessment.codec.encode({"v": stored_value}) == {"v": offered_value}


def test_a_draft_7_tuple_becomes_an_object() -> None:
    tuple_items = [{"type": "string"}, {"type": "integer", "enum": [7]}]
    function = _function(
        {"type": "array", "items": tuple_items},
        {"$schema": "http://json-schema.org/draft-07/schema#"},
    )

    offered = GeminiSchemaOffering().offer(function)

    declare(offered.schema.to_dict())
    assert offered.decode({"v": {"item_0": "a", "item_1": "7"}}) == {"v": ["a", 7]}


def test_a_definitions_reference_is_inlined() -> None:
    function = _function(
        {"$ref": "#/definitions/Point"},
        {
            "definitions": {
                "Point": {"type": "object", "properties": {"x": {"type": "integer", "enum": [0]}}}
            }
        },
    )

    offered = GeminiSchemaOffering().offer(function)

    assert offered.schema.parameters["properties"]["v"]["properties"]["x"]["enum"] == ["0"]
    assert offered.decode({"v": {"x": "0"}}) == {"v": {"x": 0}}


def test_a_recursive_reference_is_unrolled_then_json_text() -> None:
    node = {
        "type": "object",
        "properties": {"n": {"type": "integer"}, "next": {"$ref": "#/$defs/N"}},
    }
    function = _function({"$ref": "#/$defs/N"}, {"$defs": {"N": node}})
    assessment = GeminiSchemaOffering().assess(function)
    offered = GeminiSchemaOffering().offer(function)
    sent = {"v": {"n": 1, "next": {"n": 2, "next": '{"n": 3}'}}}

    declare(offered.schema.to_dict())
    assert assessment.category is Category.ADAPTED_WITH_HINTS
    assert function.validate_arguments(offered.decode(sent)) == {
        "v": {"n": 1, "next": {"n": 2, "next": {"n": 3}}}
    }


def test_an_accepted_function_is_offered_as_stored() -> None:
    function = _function({"type": "string", "enum": ["a", "b"]})

    offered = GeminiSchemaOffering().offer(function)

    assert GeminiSchemaOffering().assess(function).category is Category.ACCEPTED
    assert offered.schema is function
    assert offered.decode({"v": "a"}) == {"v": "a"}


def test_a_refused_argument_is_named_as_the_model_saw_it() -> None:
    function = _function(
        {"type": "object", "properties": {"Max-Items": {"type": "integer", "enum": [1, 2]}}}
    )
    offered = GeminiSchemaOffering().offer(function)

    assert offered.locate(("v", "Max-Items")) == ("v", "Max_Items")


def test_the_hints_of_a_function_are_logged_once_when_it_is_first_offered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    offering = GeminiSchemaOffering()
    function = _function({"type": "string", "format": "email"})

    offering.assess(function)  # the lint and define print hints themselves
    assert not [r for r in caplog.records if r.name == "adapters.gemini.offering"]
    for _ in range(3):
        offering.offer(function)

    [record] = [r for r in caplog.records if r.name == "adapters.gemini.offering"]
    assert "probe_me" in record.getMessage()
    assert 'format "email"' in record.getMessage()
