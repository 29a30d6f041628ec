"""What Gemini realtime accepts, with the warnings for what it silently loses."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.gemini import GeminiConverterCheck
from domain.schema.function_schema import FunctionSchema
from tests.unit.gemini.support import function, one

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize(
    "schema",
    [
        function(
            {
                "city": {"type": "string", "description": "The city."},
                "days": {"type": "integer", "minimum": 1, "maximum": 14, "default": 3},
                "units": {"type": "string", "enum": ["metric", "imperial"], "title": "Units"},
                "when": {"type": "string", "format": "date-time"},
            },
            required=["city"],
        ),
        function({}),
        FunctionSchema("no_parameters", "Takes nothing.", {"type": "object"}),
        one({"anyOf": [{"type": "string"}, {"type": "null"}]}),
        one({"anyOf": [{"type": "null"}, {"$ref": "#/$defs/Point"}]}, **{"$defs": {"Point": {}}}),
        one({"const": "only"}),
        one({"type": "array", "items": {"type": "object", "properties": {"a": {}}}}),
        one({}),
        one({"type": "object"}),
        one({"type": "string", "readOnly": True, "examples": ["x"], "x-vendor": 1}),
        function(
            {"path": {"type": "string", "minLength": 1}},
            required=["path"],
            additionalProperties=False,
            **{"$schema": DRAFT_07},
        ),
    ],
    ids=lambda schema: str(schema.parameters)[:60],
)
def test_accepted_without_warnings(gemini: GeminiConverterCheck, schema: FunctionSchema) -> None:
    verdict = gemini.check(schema)

    assert verdict.accepted
    assert verdict.reasons == ()
    assert verdict.warnings == ()


def test_a_bfcl_function_is_accepted(gemini: GeminiConverterCheck) -> None:
    bfcl = {
        "name": "math.factorial",
        "description": "Calculate the factorial of a number.",
        "parameters": {
            "type": "dict",
            "properties": {"number": {"type": "integer", "description": "The number."}},
            "required": ["number"],
        },
    }

    assert gemini.check(FunctionSchema.from_dict(bfcl)).accepted


@pytest.mark.parametrize(
    ("schema", "warning"),
    [
        (
            {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "parameters.properties.value.oneOf: dropped by the converter with its 2 subschemas",
        ),
        (
            {"type": "object", "allOf": [{"required": ["a"]}]},
            "parameters.properties.value.allOf: dropped by the converter with its 1 subschema",
        ),
        (
            {"type": "object", "additionalProperties": {"type": "integer"}},
            "parameters.properties.value.additionalProperties: a typed map's value schema is "
            "dropped: Gemini sees a bare object",
        ),
        (
            {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
            "parameters.properties.value.anyOf: the null alternative among 3 is dropped",
        ),
        (
            {"type": "number", "multipleOf": 0.5},
            "parameters.properties.value.multipleOf: dropped by the converter (0.5)",
        ),
        (
            {"type": "string", "not": {"const": "root"}},
            'parameters.properties.value.not: dropped by the converter ({"const": "root"})',
        ),
        (
            {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
            "parameters.properties.value.uniqueItems: dropped by the converter (true)",
        ),
        (
            {"type": "array"},
            'parameters.properties.value: an array without "items": the Gemini API has been '
            "reported to refuse it",
        ),
        (
            {"type": "string", "format": "uri"},
            "parameters.properties.value.format: 'uri' is sent to Gemini, and the Gemini API has "
            'been reported to accept only "enum" and "date-time" on strings',
        ),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a", "b"]},
            'parameters.properties.value.required: names ["b"], not declared in properties',
        ),
    ],
)
def test_accepted_with_a_warning(
    gemini: GeminiConverterCheck, schema: dict[str, Any], warning: str
) -> None:
    verdict = gemini.check(one(schema))

    assert verdict.accepted
    assert verdict.reasons == ()
    (found,) = verdict.warnings
    assert found.startswith(warning), found


def test_a_parameter_name_outside_the_documented_rule_is_a_warning(
    gemini: GeminiConverterCheck,
) -> None:
    verdict = gemini.check(function({"año_vehiculo": {"type": "integer"}, "ok_name": {}}))

    assert verdict.accepted
    assert verdict.warnings == (
        "parameters.properties.año_vehiculo: parameter name 'año_vehiculo' breaks Gemini's "
        "documented rule (ASCII letters, digits and underscores, a letter or underscore first, "
        "at most 64 characters); the API is not known to refuse it",
    )


def test_a_long_value_in_a_warning_is_cut_to_sixty_characters(
    gemini: GeminiConverterCheck,
) -> None:
    words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
    schema = one({"type": "string", "not": {"enum": words}})

    verdict = gemini.check(schema)

    quoted = '{"enum": ["first", "second", "third", "fourth", "fifth", ...'
    assert len(quoted) == 60
    assert verdict.warnings == (
        f"parameters.properties.value.not: dropped by the converter ({quoted})",
    )


def test_warnings_inside_a_definition_name_the_definition_once(
    gemini: GeminiConverterCheck,
) -> None:
    tags = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    schema = function(
        {"tags": {"$ref": "#/$defs/Tags"}, "more_tags": {"$ref": "#/$defs/Tags"}},
        **{"$defs": {"Tags": tags}},
    )

    verdict = gemini.check(schema)

    assert verdict.warnings == (
        "parameters.$defs.Tags.uniqueItems: dropped by the converter (true)",
    )


def test_a_nullable_branch_is_checked_as_the_value_itself(
    gemini: GeminiConverterCheck,
) -> None:
    verdict = gemini.check(one({"anyOf": [{"type": "number", "multipleOf": 2}, {"type": "null"}]}))

    assert verdict.warnings == (
        "parameters.properties.value.anyOf[0].multipleOf: dropped by the converter (2)",
    )


def test_equal_functions_share_one_cached_verdict(gemini: GeminiConverterCheck) -> None:
    first = gemini.check(one({"type": "string", "pattern": "^[a-z]+$"}))
    again = gemini.check(one({"type": "string", "pattern": "^[a-z]+$"}))
    other = gemini.check(one({"type": "string", "pattern": "^[a-z]*$"}))

    assert again is first
    assert other is not first
    assert other == first


def test_the_target_is_named(gemini: GeminiConverterCheck) -> None:
    assert gemini.target == "Gemini realtime"
