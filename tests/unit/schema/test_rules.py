"""The platform rules a function schema must satisfy to be built at all."""

from __future__ import annotations

import json
from typing import Any

import pytest

from domain.schema import references
from domain.schema.function_schema import FunctionSchema, import_function
from domain.schema.limits import SchemaLimits
from tests.unit.schema.support import messages, refusal, schema_problems

OBJECT: dict[str, Any] = {"type": "object", "properties": {}}
NAME_RULE = (
    "must start with a letter or underscore and use only letters, digits and "
    "_ . : - (at most 64 characters)"
)
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema"


# ---------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name",
    ["f", "_private", "get_weather", "math.factorial", "ns:tool-v2", "A1", "a" * 64, "_" * 64],
)
def test_valid_names_are_accepted(name: str) -> None:
    assert FunctionSchema(name, "", OBJECT).name == name


@pytest.mark.parametrize(
    "name",
    ["", "1f", "-f", ".f", ":f", "a" * 65, "has space", "año", "a/b", "a@b", "é", None, 3],
)
def test_invalid_names_are_refused(name: Any) -> None:
    problems = schema_problems(lambda: FunctionSchema(name, "", OBJECT))
    assert [(p.path, p.message) for p in problems] == [("name", NAME_RULE)]


def test_invalid_name_is_refused_on_import_too() -> None:
    problems = schema_problems(lambda: import_function({"name": "1f", "parameters": OBJECT}))
    assert [p.path for p in problems] == ["name"]


def test_description_must_be_a_string() -> None:
    problems = schema_problems(lambda: FunctionSchema("f", 3, OBJECT))  # type: ignore[arg-type]
    assert [(p.path, p.message) for p in problems] == [("description", "must be a string")]


# ------------------------------------------------------------------------ top level


@pytest.mark.parametrize(
    "parameters",
    [{"type": "string"}, {"properties": {}}, {"type": ["object", "null"]}, {}],
)
def test_parameters_must_be_a_top_level_object(parameters: dict) -> None:
    problems = schema_problems(lambda: FunctionSchema("f", "", parameters))
    assert [(p.path, p.message) for p in problems] == [
        ("parameters.type", 'must be "object": the value has named members')
    ]


@pytest.mark.parametrize("parameters", [None, [], "object", True])
def test_parameters_must_be_a_json_object(parameters: Any) -> None:
    problems = schema_problems(lambda: FunctionSchema("f", "", parameters))
    assert [(p.path, p.message) for p in problems] == [
        ("parameters", "must be a JSON Schema object")
    ]


def test_meta_schema_problems_name_their_path() -> None:
    parameters = {"type": "object", "properties": {"x": {"type": "string", "minLength": -1}}}
    problems = schema_problems(lambda: FunctionSchema("f", "", parameters))
    assert [p.path for p in problems] == ["parameters.properties.x.minLength"]


# --------------------------------------------------------------------------- limits


def padded(size: int) -> dict[str, Any]:
    """Parameters whose compact UTF-8 JSON is exactly ``size`` bytes."""
    parameters: dict[str, Any] = {"type": "object", "description": ""}
    overhead = len(json.dumps(parameters, separators=(",", ":")).encode())
    parameters["description"] = "x" * (size - overhead)
    assert len(json.dumps(parameters, separators=(",", ":")).encode()) == size
    return parameters


def test_schema_of_exactly_64_kib_is_accepted() -> None:
    assert FunctionSchema("f", "", padded(64 * 1024)).name == "f"


def test_schema_over_64_kib_is_refused() -> None:
    problems = schema_problems(lambda: FunctionSchema("f", "", padded(64 * 1024 + 1)))
    assert [(p.path, p.message) for p in problems] == [
        ("parameters", "is 65537 bytes of JSON; the limit is 65536")
    ]


def test_size_counts_utf8_bytes() -> None:
    parameters = padded(64 * 1024)
    parameters["description"] = parameters["description"][:-1] + "é"  # one char, two bytes
    problems = schema_problems(lambda: FunctionSchema("f", "", parameters))
    assert problems[0].message == "is 65537 bytes of JSON; the limit is 65536"


def nested(levels: int) -> dict[str, Any]:
    """Parameters whose innermost property is ``levels`` schemas deep."""
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels - 1):
        schema = {"type": "object", "properties": {"x": schema}}
    return {"type": "object", "properties": {"x": schema}}


def test_nesting_of_16_levels_is_accepted() -> None:
    assert FunctionSchema("f", "", nested(16)).name == "f"


def test_nesting_of_17_levels_is_refused() -> None:
    problems = schema_problems(lambda: FunctionSchema("f", "", nested(17)))
    assert [(p.path, p.message) for p in problems] == [
        ("parameters" + ".properties.x" * 17, "nests 17 levels deep; the limit is 16")
    ]


