"""The visual builder's edits: add or remove a function or a parameter in a tool document.

Each edit takes the document as the editor holds it (parsed JSON) and returns a changed
copy; the editor shows it as JSON again and lints it, so the builder and the raw JSON
are two views of one document. Functions are edited in the canonical shape
(``name``, ``description``, ``parameters``).
"""

from __future__ import annotations

import copy
from typing import Any

from domain.json_types import JsonObject

PARAMETER_TYPES = ("string", "integer", "number", "boolean", "array", "object")


class BuilderRefused(ValueError):
    """An edit the document's shape does not allow, said on one line."""


def function_entries(document: Any) -> list[dict[str, Any]]:
    """The document's functions (name, description, parameters with their types), to list."""
    entries = []
    for function in _functions(document, create=False):
        if not isinstance(function, dict):
            continue
        parameters = function.get("parameters")
        properties = parameters.get("properties") if isinstance(parameters, dict) else None
        required = parameters.get("required") if isinstance(parameters, dict) else None
        entries.append(
            {
                "name": str(function.get("name", "")),
                "description": str(function.get("description", "")),
                "parameters": [
                    {
                        "name": name,
                        "type": schema.get("type", "any") if isinstance(schema, dict) else "any",
                        "required": isinstance(required, list) and name in required,
                    }
                    for name, schema in (properties or {}).items()
                ],
            }
        )
    return entries


def add_function(document: Any, name: str, description: str) -> JsonObject:
    """A copy of ``document`` with a new function that takes no parameters yet.

    Raises:
        BuilderRefused: When the name is empty or taken, or the document is not an object.
    """
    changed = _copy(document)
    name = name.strip()
    functions = _functions(changed, create=True)
    if not name:
        raise BuilderRefused("a function needs a name")
    if any(isinstance(f, dict) and f.get("name") == name for f in functions):
        raise BuilderRefused(f"the tool already has a function {name!r}")
    functions.append(
        {
            "name": name,
            "description": description.strip(),
            "parameters": {"type": "object", "properties": {}},
        }
    )
    return changed


def add_parameter(
    document: Any, function: str, name: str, kind: str, description: str, *, required: bool
) -> JsonObject:
    """A copy of ``document`` with a new parameter in one function.

    Raises:
        BuilderRefused: When the function is missing, the name empty or taken, or the
            type not one of :data:`PARAMETER_TYPES`.
    """
    changed = _copy(document)
    name = name.strip()
    if not name:
        raise BuilderRefused("a parameter needs a name")
    if kind not in PARAMETER_TYPES:
        raise BuilderRefused(f"a parameter's type is one of: {', '.join(PARAMETER_TYPES)}")
    parameters = _parameters(changed, function)
    properties = parameters.setdefault("properties", {})
    if not isinstance(properties, dict):
        raise BuilderRefused(f"function {function!r} has parameters the builder cannot edit")
    if name in properties:
        raise BuilderRefused(f"function {function!r} already has a parameter {name!r}")
    schema: dict[str, Any] = {"type": kind}
    if kind == "array":
        schema["items"] = {"type": "string"}
    if description.strip():
        schema["description"] = description.strip()
    properties[name] = schema
    if required:
        listed = parameters.setdefault("required", [])
        if isinstance(listed, list):
            listed.append(name)
    return changed


def remove_parameter(document: Any, function: str, name: str) -> JsonObject:
    """A copy of ``document`` without one parameter of one function.

    Raises:
        BuilderRefused: When the function or the parameter is missing.
    """
    changed = _copy(document)
    parameters = _parameters(changed, function)
    properties = parameters.get("properties")
    if not isinstance(properties, dict) or name not in properties:
        raise BuilderRefused(f"function {function!r} has no parameter {name!r}")
    del properties[name]
    listed = parameters.get("required")
    if isinstance(listed, list) and name in listed:
        listed.remove(name)
        if not listed:
            del parameters["required"]
    return changed


def _copy(document: Any) -> JsonObject:
    if not isinstance(document, dict):
        raise BuilderRefused("the document must be a JSON object")
    return copy.deepcopy(document)


def _functions(document: Any, *, create: bool) -> list[Any]:
    if not isinstance(document, dict):
        return []
    holder = document.get("tool_functions_schema")
    if not isinstance(holder, dict):
        if not create:
            return []
        holder = document["tool_functions_schema"] = {}
    functions = holder.get("functions")
    if not isinstance(functions, list):
        if not create:
            return []
        functions = holder["functions"] = []
    return functions


def _parameters(document: JsonObject, function: str) -> dict[str, Any]:
    for entry in _functions(document, create=False):
        if isinstance(entry, dict) and entry.get("name") == function:
            parameters = entry.setdefault("parameters", {"type": "object", "properties": {}})
            if not isinstance(parameters, dict):
                break
            return parameters
    raise BuilderRefused(f"the document has no function {function!r} the builder can edit")
