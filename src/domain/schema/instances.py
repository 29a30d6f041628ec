"""Validating a JSON value against a schema, with defaults and the coercion policy.

One engine serves function arguments and binding config. The policy it applies is
written out in ``docs/coercion.md``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from domain.errors import Problem, ProblemsError
from domain.json_types import JsonObject, JsonPath, JsonValue
from domain.schema.coercion import NO_COERCION, coerce, enum_member
from domain.schema.formats import format_checker
from domain.schema.messages import problems_for
from domain.schema.patterns import translate_patterns
from domain.schema.quick_accept import quick_check
from domain.schema.scan import scan_value
from domain.schema.strict import close_objects
from domain.schema.walk import resolve_local_ref

_MAX_COERCION_ROUNDS = 8
MAX_PROBLEMS = 20
"""Most problems one refusal lists; the rest are counted, so the message stays short."""


class InstanceValidator:
    """Validates values against one schema object and returns what the consumer gets.

    Args:
        schema: The schema (a JSON Schema object that has passed the platform's rules,
            its patterns included).
        draft: The validator class for the schema's draft.
        max_depth: The deepest accepted nesting of arrays and objects in a value.
        root: How to name the value's root in messages (``arguments``, ``config``).
    """

    def __init__(
        self, schema: JsonObject, draft: type[Validator], max_depth: int, root: str
    ) -> None:
        self._schema = schema
        runnable, self._patterns = runnable_schema(schema)
        self._validator = draft(runnable, format_checker=format_checker())
        self._quick = quick_check(runnable, draft)
        self._max_depth = max_depth
        self._root = root

    def validate(self, value: JsonValue, error: type[ProblemsError], summary: str) -> JsonObject:
        """Check ``value`` and return it with defaults and coercions applied.

        Args:
            value: The untrusted value; it is not modified.
            error: The error class to raise.
            summary: The first line of the error message.

        Returns:
            A new object: what the consumer receives.

        Raises:
            ProblemsError: ``error``, naming every failing field and its rule.
        """
        if not isinstance(value, dict):
            raise error(
                summary, [Problem(self._root, f"must be a JSON object with named {self._root}")]
            )
        problems = scan_value(value, self._max_depth, self._root)
        if problems:
            raise error(summary, problems)
        instance: JsonObject = _json_copy(value)
        errors = self._settle(instance)
        if errors:
            found = dict.fromkeys(
                p for e in errors for p in problems_for(e, self._root, self._patterns)
            )
            raise error(summary, _bounded(sorted(found, key=lambda problem: problem.path)))
        self._normalise_integers(instance, self._schema)
        return instance

    def _settle(self, instance: JsonObject) -> list[ValidationError]:
        """Fill defaults and coerce failing values until nothing more can be fixed.

        A value the quick check accepts (:mod:`domain.schema.quick_accept`) has no
        errors: ``jsonschema`` runs only when it does not.
        """
        for _ in range(_MAX_COERCION_ROUNDS):
            self._fill(instance, self._schema)
            if self._quick is not None and self._quick(instance):
                return []
            errors = list(self._validator.iter_errors(instance))
            if not errors:
                return errors
            coerced = [self._coerce(instance, e) for e in errors]
            if not any(coerced):
                return errors
            problems = scan_value(instance, self._max_depth, self._root)
            if problems:
                return errors
        return list(self._validator.iter_errors(instance))

    def _coerce(self, instance: JsonObject, error: ValidationError) -> bool:
        path = tuple(error.absolute_path)
        if not path:
            return False
        if error.validator == "enum":
            candidates = [enum_member(error.instance, error.validator_value)]
        elif error.validator in ("type", "anyOf", "oneOf"):
            candidates = [coerce(error.instance, t) for t in _wanted_types(error)]
        else:
            return False
        for candidate in candidates:
            if candidate is NO_COERCION:
                continue
            if self._validator.evolve(schema=error.schema).is_valid(candidate):
                _set(instance, path, candidate)
                return True
        return False

    def _fill(self, value: JsonValue, schema: JsonObject) -> None:
        """Drop nulls that stand for a left-out parameter, then apply defaults."""
        schema = resolve_local_ref(self._schema, schema)
        properties = schema.get("properties")
        if isinstance(value, dict) and isinstance(properties, dict):
            required = schema.get("required", [])
            for name, member in properties.items():
                if not isinstance(member, dict):
                    continue
                if (
                    value.get(name, 0) is None
                    and name not in required
                    and not self._accepts(member, None)
                ):
                    del value[name]
                default_holder = (
                    member if "default" in member else resolve_local_ref(self._schema, member)
                )
                if name not in value and "default" in default_holder:
                    value[name] = copy.deepcopy(default_holder["default"])
                if name in value:
                    self._fill(value[name], member)
        items = schema.get("items")
        if isinstance(value, list) and isinstance(items, dict):
            for item in value:
                self._fill(item, items)

    def _normalise_integers(self, value: JsonValue, schema: JsonObject) -> None:
        """Turn integral floats (``3.0``) into ints where the schema asks for an integer."""
        for holder, key, member in _children(self._schema, value, schema):
            item = holder[key]
            if isinstance(item, float) and item.is_integer() and _wants_integer(member):
                holder[key] = int(item)
            else:
                self._normalise_integers(item, member)

    def _accepts(self, schema: JsonObject, value: JsonValue) -> bool:
        return bool(self._validator.evolve(schema=schema).is_valid(value))


def runnable_schema(schema: JsonObject) -> tuple[JsonObject, dict[str, str]]:
    """The copy of ``schema`` the validators run: plain objects closed, patterns translated.

    Returns:
        The copy, and each translated pattern mapped to the pattern the schema wrote.
    """
    runnable = close_objects(schema)
    return runnable, translate_patterns(runnable)


def _json_copy(value: Any) -> Any:
    """A copy of a scanned JSON value sharing no array or object with it.

    The scan has bounded its depth (``max_argument_depth``), so the recursion is too;
    cheaper than ``copy.deepcopy``, which handles any Python object.
    """
    if isinstance(value, dict):
        return {key: _json_copy(member) for key, member in value.items()}
    if isinstance(value, list):
        return [_json_copy(member) for member in value]
    return value


def _bounded(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem("", f"({more} more problems not shown)")]


def _children(
    root: JsonObject, value: JsonValue, schema: JsonObject
) -> Iterator[tuple[Any, Any, JsonObject]]:
    schema = resolve_local_ref(root, schema)
    properties = schema.get("properties")
    if isinstance(value, dict) and isinstance(properties, dict):
        for name, member in properties.items():
            if name in value and isinstance(member, dict):
                yield value, name, member
    items = schema.get("items")
    if isinstance(value, list) and isinstance(items, dict):
        for index in range(len(value)):
            yield value, index, items


def _wants_integer(schema: JsonObject) -> bool:
    kinds = _types_named(schema)
    return "integer" in kinds and "number" not in kinds


def _types_named(schema: JsonObject) -> set[str]:
    """The types a schema names, its ``anyOf``/``oneOf`` branches included (Optional[int])."""
    kind = schema.get("type")
    kinds = {str(t) for t in kind} if isinstance(kind, list) else {str(kind)} if kind else set()
    for keyword in ("anyOf", "oneOf"):
        branches = schema.get(keyword)
        if isinstance(branches, list):
            for branch in branches:
                if isinstance(branch, dict):
                    kinds |= _types_named(branch)
    return kinds


def _wanted_types(error: ValidationError) -> list[str]:
    if error.validator == "type":
        expected = error.validator_value
        return [str(t) for t in expected] if isinstance(expected, list) else [str(expected)]
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    wanted: list[str] = []
    for branch in branches:
        kind = branch.get("type") if isinstance(branch, dict) else None
        wanted.extend(
            [str(t) for t in kind] if isinstance(kind, list) else [str(kind)] if kind else []
        )
    return wanted


def _set(instance: JsonObject, path: JsonPath, value: JsonValue) -> None:
    holder: Any = instance
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value
