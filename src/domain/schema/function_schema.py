"""``FunctionSchema``: one function the LLM can call."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from domain.errors import InvalidArguments, InvalidSchema, Problem
from domain.json_types import JsonObject
from domain.schema.bfcl import convert_bfcl_parameters, is_bfcl
from domain.schema.defaults import invalid_default_paths
from domain.schema.dialects import Dialect, read_dialect
from domain.schema.instances import InstanceValidator
from domain.schema.limits import DEFAULT_LIMITS, SchemaLimits
from domain.schema.rules import name_problems, object_schema_problems
from domain.schema.structure import nesting_problem


@dataclass(frozen=True)
class FunctionSchema:
    """One function the LLM can call: its name, description and parameters.

    Construction checks everything: the name rule, the limits, the JSON Schema
    meta-schema of the declared draft (2020-12 unless ``$schema`` says otherwise), a
    top-level object, local references only, and defaults that are valid for their
    own schema. Build one from any supported dialect with :meth:`from_dict`.

    Attributes:
        name: The name the LLM calls the function by.
        description: What the function does, for the LLM.
        parameters: A JSON Schema object describing the arguments. Treat it as read-only.
        limits: The limits it was checked against (not part of its identity).

    Raises:
        InvalidSchema: When any rule is broken; each problem names its JSON path.
    """

    name: str
    description: str
    parameters: JsonObject
    limits: SchemaLimits = field(default=DEFAULT_LIMITS, compare=False, repr=False)
    _arguments: InstanceValidator = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        problems = name_problems(self.name)
        if not isinstance(self.description, str):
            problems.append(Problem("description", "must be a string"))
        found, draft = object_schema_problems(self.parameters, self.limits)
        problems.extend(found)
        if draft is None or problems:
            raise InvalidSchema(f"Function {self.name!r} is invalid", problems)
        parameters = copy.deepcopy(self.parameters)
        defaults = invalid_default_paths(parameters, draft)
        if defaults:
            raise InvalidSchema(
                f"Function {self.name!r} is invalid",
                [
                    Problem(f"parameters.{path}", "is not valid for its own schema")
                    for _, path in defaults
                ],
            )
        object.__setattr__(self, "parameters", parameters)
        validator = InstanceValidator(
            parameters, draft, self.limits.max_argument_depth, "arguments"
        )
        object.__setattr__(self, "_arguments", validator)

    @classmethod
    def from_dict(cls, data: Any, limits: SchemaLimits = DEFAULT_LIMITS) -> FunctionSchema:
        """Read a function schema in any supported dialect.

        Args:
            data: Canonical, OpenAI, MCP ``tools/list``, Anthropic or BFCL form.
            limits: The limits to check against.

        Returns:
            The schema in canonical form.

        Raises:
            InvalidSchema: When it cannot be read or breaks a rule.
        """
        return import_function(data, limits).schema

    def to_dict(self) -> JsonObject:
        """Return the canonical form ``{name, description, parameters}`` (a copy)."""
        return {
            "name": self.name,
            "description": self.description,
            "parameters": copy.deepcopy(self.parameters),
        }

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """The top-level parameter names, in declaration order."""
        return tuple(self.parameters.get("properties", {}))

    def validate_arguments(self, arguments: Any) -> JsonObject:
        """Check a call's arguments and return what the function receives.

        Defaults are applied and the documented coercions (``docs/coercion.md``) are
        made; ``arguments`` itself is never modified.

        Args:
            arguments: The arguments object the LLM sent (already parsed JSON).

        Returns:
            A new dict of arguments.

        Raises:
            InvalidArguments: Naming every failing field and its rule.
        """
        summary = f"Invalid arguments for {self.name}; fix these and call again"
        return self._arguments.validate(arguments, InvalidArguments, summary)


@dataclass(frozen=True)
class SchemaImport:
    """What reading one foreign function definition produced.

    Attributes:
        schema: The function schema.
        dialect: The dialect it was written in.
        dropped_defaults: Paths of ``default`` values dropped because their own
            schema rejects them (BFCL's ``null`` for a string, for example).
    """

    schema: FunctionSchema
    dialect: Dialect
    dropped_defaults: tuple[str, ...]


def import_function(data: Any, limits: SchemaLimits = DEFAULT_LIMITS) -> SchemaImport:
    """Read a function definition in any supported dialect, reporting what changed.

    Args:
        data: The definition.
        limits: The limits to check against.

    Returns:
        The schema, the dialect, and the dropped defaults.

    Raises:
        InvalidSchema: When it cannot be read or breaks a rule.
    """
    name = data.get("name") if isinstance(data, dict) else None
    summary = f"Function {name!r} cannot be read"
    if not isinstance(data, dict):
        raise InvalidSchema(summary, [Problem("", "a function definition must be a JSON object")])
    parts = read_dialect(data)
    if isinstance(parts, Problem):
        raise InvalidSchema(summary, [parts])
    parameters, dialect = parts.parameters, parts.dialect
    dropped: list[str] = []
    if is_bfcl(parameters):
        deep = nesting_problem(parameters, limits, "parameters")
        if deep:
            raise InvalidSchema(summary, [deep])
        parameters, problems, dropped = convert_bfcl_parameters(parameters, "parameters")
        if problems:
            raise InvalidSchema(summary, problems)
        dialect = Dialect.BFCL
    found, draft = object_schema_problems(parameters, limits)
    if found or draft is None:
        raise InvalidSchema(summary, [*name_problems(parts.name), *found])
    parameters = copy.deepcopy(parameters)
    for node, path in invalid_default_paths(parameters, draft):
        del node["default"]
        dropped.append(f"parameters.{path}")
    schema = FunctionSchema(parts.name, parts.description, parameters, limits)
    return SchemaImport(schema, dialect, tuple(dropped))