def test_literal_values_count_towards_nesting() -> None:
    value: Any = 1
    for _ in range(16):
        value = [value]
    parameters = {"type": "object", "properties": {"x": {"enum": [value]}}}
    problems = schema_problems(lambda: FunctionSchema("f", "", parameters))
    assert problems[0].message == "nests 17 levels deep; the limit is 16"
    assert problems[0].path.startswith("parameters.properties.x.enum[0]")


def ten_thousand_levels() -> dict[str, Any]:
    deep: dict[str, Any] = {"type": "string"}
    for level in range(10_000):
        if level % 2:
            deep = {"type": "object", "properties": {"x": deep}}
        else:
            deep = {"type": "array", "items": {"anyOf": [deep, {"type": "null"}]}}
    return {"type": "object", "properties": {"x": deep}}


@pytest.mark.parametrize(
    "build",
    [
        lambda deep: FunctionSchema("f", "", deep),
        lambda deep: FunctionSchema.from_dict({"name": "f", "parameters": deep}),
        lambda deep: FunctionSchema.from_dict({"name": "f", "inputSchema": deep}),
    ],
    ids=["constructor", "canonical", "mcp"],
)
def test_ten_thousand_levels_give_a_clean_invalid_schema(build: Any) -> None:
    deep = ten_thousand_levels()
    problems = schema_problems(lambda: build(deep))  # an InvalidSchema, never RecursionError
    assert len(problems) == 1
    assert problems[0].message == "nests 17 levels deep; the limit is 16"


def test_limits_are_configurable() -> None:
    limits = SchemaLimits(max_schema_bytes=100, max_depth=2)
    assert FunctionSchema("f", "", nested(2), limits).name == "f"
    problems = schema_problems(lambda: FunctionSchema("f", "", nested(3), limits))
    assert problems[0].message == "nests 3 levels deep; the limit is 2"
    problems = schema_problems(lambda: FunctionSchema("f", "", padded(101), limits))
    assert problems[0].message == "is 101 bytes of JSON; the limit is 100"


# -------------------------------------------------------------------------- drafts


def tuple_parameters(schema_uri: str | None) -> dict[str, Any]:
    parameters: dict[str, Any] = {
        "type": "object",
        "properties": {
            "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}
        },
    }
    if schema_uri is not None:
        parameters["$schema"] = schema_uri
    return parameters


@pytest.mark.parametrize("uri", [DRAFT_07, DRAFT_07.rstrip("#")])
def test_draft_07_tuple_items_are_accepted_when_declared(uri: str) -> None:
    schema = FunctionSchema("f", "", tuple_parameters(uri))
    assert schema.validate_arguments({"pair": ["a", "2"]}) == {"pair": ["a", 2]}
    problems = refusal(schema, {"pair": [[1], 2]})
    assert messages(problems) == {"pair[0]": "must be a string, not an array"}


@pytest.mark.parametrize("uri", [None, DRAFT_2020, DRAFT_2020 + "#"])
def test_draft_07_tuple_items_are_refused_under_2020_12(uri: str | None) -> None:
    problems = schema_problems(lambda: FunctionSchema("f", "", tuple_parameters(uri)))
    assert [p.path for p in problems] == ["parameters.properties.pair.items"]
    assert "is not of type 'object', 'boolean'" in problems[0].message


def test_2020_12_prefix_items_are_accepted() -> None:
    parameters = {
        "type": "object",
        "properties": {
            "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}
        },
    }
    schema = FunctionSchema("f", "", parameters)
    assert schema.validate_arguments({"pair": ["a", 2.0]}) == {"pair": ["a", 2.0]}


@pytest.mark.parametrize(
    "uri",
    ["https://example.com/my-schema", "http://json-schema.org/draft-03/schema#", "", 7],
)
def test_unknown_schema_dialect_is_refused(uri: Any) -> None:
    parameters = {"$schema": uri, "type": "object"}
    problems = schema_problems(lambda: FunctionSchema("f", "", parameters))
    assert [p.path for p in problems] == ["parameters.$schema"]
    assert problems[0].message.startswith("names no supported JSON Schema draft")


# ---------------------------------------------------------------------- references


def test_local_references_are_accepted_and_followed() -> None:
    parameters = {
        "type": "object",
        "$defs": {"point": {"type": "object", "properties": {"x": {"type": "integer"}}}},
        "properties": {"at": {"$ref": "#/$defs/point"}},
    }
    schema = FunctionSchema("f", "", parameters)
    assert schema.validate_arguments({"at": {"x": "3"}}) == {"at": {"x": 3}}


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("https://example.com/schemas/point.json", references.REMOTE),
        ("point.json", references.REMOTE),
        ("other.json#/$defs/point", references.REMOTE),
        ("#point", references.ANCHOR),
        ("#/$defs/missing", references.UNRESOLVED),
        ("#/$defs/point/type", references.UNRESOLVED),
    ],
)
def test_references_that_are_not_local_pointers_to_a_schema_are_refused(
    ref: str, reason: str
) -> None:
    parameters = {
        "type": "object",
        "$defs": {"point": {"type": "object", "properties": {}}},
        "properties": {"at": {"$ref": ref}},
    }
    problems = schema_problems(lambda: FunctionSchema("f", "", parameters))
    assert [(p.path, p.message) for p in problems] == [("parameters.properties.at.$ref", reason)]


