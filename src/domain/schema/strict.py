"""The closed-world reading of a schema used to validate arguments."""

from __future__ import annotations

import copy

from domain.json_types import JsonObject
from domain.schema.walk import iter_schemas

_OPENING_KEYWORDS = frozenset(
    {"additionalProperties", "patternProperties", "unevaluatedProperties"}
)
_COMPOSING_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "$ref", "$dynamicRef", "if"})


def close_objects(schema: JsonObject) -> JsonObject:
    """Return a copy of ``schema`` in which declared objects refuse undeclared keys.

    An object schema that lists ``properties`` and says nothing about other keys
    (no ``additionalProperties``, ``patternProperties`` or ``unevaluatedProperties``)
    gets ``"additionalProperties": false``, so an argument the schema does not declare
    is refused instead of silently reaching the function. Objects without
    ``properties`` stay free-form, and nodes that take part in composition (an
    ``allOf`` member, or a node combined with ``allOf``/``anyOf``/``oneOf``/``$ref``/``if``)
    are left as written, since closing them would change what their union accepts.

    Args:
        schema: The function's ``parameters``.

    Returns:
        The closed copy; ``schema`` itself is not changed.
    """
    closed = copy.deepcopy(schema)
    composed: set[int] = set()
    for node, _ in iter_schemas(closed):
        members = node.get("allOf")
        if isinstance(members, list):
            composed.update(id(member) for member in members)
        if (
            isinstance(node.get("properties"), dict)
            and id(node) not in composed
            and not node.keys() & (_OPENING_KEYWORDS | _COMPOSING_KEYWORDS)
        ):
            node["additionalProperties"] = False
    return closed
