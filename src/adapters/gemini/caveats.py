"""What Gemini is not told although it accepts a function: the warnings of a verdict.

Three kinds, each ``<path>: <what>``:

- constraints the converter drops silently (``oneOf``/``allOf`` become ``{}``, a typed
  map becomes a bare object, ``anyOf [A, B, null]`` loses its null, ``not``,
  ``multipleOf``, ...), found by walking the original schema beside the declaration the
  converter really built, so a converter that starts keeping a keyword stops the warning;
- rules the Gemini API has been reported to enforce server-side that the converter does
  not check (an array without ``items``, a string ``format`` other than ``enum`` and
  ``date-time``, ``required`` naming an undeclared property), not verified offline;
- parameter names outside Gemini's documented rule, which the API is not known to enforce.

The platform validates every call's arguments against the stored schema, so a dropped
constraint can cost the model a retry, never a wrong call reaching a handler.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.alias_generators import to_snake

from adapters.gemini.rules import parameter_name_warning
from adapters.gemini.traversal import definition
from domain.json_types import JsonObject, JsonPath, render_path

ROOT = "parameters"

CONSTRAINTS = (
    "not",
    "multipleOf",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "additionalItems",
    "unevaluatedItems",
    "minProperties",
    "maxProperties",
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "if",
    "then",
    "else",
)
"""JSON Schema keywords that constrain a value (annotations such as ``title`` are left out)."""

STRING_FORMATS = ("enum", "date-time")
"""The string formats the Gemini API is reported to accept."""

_DROPPED_WITH_NULL = frozenset({"type", "title", "default", "examples", "$comment"})


def verdict_warnings(parameters: JsonObject, declared: JsonObject | None) -> tuple[str, ...]:
    """Compare a parameters schema with the declaration the converter built from it.

    Args:
        parameters: The function's parameters schema.
        declared: The declaration's ``parameters`` (None when it has none).

    Returns:
        One ``<path>: <what>`` per finding, in schema order, without repeats.
    """
    found: list[str] = []
    _Walk(parameters, found).node(parameters, declared or {}, (), ())
    return tuple(dict.fromkeys(found))


class _Walk:
    def __init__(self, root: JsonObject, found: list[str]) -> None:
        self.root = root
        self.found = found

    def warn(self, path: JsonPath, text: str) -> None:
        self.found.append(f"{render_path(path, ROOT)}: {text}")

    def node(
        self, node: JsonObject, declared: JsonObject, path: JsonPath, refs: tuple[str, ...]
    ) -> None:
        ref = node.get("$ref")
        if ref is not None:
            target = definition(self.root, ref)
            if target is not None and ref not in refs:
                resolved, target_path = target
                siblings = {key: value for key, value in node.items() if key != "$ref"}
                self.node({**siblings, **resolved}, declared, target_path, (*refs, ref))
            return
        self.dropped(node, declared, path)
        self.reported(node, path)
        kind = node.get("type")
        if kind == "object" and isinstance(node.get("properties"), dict):
            self.members(node, declared, path, refs)
        if kind == "array" and isinstance(node.get("items"), dict):
            self.node(node["items"], _member(declared, "items"), (*path, "items"), refs)
        if isinstance(node.get("anyOf"), list):
            self.branches(node["anyOf"], declared, path, refs)

    def dropped(self, node: JsonObject, declared: JsonObject, path: JsonPath) -> None:
        for keyword in ("oneOf", "allOf"):
            if isinstance(node.get(keyword), list):
                self.warn(
                    (*path, keyword),
                    f"dropped by the converter with its {_count(node[keyword], 'subschema')}: "
                    "Gemini is not told them",
                )
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            self.warn(
                (*path, "additionalProperties"),
                "a typed map's value schema is dropped: Gemini sees a bare object",
            )
        for keyword in CONSTRAINTS:
            if keyword in node and to_snake(keyword) not in declared and keyword not in declared:
                self.warn((*path, keyword), f"dropped by the converter ({_short(node[keyword])})")

    def reported(self, node: JsonObject, path: JsonPath) -> None:
        kind = node.get("type")
        if kind == "array" and "items" not in node and "prefixItems" not in node:
            self.warn(
                path,
                'an array without "items": the Gemini API has been reported to refuse it '
                '("items: missing field"); give it an items schema',
            )
        form = node.get("format")
        if kind == "string" and isinstance(form, str) and form not in STRING_FORMATS:
            self.warn(
                (*path, "format"),
                f"{form!r} is sent to Gemini, and the Gemini API has been reported to accept "
                'only "enum" and "date-time" on strings',
            )
        properties = node.get("properties")
        required = node.get("required")
        if kind == "object" and isinstance(required, list):
            declared_names = properties if isinstance(properties, dict) else {}
            missing = [name for name in required if name not in declared_names]
            if missing:
                self.warn(
                    (*path, "required"),
                    f"names {_short(missing)}, not declared in properties; the Gemini API "
                    "has been reported to refuse that",
                )

    def members(
        self, node: JsonObject, declared: JsonObject, path: JsonPath, refs: tuple[str, ...]
    ) -> None:
        declared_members = _member(declared, "properties")
        for name, member in node["properties"].items():
            where = (*path, "properties", name)
            warning = parameter_name_warning(name)
            if warning:
                self.warn(where, warning)
            if isinstance(member, dict):
                self.node(member, _member(declared_members, name), where, refs)

    def branches(
        self, branches: list[Any], declared: JsonObject, path: JsonPath, refs: tuple[str, ...]
    ) -> None:
        nulls = [index for index, branch in enumerate(branches) if _is_null(branch)]
        others = [
            (index, branch)
            for index, branch in enumerate(branches)
            if index not in nulls and isinstance(branch, dict)
        ]
        if nulls and len(branches) == 2 and others:
            # The converter merges [A, null] into A marked nullable: A is the node itself.
            index, branch = others[0]
            self.node(branch, declared, (*path, "anyOf", index), refs)
            return
        if nulls:
            self.warn(
                (*path, "anyOf"),
                f"the null alternative among {len(branches)} is dropped: Gemini is not told "
                "the value may be null",
            )
        declared_branches = declared.get("any_of")
        for position, (index, branch) in enumerate(others):
            counterpart = (
                declared_branches[position]
                if isinstance(declared_branches, list) and position < len(declared_branches)
                else {}
            )
            self.node(branch, counterpart, (*path, "anyOf", index), refs)


def _is_null(branch: Any) -> bool:
    """A branch the converter recognises as null (``{"type": "null"}`` once simplified)."""
    return (
        isinstance(branch, dict)
        and branch.get("type") == "null"
        and all(key in _DROPPED_WITH_NULL or key.startswith("x-") for key in branch)
    )


def _member(declared: JsonObject, key: str) -> JsonObject:
    value = declared.get(key)
    return value if isinstance(value, dict) else {}


def _count(items: list[Any], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
