"""Size limits for function schemas and call arguments."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SchemaLimits:
    """The bounds a function schema and its arguments must stay within.

    The operator sets them in the settings; these defaults apply otherwise.

    Attributes:
        max_schema_bytes: Largest accepted schema, measured as compact JSON in UTF-8.
        max_depth: Deepest accepted nesting: each nested schema (a property, array
            items, an ``anyOf`` member, ...) and each nested array or object inside a
            literal value (``enum``, ``default``, ``const``) adds one level.
        max_argument_depth: Deepest accepted nesting of arrays and objects in the
            arguments of one call.
        max_description_chars: Longest accepted function description (the model
            reads it in every session).
        max_parameter_description_chars: Longest accepted ``description`` of any
            schema inside a function's parameters.
    """

    max_schema_bytes: int = 64 * 1024
    max_depth: int = 16
    max_argument_depth: int = 32
    max_description_chars: int = 8192
    max_parameter_description_chars: int = 2048


DEFAULT_LIMITS = SchemaLimits()
