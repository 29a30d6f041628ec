"""Hypothesis strategies shared by the property tests.

Canonical function schemas (``function_schemas``, ``object_schemas``, ``schemas``,
``values_for``): names that follow the name rule, parameters with nested objects and
arrays, enums, nullable and union scalars, free-form values, and defaults that are valid
for their own schema.

Anything a caller may hand over (``json_like_values``, ``wild_arguments``,
``deeply_nested``) and schemas mixing every keyword (``wild_parameters``,
``wild_subschemas``): NaN, huge integers, lone surrogates, odd and huge keys, deep
nesting, composition, references, ECMA-262 patterns, formats, boolean schemas.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from domain.schema.function_schema import FunctionSchema
from domain.schema.rules import FUNCTION_NAME

MAX_NESTING = 3
"""Object/array levels below the parameters object (the platform allows 16)."""

FUNCTION_NAMES = st.from_regex(FUNCTION_NAME, fullmatch=True)
PROPERTY_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,11}", fullmatch=True) | st.just(
    "año_vehiculo"
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=20)
FINITE = st.floats(allow_nan=False, allow_infinity=False, width=64)
JSON_SCALARS = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | FINITE | TEXT
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def values_for(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid for a schema that :func:`schemas` produced (used for defaults)."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        return st.one_of([values_for(branch) for branch in schema["anyOf"]])
    kind = schema.get("type")
    if isinstance(kind, list):
        inner = values_for({**schema, "type": kind[0]})
        return st.none() | inner if "null" in kind else inner
    if kind == "string":
        return st.text(
            st.characters(codec="utf-8"),
            min_size=schema.get("minLength", 0),
            max_size=schema.get("maxLength", 12),
        )
    if kind == "integer":
        return st.integers(schema.get("minimum", -(10**9)), schema.get("maximum", 10**9))
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        return st.integers(-1000, 1000).filter(
            lambda n: (low is None or n >= low) and (high is None or n <= high)
        ) | st.floats(low, high, allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(
            values_for(schema["items"]) if "items" in schema else JSON_VALUES,
            min_size=schema.get("minItems", 0),
            max_size=schema.get("maxItems", 3),
        )
    if kind == "object" and "properties" in schema:
        properties = schema["properties"]
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {name: values_for(member) for name, member in properties.items() if name in required},
            optional={
                name: values_for(member)
                for name, member in properties.items()
                if name not in required
            },
        )
    if kind == "object":
        return st.dictionaries(TEXT, JSON_VALUES, max_size=3)
    return JSON_VALUES


@st.composite
def scalar_schemas(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["string", "integer", "number", "boolean", "any", "union", "enum", "nullable"]
        )
    )
    schema: dict[str, Any]
    if kind == "string":
        schema = {"type": "string"}
        if draw(st.booleans()):
            schema["enum"] = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
        elif draw(st.booleans()):
            schema["minLength"] = draw(st.integers(0, 3))
            schema["maxLength"] = schema["minLength"] + draw(st.integers(0, 10))
    elif kind == "integer":
        schema = {"type": "integer"}
        if draw(st.booleans()):
            schema["enum"] = draw(
                st.lists(st.integers(-50, 50), min_size=1, max_size=4, unique=True)
            )
        elif draw(st.booleans()):
            schema["minimum"] = draw(st.integers(-100, 100))
            schema["maximum"] = schema["minimum"] + draw(st.integers(0, 1000))
    elif kind == "number":
        schema = {"type": "number"}
        if draw(st.booleans()):
            schema["minimum"] = draw(st.integers(-100, 100))
    elif kind == "boolean":
        schema = {"type": "boolean"}
    elif kind == "any":
        schema = {}
    elif kind == "union":
        schema = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    elif kind == "enum":
        members = st.none() | st.integers(-5, 5) | TEXT
        schema = {"enum": draw(st.lists(members, min_size=1, max_size=4, unique=True))}
    else:
        schema = {"type": [draw(st.sampled_from(["string", "integer", "boolean"])), "null"]}
    return schema


@st.composite
def schemas(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    """One property schema, nested at most ``MAX_NESTING - depth`` more levels."""
    kinds = ["scalar"] * 3 + (["object", "array", "free-object"] if depth < MAX_NESTING else [])
    kind = draw(st.sampled_from(kinds))
    schema: dict[str, Any]
    if kind == "scalar":
        schema = draw(scalar_schemas())
    elif kind == "object":
        schema = draw(object_schemas(depth + 1))
    elif kind == "array":
        schema = {"type": "array", "items": draw(schemas(depth + 1))}
        if draw(st.booleans()):
            schema["maxItems"] = draw(st.integers(1, 4))
    else:
        schema = {"type": "object"}
    if draw(st.booleans()):
        schema["description"] = draw(TEXT)
    if draw(st.integers(0, 2)) == 0:
        schema["default"] = draw(values_for(schema))
    return schema


@st.composite
def object_schemas(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    """An object schema with declared properties and a mix of required ones."""
    names = draw(st.lists(PROPERTY_NAMES, max_size=4, unique=True))
    properties = {name: draw(schemas(depth)) for name in names}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = [name for name in names if draw(st.booleans())]
    if required or draw(st.booleans()):
        schema["required"] = required
    if draw(st.integers(0, 5)) == 0:
        schema["additionalProperties"] = True
    return schema


@st.composite
def function_schemas(draw: st.DrawFn) -> FunctionSchema:
    """A canonical function schema that the platform accepts."""
    parameters = draw(object_schemas())
    return FunctionSchema(draw(FUNCTION_NAMES), draw(TEXT), parameters)


# ------------------------------------------------- anything a caller may hand over

ODD_KEYS = st.sampled_from(
    ["", " ", "$ref", "__proto__", "a.b", "\x00", "\ud800", "é", "0"]
) | st.sampled_from([5000, 1024 * 1024]).map(lambda n: "k" * n)
"""Keys that have broken key handling elsewhere: empty, huge, lone surrogate, dotted."""
HUGE_INTEGERS = st.sampled_from([5000, -5000, 4300, 20, -19]).map(
    lambda digits: (10 ** abs(digits) - 1) * (1 if digits > 0 else -1)
)
"""Integers of 19 to 5,000 digits: beyond 64 bits, and around Python's 4,300-digit limit
for printing an integer (a failing example holding one cannot be printed either)."""
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)
"""Any Python string, lone surrogates included."""
WILD_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | HUGE_INTEGERS
    | st.floats()
    | ANY_TEXT
    | st.just(100_000).map(lambda n: "x" * n)
)


@st.composite
def deeply_nested(draw: st.DrawFn) -> Any:
    """A value nested hundreds or thousands of arrays and objects deep."""
    value: Any = draw(WILD_SCALARS)
    for level in range(draw(st.integers(20, 3000))):
        value = [value] if level % 2 else {"k": value}
    return value


def json_like_values() -> st.SearchStrategy[Any]:
    """Any value a parser or a caller might produce: NaN, huge integers, odd keys, depth."""
    return (
        st.recursive(
            WILD_SCALARS,
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(ODD_KEYS | ANY_TEXT, inner, max_size=4)
            ),
            max_leaves=12,
        )
        | deeply_nested()
    )


def wild_arguments() -> st.SearchStrategy[Any]:
    """Arguments objects of any shape (and a few that are not objects at all)."""
    return (
        st.dictionaries(ODD_KEYS | PROPERTY_NAMES | ANY_TEXT, json_like_values(), max_size=5)
        | json_like_values()
    )


PATTERNS = st.sampled_from(
    [r"^\p{Letter}+$", r"^[a-z]+$", "(", r"\d{3}", "^a$", r"(?<n>x)\k<n>", r"\P{L}", "[^]"]
)
FORMATS = st.sampled_from(
    ["date-time", "date", "time", "email", "hostname", "uri", "uuid", "duration", "regex"]
)


@st.composite
def wild_subschemas(draw: st.DrawFn, depth: int = 0) -> Any:
    """A subschema mixing keywords: composition, references, patterns, formats, booleans."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.booleans())
    keywords: dict[str, st.SearchStrategy[Any]] = {
        "type": st.sampled_from(["string", "integer", "number", "boolean", "object", "array"])
        | st.lists(st.sampled_from(["string", "integer", "null"]), min_size=1, unique=True),
        "pattern": PATTERNS,
        "format": FORMATS,
        "minimum": st.integers(-5, 5),
        "maxLength": st.integers(0, 5),
        "enum": st.lists(JSON_SCALARS, min_size=1, max_size=3),
        "const": JSON_SCALARS | HUGE_INTEGERS,
        "$ref": st.sampled_from(["#", "#/$defs/a", "#/$defs/b", "#/$defs/a%25b"]),
        "$dynamicRef": st.sampled_from(["#/$defs/b", "#/$defs/a"]),
        "required": st.lists(PROPERTY_NAMES | ODD_KEYS, max_size=2, unique=True),
        "uniqueItems": st.booleans(),
    }
    if depth < 2:
        inner = wild_subschemas(depth + 1)
        members = st.lists(inner, min_size=1, max_size=2)
        keywords |= {
            "properties": st.dictionaries(PROPERTY_NAMES | ODD_KEYS, inner, max_size=3),
            "patternProperties": st.dictionaries(PATTERNS, inner, max_size=2),
            "additionalProperties": inner,
            "unevaluatedProperties": inner,
            "items": inner,
            "prefixItems": members,
            "contains": inner,
            "anyOf": members,
            "oneOf": members,
            "allOf": members,
            "not": inner,
            "if": inner,
            "then": inner,
            "else": inner,
            "dependentSchemas": st.dictionaries(PROPERTY_NAMES, inner, max_size=2),
        }
    chosen = draw(st.lists(st.sampled_from(sorted(keywords)), max_size=4, unique=True))
    return {name: draw(keywords[name]) for name in chosen}


@st.composite
def wild_parameters(draw: st.DrawFn) -> dict[str, Any]:
    """A parameters object built from :func:`wild_subschemas`; the platform may refuse it."""
    parameters: dict[str, Any] = {
        "type": "object",
        "properties": draw(
            st.dictionaries(PROPERTY_NAMES | ODD_KEYS, wild_subschemas(), max_size=4)
        ),
        "$defs": {"a": draw(wild_subschemas(1)), "b": draw(wild_subschemas(1)), "a%b": {}},
    }
    extra = draw(wild_subschemas(1))
    if isinstance(extra, dict):
        parameters.update({k: v for k, v in extra.items() if k not in parameters})
    return parameters
