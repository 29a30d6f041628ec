"""The rules every function schema must satisfy before the platform stores it."""

from __future__ import annotations

import functools
import hashlib
import json
import re

from jsonschema.protocols import Validator

from domain.errors import Problem
from domain.json_types import JsonObject, JsonPath, JsonValue, render_path
from domain.schema.drafts import draft_for
from domain.schema.limits import SchemaLimits
from domain.schema.patterns import pattern_problems
from domain.schema.references import reference_problems
from domain.schema.structure import nesting_problem, size_problem

FUNCTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]{0,63}")
"""Function names as Gemini accepts them: a letter or ``_`` first, at most 64 characters."""

_JSON_TYPES = "string, integer, number, boolean, object, array, null"
_MAX_REPORTED = 10


def name_problems(name: JsonValue) -> list[Problem]:
    """Check a function name against :data:`FUNCTION_NAME`."""
    if isinstance(name, str) and FUNCTION_NAME.fullmatch(name):
        return []
    return [
        Problem(
            "name",
            "must start with a letter or underscore and use only letters, digits and "
            "_ . : - (at most 64 characters)",
        )
    ]


def object_schema_problems(
    parameters: JsonValue, limits: SchemaLimits, root: str = "parameters"
) -> tuple[list[Problem], type[Validator] | None]:
    """Check an object schema against the limits, its draft's meta-schema and the platform.

    Serves a function's ``parameters`` and a tool's ``config_schema`` alike.

    The checks run in an order that keeps later ones safe: nesting and size first
    (before anything recursive), then the meta-schema, then the platform's own rules.

    Args:
        parameters: The schema (a function's ``parameters``, a ``config_schema``).
        limits: The limits in force.
        root: How to name the schema in paths.

    Returns:
        The problems found, and the validator class of the schema's draft (None when
        the schema is too broken to name one).
    """
    if not isinstance(parameters, dict):
        return [Problem(root, "must be a JSON Schema object")], None
    for check in (nesting_problem, size_problem):
        problem = check(parameters, limits, root)
        if problem:
            return [problem], None
    draft = draft_for(parameters, root)
    if isinstance(draft, Problem):
        return [draft], None
    problems = meta_schema_problems(parameters, draft, root)
    if problems:
        return problems, draft
    if parameters.get("type") != "object":
        problems.append(Problem(f"{root}.type", 'must be "object": the value has named members'))
    problems.extend(reference_problems(parameters, root))
    problems.extend(pattern_problems(parameters, root))
    return problems, draft


def meta_schema_problems(schema: JsonObject, draft: type[Validator], root: str) -> list[Problem]:
    """Check ``schema`` against its draft's meta-schema; each problem names its path.

    Meta-schema validation is the costliest check a schema goes through (2020-12's
    dynamic references make it about 7 ms for a typical function), and the same schema
    is checked again whenever a tool version is read back from storage, so results are
    memoised by the schema's content.

    Args:
        schema: The schema document (its nesting already bounded).
        draft: The validator class of its draft.
        root: How to name the document's root in paths.

    Returns:
        Up to ten problems.
    """
    text = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    key = (draft, hashlib.sha256(text.encode(errors="surrogatepass")).digest())
    errors = _META_SCHEMA_MEMO.get(key)
    if errors is None:
        errors = _meta_schema_errors(schema, draft)
        if len(_META_SCHEMA_MEMO) >= _META_SCHEMA_MEMO_SIZE:
            del _META_SCHEMA_MEMO[next(iter(_META_SCHEMA_MEMO))]
        _META_SCHEMA_MEMO[key] = errors
    return [Problem(render_path(path, root), message) for path, message in errors]


_LocatedErrors = tuple[tuple[JsonPath, str], ...]
_META_SCHEMA_MEMO: dict[tuple[type[Validator], bytes], _LocatedErrors] = {}
_META_SCHEMA_MEMO_SIZE = 4096


def _meta_schema_errors(schema: JsonObject, draft: type[Validator]) -> _LocatedErrors:
    found: list[tuple[JsonPath, str]] = []
    for error in _meta_validator(draft).iter_errors(schema):
        path = tuple(error.absolute_path)
        if path and path[-1] == "type":
            message = f"{error.instance!r} is not a JSON Schema type; use {_JSON_TYPES}"
        else:
            message = error.message[:200]
        if (path, message) in found:  # 2020-12's dynamic references repeat some errors
            continue
        found.append((path, message))
        if len(found) == _MAX_REPORTED:
            break
    return tuple(found)


@functools.cache
def _meta_validator(draft: type[Validator]) -> Validator:
    return draft(draft.META_SCHEMA)
