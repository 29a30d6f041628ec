"""Finding ``default`` values that their own schema would reject."""

from __future__ import annotations

import copy

from jsonschema.protocols import Validator

from domain.json_types import JsonObject, render_path
from domain.schema.patterns import translate_patterns
from domain.schema.walk import iter_schemas


def invalid_default_paths(
    schema: JsonObject, draft: type[Validator]
) -> list[tuple[JsonObject, str]]:
    """List every schema node in ``schema`` whose ``default`` fails the node itself.

    Args:
        schema: The schema (nodes are walked in place); its patterns have passed
            ``pattern_problems``.
        draft: The validator class of its draft.

    Returns:
        Each offending node with the dotted path of its ``default`` keyword.
    """
    runnable = copy.deepcopy(schema)
    translate_patterns(runnable)
    validator = draft(runnable)
    found: list[tuple[JsonObject, str]] = []
    for node, path in iter_schemas(schema):
        if "default" not in node:
            continue
        without_default = copy.deepcopy({k: v for k, v in node.items() if k != "default"})
        translate_patterns(without_default)
        if not validator.evolve(schema=without_default).is_valid(node["default"]):
            found.append((node, render_path((*path, "default"))))
    return found
