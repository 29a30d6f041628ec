"""Reading the Berkeley Function Calling Leaderboard (BFCL) schema dialect.

BFCL function docs look like JSON Schema but use Python-flavoured type names, an
``optional`` flag, and ``"type": "dict"`` at the top. ``docs/schema-dialects.md``
holds the mapping as a table; :data:`BFCL_TYPES` is that table in code.
"""

from __future__ import annotations

from domain.errors import Problem
from domain.json_types import JsonObject, JsonPath, JsonValue, render_path

BFCL_TYPES: dict[str, str | None] = {
    "dict": "object",
    "object": "object",
    "HashMap": "object",
    "Hashtable": "object",
    "float": "number",
    "double": "number",
    "number": "number",
    "integer": "integer",
    "long": "integer",
    "short": "integer",
    "byte": "integer",
    "Bigint": "integer",
    "boolean": "boolean",
    "bool": "boolean",
    "Boolean": "boolean",
    "array": "array",
    "list": "array",
    "tuple": "array",
    "Array": "array",
    "ArrayList": "array",
    "Queue": "array",
    "Stack": "array",
    "string": "string",
    "String": "string",
    "char": "string",
    "any": None,
    "Any": None,
    "": None,
}
"""BFCL type name -> JSON Schema type (None: any JSON value, no ``type`` keyword)."""

_TRUE_FLAGS = (True, "true", "True")


def is_bfcl(parameters: JsonValue) -> bool:
    """Tell whether a ``parameters`` object is in the BFCL dialect (``type`` is ``dict``)."""
    return isinstance(parameters, dict) and parameters.get("type") == "dict"


def convert_bfcl_parameters(
    parameters: JsonObject, root: str
) -> tuple[JsonObject, list[Problem], list[str]]:
    """Rewrite BFCL ``parameters`` as a JSON Schema object.

    The caller has already bounded the nesting depth, so recursion here is safe.

    Args:
        parameters: The BFCL ``parameters`` object (``"type": "dict"``).
        root: How to name the parameters object in paths.

    Returns:
        The JSON Schema, the problems found (unknown type names), and the paths of
        parameter-level ``default`` keys that were dropped (they mean nothing).
    """
    converter = _Converter(root)
    optional_names = parameters.get("optional")
    schema = converter.node(parameters, ())
    if isinstance(optional_names, list):
        _drop_required(schema, {n for n in optional_names if isinstance(n, str)})
    if "default" in schema:
        del schema["default"]
        converter.dropped.append(render_path(("default",), root))
    return schema, converter.problems, converter.dropped


class _Converter:
    def __init__(self, root: str) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.dropped: list[str] = []

    def node(self, node: JsonObject, path: JsonPath) -> JsonObject:
        schema = dict(node)
        schema.pop("optional", None)
        self._map_type(schema, path)
        properties = schema.get("properties")
        if isinstance(properties, dict):
            optional = {
                name
                for name, member in properties.items()
                if isinstance(member, dict) and member.get("optional") in _TRUE_FLAGS
            }
            schema["properties"] = {
                name: self.node(member, (*path, "properties", name))
                if isinstance(member, dict)
                else member
                for name, member in properties.items()
            }
            _drop_required(schema, optional)
        items = schema.get("items")
        if isinstance(items, dict):
            schema["items"] = self.node(items, (*path, "items"))
        elif isinstance(items, list):
            schema["items"] = [
                self.node(member, (*path, "items", i)) if isinstance(member, dict) else member
                for i, member in enumerate(items)
            ]
        additional = schema.get("additionalProperties")
        if isinstance(additional, dict):
            schema["additionalProperties"] = self.node(additional, (*path, "additionalProperties"))
        _fix_enum(schema)
        return schema

    def _map_type(self, schema: JsonObject, path: JsonPath) -> None:
        if "type" not in schema:
            return
        name = schema["type"]
        if isinstance(name, str) and name in BFCL_TYPES:
            mapped = BFCL_TYPES[name]
            if mapped is None:
                del schema["type"]
            else:
                schema["type"] = mapped
            return
        known = ", ".join(repr(n) for n in BFCL_TYPES)
        self.problems.append(
            Problem(
                render_path((*path, "type"), self.root),
                f"{name!r} is not a BFCL type name; known names: {known}",
            )
        )


def _drop_required(schema: JsonObject, names: set[str]) -> None:
    required = schema.get("required")
    if names and isinstance(required, list):
        schema["required"] = [name for name in required if name not in names]


def _fix_enum(schema: JsonObject) -> None:
    """Repair BFCL ``enum`` placements that JSON Schema would read differently.

    A boolean ``enum`` (BFCL writes ``"True"``/``"False"``/``"dontcare"``) is dropped:
    a boolean has two values anyway. An ``enum`` on an array belongs to its items.
    """
    enum = schema.get("enum")
    if not isinstance(enum, list):
        return
    kind = schema.get("type")
    if kind == "boolean":
        del schema["enum"]
    elif kind == "array":
        items = schema.get("items")
        del schema["enum"]
        if isinstance(items, dict) and "enum" not in items:
            schema["items"] = {**items, "enum": enum}
        elif items is None:
            schema["items"] = {"enum": enum}
