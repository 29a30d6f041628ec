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

from typing import Any

from pydantic.alias_generators import to_snake

from adapters.gemini.rules import parameter_name_warning
from adapters.gemini.traversal import Child, visited_children
from adapters.gemini.wording import located, shown
from domain.json_types import JsonObject, JsonPath

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

_SHOWN_LIMIT = 60
"""A value a warning quotes is cut to this many characters."""

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
        self.found.append(located(path, text))

    def node(
        self, node: JsonObject, declared: JsonObject, path: JsonPath, trail: tuple[JsonPath, ...]
    ) -> None:
        """Check ``node`` beside its ``declared`` counterpart, then what the converter visits.

        ``trail`` holds the definitions entered on the way down, so a recursive ``$ref``
        is entered once.
        """
        if node.get("$ref") is None:  # a reference's node is checked as its definition
            self.dropped(node, declared, path)
            self.reported(node, path)
        branches: list[Child] = []
        for child in visited_children(self.root, node, path):
            if child.keyword == "anyOf":
                branches.append(child)
            elif child.keyword == "$ref":
                if child.path not in trail:
                    # The converter inlines the definition: it is the node itself.
                    self.node(child.schema, declared, child.path, (*trail, child.path))
            else:
                if child.keyword == "properties":
                    self.parameter_name(child)
                self.node(child.schema, _counterpart(declared, child), child.path, trail)
        if branches:
            self.branches(node["anyOf"], branches, declared, path, trail)

    def parameter_name(self, member: Child) -> None:
        warning = parameter_name_warning(str(member.path[-1]))
        if warning:
            self.warn(member.path, warning)

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
                self.warn(
                    (*path, keyword),
                    f"dropped by the converter ({shown(node[keyword], _SHOWN_LIMIT)})",
                )

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
                    f"names {shown(missing, _SHOWN_LIMIT)}, not declared in properties; the "
                    "Gemini API has been reported to refuse that",
                )

    def branches(
        self,
        members: list[Any],
        branches: list[Child],
        declared: JsonObject,
        path: JsonPath,
        trail: tuple[JsonPath, ...],
    ) -> None:
        """Walk the ``anyOf`` branches (``members`` is the whole list, ``branches`` its schemas)."""
        nulls = [branch for branch in branches if _is_null(branch.schema)]
        others = [branch for branch in branches if not _is_null(branch.schema)]
        if nulls and len(members) == 2 and others:
            # The converter merges [A, null] into A marked nullable: A is the node itself.
            self.node(others[0].schema, declared, others[0].path, trail)
            return
        if nulls:
            self.warn(
                (*path, "anyOf"),
                f"the null alternative among {len(members)} is dropped: Gemini is not told "
                "the value may be null",
            )
        declared_branches = declared.get("any_of")
        for position, branch in enumerate(others):
            counterpart = (
                declared_branches[position]
                if isinstance(declared_branches, list) and position < len(declared_branches)
                else {}
            )
            self.node(branch.schema, counterpart, branch.path, trail)


def _counterpart(declared: JsonObject, child: Child) -> JsonObject:
    """What the declaration made of a property, ``items`` or ``prefixItems`` member."""
    if child.keyword == "properties":
        return _member(_member(declared, "properties"), str(child.path[-1]))
    if child.keyword == "items":
        return _member(declared, "items")
    return {}  # Gemini's Schema has no tuples: a function with prefixItems is refused


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
