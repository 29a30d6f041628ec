"""Finding ``default`` values that their own schema would reject."""

from __future__ import annotations

from jsonschema.protocols import Validator

from domain.json_types import JsonObject, render_path
from domain.schema.walk import iter_schemas


def invalid_default_paths(schema: JsonObject, validator: Validator) -> list[tuple[JsonObject, str]]:
    """List every schema node in ``schema`` whose ``default`` fails the node itself.

    Args:
        schema: The schema the validator was built for (nodes are walked in place).
        validator: A validator for ``schema`` (it resolves ``$ref`` against the root).

    Returns:
        Each offending node with the dotted path of its ``default`` keyword.
    """
    found: list[tuple[JsonObject, str]] = []
    for node, path in iter_schemas(schema):
        if "default" not in node:
            continue
        without_default = {key: value for key, value in node.items() if key != "default"}
        if not validator.evolve(schema=without_default).is_valid(node["default"]):
            found.append((node, render_path((*path, "default"))))
    return found
