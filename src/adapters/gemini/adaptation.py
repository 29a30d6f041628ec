"""Rewriting a parameters schema into one Gemini realtime takes, with a codec back.

:func:`adapt_parameters` returns the schema offered to the model, the codec that maps
the model's arguments back to the stored shape, and the hints: constraints Gemini cannot
be told, moved into the descriptions (the stored schema still enforces them at call
time). ``docs/gemini.md`` has the table of rewrites; each one is a branch below.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from jsonschema import Draft202012Validator

from adapters.gemini.codecs import (
    PAIR_KEY,
    PAIR_VALUE,
    SAME,
    TUPLE_ITEM,
    Branches,
    Codec,
    Fields,
    Items,
    JsonText,
    PairsAsMap,
    Tokens,
    TupleAsObject,
    is_same,
)
from adapters.gemini.rules import PARAMETER_NAME
from adapters.gemini.wording import located, shown
from domain.json_types import JsonObject, JsonPath, JsonValue

RECURSION_DEPTH = 2
"""How many times a recursive reference is unrolled before the rest is JSON text."""

STRING_FORMATS = frozenset({"date-time", "enum"})
"""String formats kept in the offered schema; any other becomes a hint."""

_KEPT = {
    "all": ("description", "title", "default", "examples"),
    "string": ("minLength", "maxLength", "pattern"),
    "integer": ("minimum", "maximum"),
    "number": ("minimum", "maximum"),
    "array": ("minItems", "maxItems"),
    "object": ("minProperties", "maxProperties"),
    "boolean": (),
    "null": (),
}
"""The keywords Gemini is told, besides the structure handled below, per type."""

_BY_TYPE = {
    "string": ("minLength", "maxLength", "pattern", "format"),
    "integer": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "array": (
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "minContains",
        "maxContains",
        "additionalItems",
        "unevaluatedItems",
    ),
    "object": (
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "dependentSchemas",
        "dependencies",
        "unevaluatedProperties",
    ),
}
"""The keywords that apply to one type only (split apart when ``type`` lists several)."""

_UNSAYABLE = {
    "not": "must not match a given schema",
    "if": "has a conditional rule (if/then/else)",
    "multipleOf": "must be a multiple of {}",
    "uniqueItems": "items must be unique",
    "contains": "must contain a matching item",
    "propertyNames": "keys must match a rule",
    "dependentRequired": "some fields require others",
    "dependentSchemas": "some fields bring extra rules",
    "dependencies": "some fields require others",
}
"""Constraints Gemini cannot be told, and the words of their hint."""

_ANNOTATIONS_DROPPED_WITH_CODEC = ("default", "examples")
"""Values in the stored shape: left out where the offered shape differs."""


@dataclass(frozen=True)
class Hint:
    """A constraint moved into a description, enforced at call time.

    Attributes:
        path: Where it is, under ``parameters`` of the stored schema.
        text: What the model is told.
    """

    path: JsonPath
    text: str

    def __str__(self) -> str:
        return located(
            self.path,
            f"{self.text}: moved to the description (Gemini cannot be told); enforced at call time",
        )


@dataclass(frozen=True)
class Adaptation:
    """A parameters schema as Gemini is offered it, and the way back.

    Attributes:
        parameters: The schema offered.
        codec: Maps arguments between the offered and the stored shapes.
        hints: The constraints moved into descriptions.
    """

    parameters: JsonObject
    codec: Codec
    hints: tuple[Hint, ...]

    @property
    def is_lossless_identity(self) -> bool:
        """True when every value keeps its shape and no constraint moved to a description.

        The offered schema may still differ from the stored one in annotations only, so
        the stored schema can be offered as it is.
        """
        return is_same(self.codec) and not self.hints


class Unadaptable(Exception):
    """A construct no rewrite covers (a reference that cannot be resolved)."""


def adapt_parameters(parameters: JsonObject) -> Adaptation:
    """Rewrite ``parameters`` for Gemini realtime.

    Raises:
        Unadaptable: When a construct cannot be rewritten (the reason says where).
    """
    adapter = _Adapter(parameters)
    offered, codec = adapter.node(parameters, (), root=True)
    return Adaptation(offered, codec, tuple(adapter.hints))


@dataclass
class _Adapter:
    root: JsonObject
    hints: list[Hint] = field(default_factory=list)

    def node(
        self, schema: JsonValue, path: JsonPath, *, root: bool = False, refs: tuple[str, ...] = ()
    ) -> tuple[JsonObject, Codec]:
        if schema is True or schema == {}:
            return self._json_text(path, {})
        if not isinstance(schema, dict):
            raise Unadaptable(located(path, "a schema that accepts nothing cannot be offered"))
        resolved = self._resolved(schema, path, refs)
        if resolved is None:
            self._hint(path, "recursive: deeper levels take the same shape")
            return self._annotated(*self._json_text(path, {}), path)
        schema, refs = resolved
        schema = self._merged(schema, path)
        one_of = schema.get("oneOf")
        if isinstance(one_of, list):
            schema = {k: v for k, v in schema.items() if k != "oneOf"}
            if "anyOf" in schema:
                self._hint(path, "must also match exactly one of other options (oneOf)")
            else:
                schema["anyOf"] = one_of
                self._hint(path, "exactly one of the options must match")
        if "const" in schema:
            schema = {k: v for k, v in schema.items() if k != "const"} | {"enum": [schema["const"]]}
        if not isinstance(schema.get("type"), list):
            for key, words in _UNSAYABLE.items():
                if key in schema:
                    self._hint(path, words.format(shown(schema[key], 40)))
        return self._annotated(*self._by_shape(schema, path, root, refs), path)

    # ---------------------------------------------------------------- references

    def _resolved(
        self, schema: JsonObject, path: JsonPath, refs: tuple[str, ...]
    ) -> tuple[JsonObject, tuple[str, ...]] | None:
        while "$ref" in schema:
            ref = schema["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#"):
                raise Unadaptable(located(path, f"$ref {shown(ref, 60)} is not local"))
            if refs.count(ref) >= RECURSION_DEPTH:
                return None
            target = _pointer(self.root, ref)
            if not isinstance(target, dict):
                raise Unadaptable(located(path, f"$ref {shown(ref, 60)} cannot be resolved"))
            refs = (*refs, ref)
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**target, **siblings}
        return schema, refs

    # ---------------------------------------------------------------- allOf

    def _merged(self, schema: JsonObject, path: JsonPath) -> JsonObject:
        if "allOf" not in schema:
            return schema
        base = {k: v for k, v in schema.items() if k != "allOf"}
        branches = [b for b in schema["allOf"] if isinstance(b, dict)]
        merged = _merge_all([base, *(self._inline_refs(b, path) for b in branches)])
        if merged is not None:
            return merged
        self._hint(path, f"must also match all of {len(branches)} schemas (allOf)")
        return base

    def _inline_refs(self, schema: JsonObject, path: JsonPath) -> JsonObject:
        resolved = self._resolved(schema, path, ())
        return schema if resolved is None else resolved[0]

    # ---------------------------------------------------------------- shapes

    def _by_shape(
        self, schema: JsonObject, path: JsonPath, root: bool, refs: tuple[str, ...]
    ) -> tuple[JsonObject, Codec]:
        kind = schema.get("type")
        if isinstance(kind, list):
            return self._type_list(schema, kind, path, refs)
        if "enum" in schema:
            return self._enum(schema, path)
        if "anyOf" in schema:
            return self._any_of(schema, path, refs)
        if kind == "object":
            return self._object(schema, path, root, refs)
        if kind == "array":
            return self._array(schema, path, refs)
        if kind in ("string", "integer", "number", "boolean", "null"):
            return self._scalar(schema, kind, path), SAME
        if root or (kind is None and "properties" in schema):
            return self._object({**schema, "type": "object"}, path, root, refs)
        if kind is None and ("items" in schema or "prefixItems" in schema):
            return self._array({**schema, "type": "array"}, path, refs)
        return self._json_text(path, schema)

    def _type_list(
        self, schema: JsonObject, kinds: list[JsonValue], path: JsonPath, refs: tuple[str, ...]
    ) -> tuple[JsonObject, Codec]:
        shared = {k: v for k, v in schema.items() if k != "type" and not _typed_keyword(k)}
        branches = []
        for kind in kinds:
            branch: JsonObject = {"type": kind}
            branch.update({k: v for k, v in schema.items() if k in _BY_TYPE.get(str(kind), ())})
            if "enum" in schema:
                values = [v for v in schema["enum"] if _json_type_fits(str(kind), v)]
                if not values:
                    continue
                branch["enum"] = values
            branches.append(branch)
        shared.pop("enum", None)
        return self._any_of({**shared, "anyOf": branches}, path, refs)

    def _any_of(
        self, schema: JsonObject, path: JsonPath, refs: tuple[str, ...]
    ) -> tuple[JsonObject, Codec]:
        stored = list(schema["anyOf"])
        nullable = any(_is_null(b) for b in stored)
        others = [b for b in stored if not _is_null(b)]
        adapted = [self.node(b, (*path, "anyOf", i), refs=refs) for i, b in enumerate(others)]
        codec: Codec = SAME
        if not all(is_same(c) for _, c in adapted):
            codec = Branches(
                tuple(
                    (_fits(offered), _fits(self._standalone(branch)), c)
                    for (offered, c), branch in zip(adapted, others, strict=True)
                )
            )
        keep = {k: v for k, v in schema.items() if k in _KEPT["all"]}
        null: JsonObject = {"type": "null"}
        if len(adapted) == 1:
            only = adapted[0][0]
            return ({**keep, "anyOf": [only, null]} if nullable else {**only, **keep}), codec
        choices: JsonObject = {"anyOf": [a for a, _ in adapted]}
        if nullable:
            # A null beside two or more branches is dropped by the converter, unless the
            # branches are nested one level down (anyOf [anyOf [A, B], null] -> nullable).
            return {**keep, "anyOf": [choices, null]}, codec
        return {**keep, **choices}, codec

    def _standalone(self, branch: JsonValue) -> JsonValue:
        if not isinstance(branch, dict):
            return branch
        defs = {k: self.root[k] for k in ("$defs", "definitions") if k in self.root}
        return {**defs, **branch}

    def _enum(self, schema: JsonObject, path: JsonPath) -> tuple[JsonObject, Codec]:
        values = schema["enum"]
        keep = {k: v for k, v in schema.items() if k in _KEPT["all"]}
        if all(isinstance(v, str) for v in values):
            return {**keep, "type": "string", "enum": list(values)}, SAME
        if sorted(values, key=str) == [False, True] and all(isinstance(v, bool) for v in values):
            return {**keep, "type": "boolean"}, SAME
        tokens = _tokens(values)
        return {**keep, "type": "string", "enum": list(tokens)}, Tokens(tokens)

    def _object(
        self, schema: JsonObject, path: JsonPath, root: bool, refs: tuple[str, ...]
    ) -> tuple[JsonObject, Codec]:
        properties = schema.get("properties")
        properties = dict(properties) if isinstance(properties, dict) else {}
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        for name in required:
            if name not in properties:
                properties[name] = {}  # required but undeclared: any JSON value
        extra = schema.get("additionalProperties")
        patterns = schema.get("patternProperties")
        if not properties and not root:
            if isinstance(extra, dict) or isinstance(patterns, dict):
                return self._pairs(schema, extra, patterns, path, refs)
            if extra is not False:
                return self._json_text(path, schema)
        if isinstance(patterns, dict) or isinstance(extra, dict):
            self._hint(path, "other keys than the listed ones are allowed, with their own rules")
        names = _offered_names(list(properties))
        members: dict[str, tuple[str, Codec]] = {}
        offered_properties: JsonObject = {}
        for stored_name, member in properties.items():
            offered_name = names[stored_name]
            offered, codec = self.node(member, (*path, "properties", stored_name), refs=refs)
            offered_properties[offered_name] = offered
            members[stored_name] = (offered_name, codec)
        offered_node: JsonObject = {"type": "object", "properties": offered_properties}
        if required:
            offered_node["required"] = [names[r] for r in required]
        offered_node.update({k: v for k, v in schema.items() if k in _KEPT["object"]})
        if extra is False:
            offered_node["additionalProperties"] = False
        renamed = any(names[n] != n for n in members)
        codec = SAME
        if renamed or not all(is_same(c) for _, c in members.values()):
            codec = Fields(members)
        return offered_node, codec

    def _pairs(
        self,
        schema: JsonObject,
        extra: JsonValue,
        patterns: JsonValue,
        path: JsonPath,
        refs: tuple[str, ...],
    ) -> tuple[JsonObject, Codec]:
        key: JsonObject = {"type": "string"}
        if isinstance(patterns, dict) and len(patterns) == 1 and not isinstance(extra, dict):
            ((pattern, value),) = patterns.items()
            key["pattern"] = pattern
        elif isinstance(extra, dict) and not patterns:
            value = extra
        else:
            value = {}
            self._hint(path, "keys matching different patterns take different values")
        offered_value, codec = self.node(value, (*path, "additionalProperties"), refs=refs)
        pair: JsonObject = {
            "type": "object",
            "properties": {PAIR_KEY: key, PAIR_VALUE: offered_value},
            "required": [PAIR_KEY, PAIR_VALUE],
        }
        offered: JsonObject = {"type": "array", "items": pair}
        offered.update({k: v for k, v in schema.items() if k in _KEPT["all"]})
        if "minProperties" in schema:
            offered["minItems"] = schema["minProperties"]
        if "maxProperties" in schema:
            offered["maxItems"] = schema["maxProperties"]
        self._note(offered, "a list of {key, value} pairs, one per key")
        return offered, PairsAsMap(codec)

    def _array(
        self, schema: JsonObject, path: JsonPath, refs: tuple[str, ...]
    ) -> tuple[JsonObject, Codec]:
        elements = schema.get("prefixItems")
        if elements is None and isinstance(schema.get("items"), list):
            elements = schema["items"]
        if isinstance(elements, list):
            return self._tuple(schema, elements, path, refs)
        items = schema.get("items", True)
        offered_items, codec = self.node(items, (*path, "items"), refs=refs)
        offered: JsonObject = {"type": "array", "items": offered_items}
        offered.update({k: v for k, v in schema.items() if k in _KEPT["array"]})
        return offered, SAME if is_same(codec) else Items(codec)

    def _tuple(
        self, schema: JsonObject, elements: list[JsonValue], path: JsonPath, refs: tuple[str, ...]
    ) -> tuple[JsonObject, Codec]:
        key = "prefixItems" if "prefixItems" in schema else "items"
        minimum = schema.get("minItems", 0)
        properties: JsonObject = {}
        codecs: list[Codec] = []
        for index, element in enumerate(elements):
            offered, codec = self.node(element, (*path, key, index), refs=refs)
            properties[TUPLE_ITEM.format(index)] = offered
            codecs.append(codec)
        required = [TUPLE_ITEM.format(i) for i in range(min(minimum, len(elements)))]
        offered_node: JsonObject = {"type": "object", "properties": properties}
        if required:
            offered_node["required"] = required
        offered_node.update({k: v for k, v in schema.items() if k in _KEPT["all"]})
        self._note(offered_node, "a tuple: element i is item_i")
        if schema.get("items", False) is not False and key == "prefixItems":
            self._hint(path, "more elements may follow the listed ones")
        return offered_node, TupleAsObject(tuple(codecs))

    def _scalar(self, schema: JsonObject, kind: str, path: JsonPath) -> JsonObject:
        offered: JsonObject = {"type": kind}
        offered.update({k: v for k, v in schema.items() if k in _KEPT[kind] or k in _KEPT["all"]})
        if kind == "string" and "format" in schema:
            if schema["format"] in STRING_FORMATS:
                offered["format"] = schema["format"]
            else:
                self._hint(path, f"format {shown(schema['format'], 40)}")
        if kind in ("integer", "number"):
            self._exclusive_bounds(schema, kind, offered, path)
        return offered

    def _exclusive_bounds(
        self, schema: JsonObject, kind: str, offered: JsonObject, path: JsonPath
    ) -> None:
        for keyword, bound, step, pick in (
            ("exclusiveMinimum", "minimum", 1, max),
            ("exclusiveMaximum", "maximum", -1, min),
        ):
            value = schema.get(keyword)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if kind == "integer" and float(value).is_integer():
                exact = int(value) + step
                offered[bound] = pick(exact, offered[bound]) if bound in offered else exact
            else:
                comparison = "greater" if step > 0 else "less"
                self._hint(path, f"must be {comparison} than {shown(value)}")

    def _json_text(self, path: JsonPath, schema: JsonObject) -> tuple[JsonObject, Codec]:
        offered: JsonObject = {"type": "string"}
        offered.update({k: v for k, v in schema.items() if k in ("description", "title")})
        self._note(offered, "JSON text")
        return offered, JsonText()

    # ---------------------------------------------------------------- descriptions

    def _annotated(
        self, offered: JsonObject, codec: Codec, path: JsonPath
    ) -> tuple[JsonObject, Codec]:
        if not is_same(codec):
            for key in _ANNOTATIONS_DROPPED_WITH_CODEC:
                offered.pop(key, None)
        own = [hint.text for hint in self.hints if hint.path == path]
        if own:
            self._note(offered, "; ".join(own))
        return offered, codec

    def _hint(self, path: JsonPath, text: str) -> None:
        self.hints.append(Hint(path, text))

    @staticmethod
    def _note(offered: JsonObject, text: str) -> None:
        description = offered.get("description")
        note = f"({text})"
        offered["description"] = f"{description} {note}" if description else note


# ---------------------------------------------------------------- helpers


def _pointer(root: JsonObject, ref: str) -> JsonValue:
    node: JsonValue = root
    for raw in ref.removeprefix("#").split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _merge_all(schemas: list[JsonObject]) -> JsonObject | None:
    merged: JsonObject = {}
    for schema in schemas:
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                properties = dict(merged.get("properties", {}))
                for name, member in value.items():
                    if name in properties and properties[name] != member:
                        return None
                    properties[name] = member
                merged["properties"] = properties
            elif key == "required" and isinstance(value, list):
                merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
            elif key in ("description", "title"):
                merged.setdefault(key, value)
            elif key in merged and merged[key] != value:
                return None
            else:
                merged[key] = value
    return merged


def _typed_keyword(key: str) -> bool:
    return any(key in keywords for keywords in _BY_TYPE.values())


def _json_type_fits(kind: str, value: JsonValue) -> bool:
    return bool(Draft202012Validator({"type": kind}).is_valid(value))


def _is_null(schema: JsonValue) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null" and len(schema) == 1


def _fits(schema: JsonValue) -> Callable[[JsonValue], bool]:
    validator = Draft202012Validator(copy.deepcopy(schema))
    return lambda value: bool(validator.is_valid(value))


def _tokens(values: list[JsonValue]) -> dict[str, JsonValue]:
    tokens: dict[str, JsonValue] = {}
    for value in values:
        token = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        while token in tokens:
            token = f"{token} ({type(value).__name__})"
        tokens[token] = value
    return tokens


_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
_NAME_STEM = 60
"""A stand-in name's stem is cut here, leaving room for a ``_N`` suffix within 64."""


def _offered_names(names: list[str]) -> dict[str, str]:
    """Each property name, or a safe, stable, unique stand-in when Gemini's rule refuses it."""
    taken = {name for name in names if PARAMETER_NAME.fullmatch(name)}
    offered: dict[str, str] = {}
    for name in names:
        if name in taken:
            offered[name] = name
            continue
        base = _UNSAFE.sub("_", name) or "_"
        if not re.match(r"[A-Za-z_]", base):
            base = f"_{base}"
        base = base[:_NAME_STEM]
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(candidate)
        offered[name] = candidate
    return offered
