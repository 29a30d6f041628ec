"""Property tests for ``FunctionSchema``: round trips, dialect import, argument validation.

The schemas come from ``tests/strategies.py``. Valid arguments are
drawn with hypothesis-jsonschema from the closed reading of the parameters (the one the
validator applies: undeclared keys are refused).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from domain.errors import InvalidArguments
from domain.json_types import JsonPath, render_path
from domain.schema.dialects import Dialect
from domain.schema.function_schema import FunctionSchema, import_function
from domain.schema.strict import close_objects
from tests.strategies import JSON_VALUES, PROPERTY_NAMES, function_schemas

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# ---------------------------------------------------------------- what is received


def received(schema: dict[str, Any], value: Any) -> Any:
    """What ``validate_arguments`` should hand over for a valid ``value``.

    Missing properties with a default get it (and defaults inside it apply too);
    integral floats become ints where an integer is asked for; nothing else changes.
    """
    properties = schema.get("properties")
    if isinstance(value, dict) and isinstance(properties, dict):
        result = {
            name: received(properties[name], member) if name in properties else member
            for name, member in value.items()
        }
        for name, member in properties.items():
            if name not in value and "default" in member:
                result[name] = received(member, copy.deepcopy(member["default"]))
        return result
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [received(schema["items"], item) for item in value]
    if schema.get("type") == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def valid_arguments(schema: FunctionSchema) -> st.SearchStrategy[Any]:
    """Arguments valid for the closed reading of the parameters, without formats."""
    return from_schema(close_objects(schema.parameters), allow_x00=True, codec="utf-8")


def same_json(left: Any, right: Any) -> bool:
    """Equal as JSON, telling ``1`` from ``1.0`` and ``True`` from ``1``."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


# ------------------------------------------------------------------- round trips


@SETTINGS
@given(function_schemas())
def test_canonical_form_round_trips(schema: FunctionSchema) -> None:
    assert FunctionSchema.from_dict(schema.to_dict()) == schema
    stored = json.loads(json.dumps(schema.to_dict()))
    result = import_function(stored)
    assert result.schema == schema
    assert result.dialect is Dialect.CANONICAL
    assert result.dropped_defaults == ()
    assert same_json(result.schema.to_dict(), schema.to_dict())


@SETTINGS
@given(function_schemas())
def test_foreign_dialects_read_back_equal(schema: FunctionSchema) -> None:
    canonical = schema.to_dict()
    openai = {"type": "function", "function": canonical}
    mcp = {
        "name": schema.name,
        "description": schema.description,
        "inputSchema": canonical["parameters"],
        "annotations": {"readOnlyHint": True},
    }
    anthropic = {
        "name": schema.name,
        "description": schema.description,
        "input_schema": canonical["parameters"],
    }
    for data, dialect in (
        (openai, Dialect.OPENAI),
        (mcp, Dialect.MCP),
        (anthropic, Dialect.ANTHROPIC),
    ):
        result = import_function(json.loads(json.dumps(data)))
        assert result.dialect is dialect
        assert result.schema == schema
        assert result.dropped_defaults == ()


# ------------------------------------------------------------- argument validation


@SETTINGS
@given(st.data())
def test_valid_arguments_are_accepted(data: st.DataObject) -> None:
    schema = data.draw(function_schemas(), label="schema")
    arguments = data.draw(valid_arguments(schema), label="arguments")
    sent = copy.deepcopy(arguments)
    result = schema.validate_arguments(arguments)
    assert same_json(arguments, sent)  # never mutated
    assert same_json(result, received(schema.parameters, arguments))


def locations(
    schema: dict[str, Any], value: Any, path: JsonPath = ()
) -> list[tuple[JsonPath, dict[str, Any]]]:
    """Every place in ``value`` with its own schema, where a wrong value can be put."""
    found: list[tuple[JsonPath, dict[str, Any]]] = []
    properties = schema.get("properties")
    if isinstance(value, dict) and isinstance(properties, dict):
        for name, member in value.items():
            if name in properties:
                found.append(((*path, name), properties[name]))
                found.extend(locations(properties[name], member, (*path, name)))
    items = schema.get("items")
    if isinstance(value, list) and isinstance(items, dict):
        for index, item in enumerate(value):
            found.append(((*path, index), items))
            found.extend(locations(items, item, (*path, index)))
    return found


def wrong_value(schema: dict[str, Any]) -> Any:
    """A value the schema refuses and no coercion rescues (None: the schema takes anything)."""
    if not schema.keys() & {"type", "enum", "anyOf"}:
        return None
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    # Objects and arrays are never coerced; only JSON text turns into them.
    return [True, {"wrong": 1}] if "object" in kinds else {"wrong": [True]}


def put(value: Any, path: JsonPath, replacement: Any) -> None:
    for part in path[:-1]:
        value = value[part]
    value[path[-1]] = replacement


def refused(schema: FunctionSchema, arguments: Any, what: str) -> list[tuple[str, str]]:
    try:
        schema.validate_arguments(arguments)
    except InvalidArguments as error:
        return [(problem.path, problem.message) for problem in error.problems]
    raise AssertionError(f"{what} was accepted: {arguments!r}")


@SETTINGS
@given(st.data())
def test_violations_are_refused_naming_the_field(data: st.DataObject) -> None:
    """Each violation the schema allows, made one at a time on a valid call.

    A wrong value (of a type no coercion rescues) anywhere in the arguments, an
    undeclared argument, a missing required argument that has no default.
    """
    schema = data.draw(function_schemas(), label="schema")
    valid = data.draw(valid_arguments(schema), label="arguments")

    candidates = [
        (path, member)
        for path, member in locations(schema.parameters, valid)
        if wrong_value(member) is not None
    ]
    if candidates:
        path, member = data.draw(st.sampled_from(candidates), label="wrong at")
        arguments = copy.deepcopy(valid)
        put(arguments, path, wrong_value(member))
        problems = refused(schema, arguments, f"a wrong value at {render_path(path)}")
        assert {where for where, _ in problems} == {render_path(path)}

    if schema.parameters.get("additionalProperties") is not True:
        extra = data.draw(
            PROPERTY_NAMES.filter(lambda name: name not in schema.parameter_names),
            label="undeclared",
        )
        arguments = {**valid, extra: data.draw(JSON_VALUES, label="value")}
        declared = ", ".join(schema.parameter_names) or "none"
        assert refused(schema, arguments, f"undeclared {extra!r}") == [
            (extra, f"is not declared; declared arguments: {declared}")
        ]

    properties = schema.parameters["properties"]
    required = [
        name for name in schema.parameters.get("required", []) if "default" not in properties[name]
    ]
    if required:
        missing = data.draw(st.sampled_from(required), label="missing")
        arguments = {name: value for name, value in valid.items() if name != missing}
        assert refused(schema, arguments, f"missing {missing!r}") == [
            (missing, "is required but missing")
        ]