def test_reference_inside_a_subschema_with_its_own_id_is_refused() -> None:
    parameters = {
        "type": "object",
        "properties": {
            "at": {"$id": "https://example.com/at", "$ref": "#/$defs/s", "$defs": {"s": {}}}
        },
    }
    problems = schema_problems(lambda: FunctionSchema("f", "", parameters))
    assert [(p.path, p.message) for p in problems] == [
        ("parameters.properties.at.$ref", references.INSIDE_ID)
    ]


@pytest.mark.parametrize(
    ("defs", "ref"),
    [
        ({"a%b": {"type": "integer"}}, "#/$defs/a%25b"),
        ({"a/b": {"type": "integer"}}, "#/$defs/a~1b"),
        ({"a~b": {"type": "integer"}}, "#/$defs/a~0b"),
        ({"a b": {"type": "integer"}}, "#/$defs/a%20b"),
        ({"tuple": {"prefixItems": [{"type": "integer"}]}}, "#/$defs/tuple/prefixItems/0"),
    ],
)
def test_every_local_json_pointer_resolves(defs: dict[str, Any], ref: str) -> None:
    parameters = {"type": "object", "$defs": defs, "properties": {"n": {"$ref": ref}}}
    schema = FunctionSchema("f", "", parameters)
    assert schema.validate_arguments({"n": "4"}) == {"n": 4}
    assert refusal(schema, {"n": "four"})


@pytest.mark.parametrize(("target", "accepted"), [(True, True), (False, False)])
@pytest.mark.parametrize("keyword", ["$ref", "$dynamicRef"])
def test_references_to_boolean_schemas_resolve(keyword: str, target: bool, accepted: bool) -> None:
    parameters = {
        "type": "object",
        "$defs": {"b": target},
        "properties": {"x": {keyword: "#/$defs/b"}},
    }
    schema = FunctionSchema("f", "", parameters)
    if accepted:
        assert schema.validate_arguments({"x": [1]}) == {"x": [1]}
    else:
        assert refusal(schema, {"x": [1]})


# ------------------------------------------------------------------------ defaults


def test_directly_built_schema_with_invalid_default_is_refused() -> None:
    parameters = {
        "type": "object",
        "properties": {
            "n": {"type": "integer", "default": "5"},
            "o": {"type": "object", "properties": {"u": {"enum": ["C", "F"], "default": "K"}}},
        },
    }
    problems = schema_problems(lambda: FunctionSchema("f", "", parameters))
    assert [(p.path, p.message) for p in problems] == [
        ("parameters.properties.n.default", "is not valid for its own schema"),
        ("parameters.properties.o.properties.u.default", "is not valid for its own schema"),
    ]


def test_import_drops_invalid_defaults_and_reports_their_paths() -> None:
    data = {
        "name": "f",
        "inputSchema": {
            "type": "object",
            "properties": {
                "n": {"type": "integer", "default": "5"},
                "ok": {"type": "integer", "default": 5},
                "list": {"type": "array", "items": {"type": "string", "default": None}},
            },
        },
    }
    result = import_function(data)
    assert result.dropped_defaults == (
        "parameters.properties.n.default",
        "parameters.properties.list.items.default",
    )
    properties = result.schema.parameters["properties"]
    assert properties["n"] == {"type": "integer"}
    assert properties["ok"] == {"type": "integer", "default": 5}
    assert properties["list"] == {"type": "array", "items": {"type": "string"}}
    # The input is left as it was.
    assert data["inputSchema"]["properties"]["n"]["default"] == "5"  # type: ignore[index]


def test_schema_is_a_copy_of_its_input() -> None:
    parameters: dict[str, Any] = {"type": "object", "properties": {"a": {"type": "string"}}}
    schema = FunctionSchema("f", "", parameters)
    parameters["properties"]["b"] = {"type": "integer"}
    assert schema.parameter_names == ("a",)
    exported = schema.to_dict()
    exported["parameters"]["properties"].clear()
    assert schema.parameter_names == ("a",)


def test_equality_ignores_limits() -> None:
    limits = SchemaLimits(max_depth=4)
    assert FunctionSchema("f", "", OBJECT, limits) == FunctionSchema("f", "", OBJECT)
    assert FunctionSchema("f", "", OBJECT) != FunctionSchema("f", "other", OBJECT)


def test_schema_holding_an_integer_too_long_to_print_is_refused() -> None:
    parameters = {"type": "object", "properties": {"n": {"const": 10**5000}}}
    problems = schema_problems(lambda: FunctionSchema("f", "", parameters))
    assert [(p.path, p.message) for p in problems] == [
        ("parameters", "holds an integer too long to write as JSON")
    ]
