"""Turning JSON Schema validation errors into problems an LLM can act on.

Messages describe the rule, never echo the offending value (it may be huge), name the
field by its path in the arguments (long keys cut, the empty key shown as ``""``), and
stay short: every value, key and listing they quote is cut to a bounded length.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from jsonschema.exceptions import ValidationError

from domain.errors import Problem
from domain.json_types import JsonObject, JsonValue
from domain.schema.fields import cut, field_path, show_key

_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "object": "an object",
    "array": "an array",
    "null": "null",
}
_LIST_LIMIT = 20


def describe_type(value: JsonValue) -> str:
    """Name the JSON type of ``value`` with its article (``a string``, ``an integer``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def problems_for(
    error: ValidationError, root: str, patterns: Mapping[str, str] | None = None
) -> list[Problem]:
    """Explain one validation error as one or more located problems.

    Args:
        error: A top-level error from ``iter_errors``.
        root: How to name the validated document's root (``arguments``, ``config``).
        patterns: The patterns the validator ran, mapped to the patterns the schema
            wrote (messages quote the latter).

    Returns:
        The problems, each naming a field by its path.
    """
    path = tuple(error.absolute_path)
    where = field_path(path) or root
    rule, expected, value = error.validator, error.validator_value, error.instance
    if rule == "required" and isinstance(value, dict):
        missing = (
            [name for name in expected if name not in value] if isinstance(expected, list) else []
        )
        return [
            Problem(field_path((*path, name)), "is required but missing", (*path, name))
            for name in missing
        ]
    if rule == "additionalProperties" and isinstance(value, dict):
        return _undeclared(error.schema, value, path, root)
    if rule == "false" or error.schema is False:
        return [Problem(where, "is not allowed here", path)]
    if rule == "pattern" and isinstance(expected, str):
        expected = (patterns or {}).get(expected, expected)
    return [Problem(where, _rule_words(str(rule), expected, value, error), path)]


def _undeclared(
    schema: object, value: JsonObject, path: tuple[str | int, ...], root: str
) -> list[Problem]:
    declared = list(schema.get("properties", {})) if isinstance(schema, dict) else []
    listing = _names(declared) or "none"
    owner = f"fields of {field_path(path)}" if path else root
    return [
        Problem(
            field_path((*path, name)),
            f"is not declared; declared {owner}: {listing}",
            (*path, name),
        )
        for name in value
        if name not in declared
    ]


def _rule_words(rule: str, expected: JsonValue, value: JsonValue, error: ValidationError) -> str:
    simple = {
        "minimum": f"must be at least {expected}",
        "maximum": f"must be at most {expected}",
        "exclusiveMinimum": f"must be greater than {expected}",
        "exclusiveMaximum": f"must be less than {expected}",
        "multipleOf": f"must be a multiple of {expected}",
        "minLength": f"must be at least {expected} characters long",
        "maxLength": f"must be at most {expected} characters long",
        "minItems": f"must have at least {expected} items",
        "maxItems": f"must have at most {expected} items",
        "uniqueItems": "must not repeat items",
        "minProperties": f"must have at least {expected} fields",
        "maxProperties": f"must have at most {expected} fields",
        "pattern": f"must match the regular expression {cut(str(expected))}",
        "format": f"must be a valid {cut(str(expected))}",
        "const": f"must be exactly {_show(expected)}",
        "not": "is a value the schema excludes",
        "contains": "must contain at least one matching item",
    }
    if rule in simple:
        return simple[rule]
    if rule == "type":
        return f"must be {_types(expected)}, not {describe_type(value)}"
    if rule == "enum":
        return f"must be one of: {_listing(expected)}"
    if rule in ("anyOf", "oneOf"):
        return _alternatives(rule, error)
    return cut(error.message)


def _alternatives(rule: str, error: ValidationError) -> str:
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    forms = [
        _types(branch["type"])
        for branch in branches
        if isinstance(branch, dict) and "type" in branch
    ]
    if rule == "oneOf" and not error.context:
        return "matches more than one of the allowed forms; it must match exactly one"
    wrong_type_only = all(e.validator == "type" and not e.relative_path for e in error.context)
    if forms and len(forms) == len(branches) and wrong_type_only:
        return f"must be {' or '.join(dict.fromkeys(forms))}"
    reasons = sorted(
        {
            f"{field_path(tuple(e.relative_path)) or 'the value'} "
            + _rule_words(str(e.validator), e.validator_value, e.instance, e)
            for e in error.context or []
        }
    )
    hint = f" ({'; '.join(reasons[:3])})" if reasons else ""
    return f"does not match any of the allowed forms{hint}"


def _types(expected: JsonValue) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " or ".join(_TYPE_WORDS.get(str(name), str(name)) for name in names)


def _listing(values: Iterable[JsonValue]) -> str:
    shown = [_show(value) for value in values]
    more = len(shown) - _LIST_LIMIT
    return ", ".join(shown[:_LIST_LIMIT]) + (f" (and {more} more)" if more > 0 else "")


def _names(names: list[str]) -> str:
    more = len(names) - _LIST_LIMIT
    shown = ", ".join(show_key(name) for name in names[:_LIST_LIMIT])
    return shown + (f" (and {more} more)" if more > 0 else "")


def _show(value: JsonValue) -> str:
    return cut(json.dumps(value, ensure_ascii=False))
