"""Property tests of the conversion to Gemini declarations (DESIGN section 7).

For generated function schemas: every one gets a verdict (no converter exception
escapes), a rejection always says where and why, and an accepted function's
declaration, built by LiveKit's real converter, offers the same interface: the same
name, the same parameters in the same order, the same required ones, at every level of
nested objects, with string enums intact. Rewriting the constructs known to be refused
(a type list, a non-string enum) always gives a function Gemini accepts, which keeps the
list of refusals complete for everything the strategies generate.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings

from adapters.gemini import GeminiConverterCheck
from adapters.gemini.converter import declare
from domain.schema.function_schema import FunctionSchema
from tests.strategies import function_schemas
from tests.unit.gemini.support import assert_explains_itself

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(function_schemas())
def test_every_function_gets_a_verdict_that_explains_itself(
    gemini: GeminiConverterCheck, schema: FunctionSchema
) -> None:
    verdict = gemini.check(schema)

    assert_explains_itself(verdict)
    if verdict.accepted:
        assert_same_interface(schema, declare(schema.to_dict()))


def rewritten(schema: FunctionSchema) -> FunctionSchema:
    """The same function with every construct the converter refuses rewritten."""
    return FunctionSchema(schema.name, schema.description, _rewrite(schema.parameters))


@SETTINGS
@given(function_schemas().map(rewritten))
def test_without_the_refused_constructs_gemini_accepts_the_same_interface(
    gemini: GeminiConverterCheck, schema: FunctionSchema
) -> None:
    verdict = gemini.check(schema)

    assert verdict.accepted, verdict.reasons
    assert_same_interface(schema, declare(schema.to_dict()))


def assert_same_interface(schema: FunctionSchema, declaration: dict[str, Any]) -> None:
    """The declaration names the function and its parameters as the schema does."""
    assert declaration["name"] == schema.name
    parameters = declaration.get("parameters")
    if not schema.parameter_names:
        assert parameters is None
        return
    assert parameters is not None
    assert tuple(parameters["properties"]) == schema.parameter_names
    _same_node(schema.parameters, parameters)


def _same_node(original: dict[str, Any], declared: dict[str, Any]) -> None:
    kind = original.get("type")
    if kind == "object" and original.get("properties"):
        assert declared["type"] == "OBJECT"
        assert list(declared["properties"]) == list(original["properties"])
        assert set(declared.get("required", [])) == set(original.get("required", []))
        for name, member in original["properties"].items():
            _same_node(member, declared["properties"][name])
    elif kind == "array" and isinstance(original.get("items"), dict):
        assert declared["type"] == "ARRAY"
        _same_node(original["items"], declared["items"])
    elif kind == "string" and "enum" in original:
        assert declared["enum"] == original["enum"]


def _rewrite(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    # Defaults go: one may hold a value the rewrite changes (the converter drops them anyway).
    node = {key: _rewrite_children(key, value) for key, value in node.items() if key != "default"}
    kind = node.get("type")
    if isinstance(kind, list):
        single = next(t for t in kind if t != "null")
        node.pop("type")
        node["anyOf"] = [{"type": single}, {"type": "null"}]
    enum = node.get("enum")
    if isinstance(enum, list) and not all(isinstance(member, str) for member in enum):
        node["enum"] = list(dict.fromkeys(_text(member) for member in enum))
        if node.get("type") not in (None, "string"):
            node["type"] = "string"
    return node


def _rewrite_children(key: str, value: Any) -> Any:
    if key == "properties" and isinstance(value, dict):
        return {name: _rewrite(member) for name, member in value.items()}
    if key in ("items", "additionalProperties"):
        return _rewrite(value)
    if key == "anyOf" and isinstance(value, list):
        return [_rewrite(member) for member in value]
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
