"""Every construct LiveKit's Gemini realtime converter refuses is rejected, with a reason
that names the schema node at fault and says what to do, never a bare exception text.

The first group is the list in LIVEKIT_NOTES ("Rejected"); the second, more constructs
the installed converter was found to refuse.
"""

from __future__ import annotations

from typing import Any, Literal

import pytest
from livekit.agents import function_tool
from livekit.agents.llm.utils import build_legacy_openai_schema

from adapters.gemini import GeminiConverterCheck
from application.ports import CompatibilityVerdict
from domain.schema.function_schema import FunctionSchema
from tests.unit.gemini.support import assert_explains_itself, function, one

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def rejected(verdict: CompatibilityVerdict) -> str:
    """Assert the verdict rejects with one readable reason; return it."""
    assert_explains_itself(verdict)
    (reason,) = verdict.reasons
    return reason


# ------------------------------------------------------------- LIVEKIT_NOTES' list


def test_an_integer_enum_is_rejected(gemini: GeminiConverterCheck) -> None:
    reason = rejected(gemini.check(one({"type": "integer", "enum": [1, 2, 3]})))

    assert reason.startswith("parameters.properties.value: enum holds integer values")
    assert "only string enum values" in reason


def test_a_boolean_enum_is_rejected(gemini: GeminiConverterCheck) -> None:
    reason = rejected(gemini.check(one({"type": "boolean", "enum": [True]})))

    assert reason.startswith("parameters.properties.value: enum holds boolean values ([true])")


def test_a_literal_of_integers_on_a_typed_tool_is_rejected(
    gemini: GeminiConverterCheck,
) -> None:
    @function_tool
    async def pick(size: Literal[1, 2]) -> str:
        """Pick a size.

        Args:
            size: The size.
        """
        return str(size)

    schema = FunctionSchema.from_dict(build_legacy_openai_schema(pick))

    reason = rejected(gemini.check(schema))

    assert schema.parameters["properties"]["size"]["enum"] == [1, 2]
    assert reason.startswith("parameters.properties.size: enum holds integer values ([1, 2])")


def test_a_type_list_with_null_is_rejected(gemini: GeminiConverterCheck) -> None:
    reason = rejected(gemini.check(one({"type": ["string", "null"]})))

    assert reason.startswith('parameters.properties.value: "type" lists several types')
    assert reason.endswith(
        "the converter takes one type name; write a nullable value as anyOf "
        '[{"type": "string"}, {"type": "null"}]'
    )


def test_prefix_items_are_rejected(gemini: GeminiConverterCheck) -> None:
    schema = {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}]}

    reason = rejected(gemini.check(one(schema)))

    assert reason.startswith('parameters.properties.value: "prefixItems" (a tuple)')


def test_a_reference_into_definitions_is_rejected(gemini: GeminiConverterCheck) -> None:
    schema = function(
        {"point": {"$ref": "#/definitions/Point"}},
        definitions={"Point": {"type": "object", "properties": {"x": {"type": "number"}}}},
    )

    reason = rejected(gemini.check(schema))

    assert reason.startswith("parameters.properties.point: \"$ref\" '#/definitions/Point'")
    assert 'only inlines references into "#/$defs/..."' in reason


def test_a_recursive_reference_is_rejected_where_it_recurses(
    gemini: GeminiConverterCheck,
) -> None:
    node = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "child": {"$ref": "#/$defs/Node"}},
    }
    schema = function({"tree": {"$ref": "#/$defs/Node"}}, **{"$defs": {"Node": node}})

    reason = rejected(gemini.check(schema))

    assert reason == (
        "parameters.$defs.Node.properties.child: \"$ref\" '#/$defs/Node' is recursive: "
        "a Gemini declaration cannot refer to itself"
    )


def test_an_untyped_property_with_properties_holding_unknown_keys_is_rejected(
    gemini: GeminiConverterCheck,
) -> None:
    schema = {"properties": {"street": {"type": "string", "examples": ["Main St"]}}}

    reason = rejected(gemini.check(one(schema)))

    assert reason.startswith('parameters.properties.value: has "properties" but no "type"')
    assert "properties.street.examples: extra inputs are not permitted" in reason


def test_an_enum_starting_with_null_is_rejected(gemini: GeminiConverterCheck) -> None:
    reason = rejected(gemini.check(one({"enum": [None, "low", "high"]})))

    assert reason.startswith("parameters.properties.value: enum holds null ([null])")


# ------------------------------------------------ more refusals of the installed converter


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "number", "enum": [0.5, 1.5]}, "enum holds number values ([0.5, 1.5])"),
        ({"enum": ["low", None]}, "enum holds null ([null])"),
        ({"enum": ["low", 2]}, "enum holds integer values ([2])"),
        ({"const": 3}, "const holds integer values ([3])"),
        (
            {"type": ["string", "number"]},
            '"type" lists several types (["string", "number"]): the converter takes one type '
            'name; use anyOf with one {"type": ...} per type',
        ),
        ({"type": "array", "items": True}, '"items": true is not supported'),
        ({"$ref": "#"}, "\"$ref\" '#' cannot be followed"),
        ({"items": {"type": "string", "x-unit": "cm"}}, 'has "items" but no "type"'),
    ],
)
def test_more_constructs_the_converter_refuses_are_rejected(
    gemini: GeminiConverterCheck, schema: dict[str, Any], expected: str
) -> None:
    reason = rejected(gemini.check(one(schema)))

    assert reason.startswith(f"parameters.properties.value: {expected}"), reason


def test_a_draft_7_tuple_is_rejected(gemini: GeminiConverterCheck) -> None:
    schema = function(
        {"pair": {"type": "array", "items": [{"type": "string"}, {"type": "number"}]}},
        **{"$schema": DRAFT_07},
    )

    reason = rejected(gemini.check(schema))

    assert reason.startswith('parameters.properties.pair: "items" as a list (a draft-7 tuple)')


def test_a_refusal_inside_a_definition_names_the_definition(
    gemini: GeminiConverterCheck,
) -> None:
    size = {"type": "integer", "enum": [1, 2]}
    schema = function({"size": {"$ref": "#/$defs/Size"}}, **{"$defs": {"Size": size}})

    reason = rejected(gemini.check(schema))

    assert reason.startswith("parameters.$defs.Size: enum holds integer values")


def test_a_refusal_deep_inside_names_the_deepest_node(gemini: GeminiConverterCheck) -> None:
    rooms = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "beds": {"anyOf": [{"type": "integer", "enum": [1, 2]}, {"type": "null"}]},
            },
        },
    }

    reason = rejected(gemini.check(function({"hotel": {"type": "string"}, "rooms": rooms})))

    assert reason.startswith("parameters.properties.rooms.items.properties.beds.anyOf[0]: enum")
