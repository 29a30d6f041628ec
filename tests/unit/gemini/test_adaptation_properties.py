"""Property tests of the Gemini adaptation (DESIGN section 7).

For generated function schemas (the shared canonical strategies, plus the constructs
LiveKit's converter refuses or drops: tuples, typed maps, type lists, non-string enums,
names outside Gemini's rule, ``oneOf``) and generated valid arguments:

- every function is offered (no ``impossible``), and LiveKit's converter takes the
  offered schema (``create_tools_config(..., use_parameters_json_schema=False)``);
- encoding valid arguments gives arguments the offered schema accepts, and decoding
  them gives the original arguments back (encode then decode is the identity), which the
  stored schema accepts.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from adapters.gemini import Category, GeminiSchemaOffering
from adapters.gemini.converter import declare
from domain.errors import InvalidSchema
from domain.schema.function_schema import FunctionSchema
from tests.strategies import (
    FUNCTION_NAMES,
    TEXT,
    object_schemas,
    schemas,
    values_for,
    wild_parameters,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OFFERING = GeminiSchemaOffering()
SCALARS = st.sampled_from(
    [
        {"type": "integer", "enum": [1, 2, 3]},
        {"enum": [None, 0.5, "low", True]},
        {"type": "string", "format": "email"},
        {"type": ["integer", "null"]},
        {"type": ["string", "number"], "maxLength": 4},
        {"oneOf": [{"type": "string"}, {"type": "boolean"}]},
        {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
        {"type": "integer", "exclusiveMinimum": 0},
        {"const": 7},
    ]
)


@st.composite
def hard_schemas(draw: st.DrawFn) -> dict[str, Any]:
    """A property schema built from a construct Gemini's converter refuses or drops."""
    kind = draw(st.sampled_from(["scalar", "tuple", "map", "canonical"]))
    if kind == "scalar":
        return dict(draw(SCALARS))
    if kind == "tuple":
        elements = draw(st.lists(SCALARS | schemas(2), min_size=1, max_size=3))
        return {"type": "array", "prefixItems": elements, "items": False}
    if kind == "map":
        return {"type": "object", "additionalProperties": draw(SCALARS | schemas(2))}
    return draw(schemas(1))


@st.composite
def hard_functions(draw: st.DrawFn) -> FunctionSchema:
    """A function mixing canonical and hard properties, some with names Gemini refuses."""
    parameters = draw(object_schemas(1))
    names = draw(
        st.lists(
            st.sampled_from(["Content-Type", "año", "2fa", "x.y", "plain", "a b"]),
            max_size=3,
            unique=True,
        )
    )
    parameters["properties"].update({name: draw(hard_schemas()) for name in names})
    return FunctionSchema(draw(FUNCTION_NAMES), draw(TEXT), parameters)


def valid_for(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid for a schema of :func:`hard_schemas` or the shared strategies."""
    if "const" in schema:
        return st.just(schema["const"])
    if schema.get("type") == "null":
        return st.none()
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            return st.one_of([valid_for(branch) for branch in schema[keyword]])
    if "prefixItems" in schema:
        return st.tuples(*(valid_for(e) for e in schema["prefixItems"])).map(list)
    if isinstance(schema.get("additionalProperties"), dict):
        return st.dictionaries(TEXT, valid_for(schema["additionalProperties"]), max_size=3)
    if schema.get("format") == "email":
        return st.just("a@example.com")
    if "exclusiveMinimum" in schema:
        return st.integers(schema["exclusiveMinimum"] + 1, 100)
    if isinstance(schema.get("type"), list) and "maxLength" in schema:
        return st.text(max_size=4) | st.floats(allow_nan=False, allow_infinity=False)
    if schema.get("type") == "object" and "properties" in schema:
        properties = schema["properties"]
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {name: valid_for(m) for name, m in properties.items() if name in required},
            optional={name: valid_for(m) for name, m in properties.items() if name not in required},
        )
    if schema.get("type") == "array" and "items" in schema:
        return st.lists(valid_for(schema["items"]), max_size=schema.get("maxItems", 3))
    return values_for(schema)


@st.composite
def functions_with_arguments(draw: st.DrawFn) -> tuple[FunctionSchema, Any]:
    """A hard function and arguments valid for it."""
    function = draw(hard_functions())
    return function, draw(valid_for(function.parameters))


@SETTINGS
@given(hard_functions())
def test_every_generated_function_is_offered_in_a_shape_the_converter_takes(
    function: FunctionSchema,
) -> None:
    assessment = OFFERING.assess(function)

    assert assessment.category is not Category.IMPOSSIBLE, assessment.reasons
    assert assessment.offered is not None
    declare(assessment.offered.to_dict())


@SETTINGS
@given(functions_with_arguments())
def test_encode_then_decode_is_the_identity_for_valid_arguments(
    case: tuple[FunctionSchema, Any],
) -> None:
    function, arguments = case
    assert Draft202012Validator(function.parameters).is_valid(arguments)
    assessment = OFFERING.assess(function)
    assert assessment.offered is not None

    encoded = assessment.codec.encode(arguments)

    assert Draft202012Validator(assessment.offered.parameters).is_valid(encoded), encoded
    assert assessment.codec.decode(encoded) == arguments
    function.validate_arguments(assessment.codec.decode(encoded))


@st.composite
def wild_functions(draw: st.DrawFn) -> FunctionSchema | None:
    """A function over ``wild_parameters``, or None when the platform refuses it."""
    try:
        return FunctionSchema("wild", "", draw(wild_parameters()))
    except InvalidSchema:
        return None


@SETTINGS
@given(wild_functions())
def test_any_schema_the_platform_takes_gets_an_assessment_and_a_converter_safe_offer(
    function: FunctionSchema | None,
) -> None:
    if function is None:
        return
    assessment = OFFERING.assess(function)

    if assessment.category is Category.IMPOSSIBLE:
        assert assessment.reasons
    else:
        assert assessment.offered is not None
        declare(assessment.offered.to_dict())
