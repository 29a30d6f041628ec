"""OpenAPI schema objects as the JSON Schema a function's parameters are written in.

Local references to ``components/schemas`` become ``$defs`` of the function schema (so
recursive schemas stay exact); other local references are inlined. 3.0's ``nullable``
becomes a ``null`` type, a boolean ``exclusiveMinimum``/``exclusiveMaximum`` the
numeric form, and OpenAPI-only keywords (``discriminator``, ``xml``, ``example``,
``externalDocs``, ``x-*``) are dropped: they say nothing about which inputs are valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.json_types import JsonObject

COMPONENT_SCHEMAS = "#/components/schemas/"
_DROPPED = frozenset({"discriminator", "xml", "example", "externalDocs", "nullable", "$schema"})
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")
_SCHEMA_VALUES = (
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")


class UnmappableSchema(Exception):
    """A schema the import cannot carry over; the message is the reason, for the report."""


def resolve(document: JsonObject, value: Any) -> Any:
    """``value`` with its local ``$ref`` (to anything in ``document``) followed.

    Raises:
        UnmappableSchema: For a reference to another file, or one that points nowhere.
    """
    seen: set[str] = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        reference = value["$ref"]
        if not reference.startswith("#/") or reference in seen:
            raise UnmappableSchema(f"the reference {reference!r} cannot be resolved")
        seen.add(reference)
        value = _pointed(document, reference)
    return value


def _pointed(document: JsonObject, reference: str) -> Any:
    target: Any = document
    for token in reference[2:].split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and key in target:
            target = target[key]
        else:
            raise UnmappableSchema(f"the reference {reference!r} points at nothing")
    return target


@dataclass
class SchemaConverter:
    """Converts the schemas of one function, collecting the ``$defs`` they reference.

    Attributes:
        document: The OpenAPI document (3.x shape) the schemas come from.
        definitions: The component schemas referenced so far, converted, by name.
    """

    document: JsonObject
    definitions: dict[str, Any] = field(default_factory=dict)

    def convert(self, schema: Any) -> Any:
        """The JSON Schema form of an OpenAPI schema object."""
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict):
            raise UnmappableSchema(f"a schema must be an object, not {type(schema).__name__}")
        reference = schema.get("$ref")
        if isinstance(reference, str):
            return self._reference(reference)
        converted: JsonObject = {}
        for key, value in schema.items():
            if key in _DROPPED or key.startswith("x-"):
                continue
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                converted[key] = {name: self.convert(member) for name, member in value.items()}
            elif key in _SCHEMA_VALUES and isinstance(value, (dict, bool)):
                converted[key] = self.convert(value)
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                converted[key] = [self.convert(member) for member in value]
            elif key == "examples" and not isinstance(value, list):
                continue
            else:
                converted[key] = value
        _exclusive_bounds(converted)
        _declare_required(converted)
        return _nullable(converted) if schema.get("nullable") is True else converted

    def _reference(self, reference: str) -> Any:
        if not reference.startswith(COMPONENT_SCHEMAS):
            return self.convert(resolve(self.document, {"$ref": reference}))
        name = reference[len(COMPONENT_SCHEMAS) :].replace("~1", "/").replace("~0", "~")
        if name not in self.definitions:
            self.definitions[name] = True
            self.definitions[name] = self.convert(resolve(self.document, {"$ref": reference}))
        escaped = name.replace("~", "~0").replace("/", "~1")
        return {"$ref": f"#/$defs/{escaped}"}

    def with_definitions(self, schema: JsonObject) -> JsonObject:
        """``schema`` (a function's parameters) with the collected ``$defs`` attached."""
        if not self.definitions:
            return schema
        return {**schema, "$defs": dict(sorted(self.definitions.items()))}


def _exclusive_bounds(schema: JsonObject) -> None:
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(schema.get(exclusive), bool) and schema.pop(exclusive) and bound in schema:
            schema[exclusive] = schema.pop(bound)


def _declare_required(schema: JsonObject) -> None:
    """Declare, accepting any value, required names that ``properties`` leaves out.

    The platform closes a plain object to its ``properties``; OpenAPI leaves it open, so
    a name that is required but undeclared (Box's ``lock.type``) takes any value there.
    """
    properties = schema.get("properties")
    required = schema.get("required")
    if isinstance(properties, dict) and isinstance(required, list):
        missing: JsonObject = {
            name: {} for name in required if isinstance(name, str) and name not in properties
        }
        if missing:
            schema["properties"] = {**properties, **missing}


def _nullable(schema: JsonObject) -> JsonObject:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema = {**schema, "type": [kind, "null"]}
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}
