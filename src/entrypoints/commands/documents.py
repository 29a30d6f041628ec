"""Reading JSON and YAML input (tool documents, config, secrets files) into plain JSON values.

YAML is read with a safe loader that leaves dates and times as strings, and every value
is checked to be JSON (string keys, finite numbers), so a YAML document means exactly
what the same JSON document would. Error messages give the position of a syntax error,
never a snippet of the input: the input may be a secrets file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from domain.json_values import TooManyValues, json_problems
from entrypoints.commands.output import CliError
from entrypoints.commands.reading import STDIN, source_name

_MAX_VALUES = 1_000_000
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT_TAG = "tag:yaml.org,2002:int"
_MAX_DIGITS = sys.get_int_max_str_digits()
"""Python refuses to turn an integer of more digits into text (0: no limit)."""


class _JsonishLoader(yaml.SafeLoader):
    """A safe YAML loader that does not turn dates and times into Python objects."""


_JsonishLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_integer(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """YAML's own integers; a decimal one past Python's digit limit is a located error.

    (Hexadecimal, octal and binary ones convert at any length; the JSON check refuses
    them past the limit.)
    """
    try:
        return loader.construct_yaml_int(node)
    except ValueError:
        problem = f"an integer of more than {_MAX_DIGITS} digits"
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


_JsonishLoader.add_constructor(_INT_TAG, _construct_integer)


def parse_data(text: str, source: str, what: str) -> Any:
    """Parse JSON or YAML text into a JSON value.

    ``.json`` files are JSON and ``.yaml``/``.yml`` files YAML; anything else (standard
    input included) is JSON when it starts with ``{`` or ``[``, else YAML.

    Args:
        text: The text.
        source: Where it came from (a file name or ``-``), for error messages.
        what: What it holds, for error messages.

    Raises:
        CliError: On a syntax error (with its position) or a value JSON cannot hold.
    """
    where = source_name(source)
    suffix = Path(source).suffix.lower() if source != STDIN else ""
    as_json = suffix == ".json" or (
        suffix not in (".yaml", ".yml") and text.lstrip()[:1] in ("{", "[")
    )
    try:
        value = _load_json(text, where, what) if as_json else _load_yaml(text, where, what)
        problems = json_problems(value, None, "the top level", _MAX_VALUES, _MAX_DIGITS or None)
        problem = next(problems, None)
    except RecursionError:
        raise CliError(f"the {what} in {where} is nested too deeply") from None
    except TooManyValues as error:
        raise CliError(f"the {what} in {where} {error}") from None
    if problem is not None:
        raise CliError(f"the {what} in {where} is not plain JSON: {problem}") from None
    return value


def parse_object(text: str, source: str, what: str) -> dict[str, Any]:
    """Parse JSON or YAML text that must hold an object (see :func:`parse_data`).

    Raises:
        CliError: On a syntax error, or when the value is not an object.
    """
    value = parse_data(text, source, what)
    if not isinstance(value, dict):
        where = source_name(source)
        raise CliError(f"the {what} in {where} must be an object, not {_type_name(value)}")
    return value


def _load_json(text: str, where: str, what: str) -> Any:
    def refuse_constant(name: str) -> Any:
        raise CliError(f"the {what} in {where} holds {name}, which JSON does not allow")

    def integer(digits: str) -> int:
        if _MAX_DIGITS and len(digits.lstrip("-")) > _MAX_DIGITS:
            raise CliError(
                f"the {what} in {where} holds an integer of more than {_MAX_DIGITS} digits"
            )
        return int(digits)

    try:
        return json.loads(text, parse_constant=refuse_constant, parse_int=integer)
    except json.JSONDecodeError as error:
        raise CliError(
            f"the {what} in {where} is not valid JSON: {error.msg} "
            f"at line {error.lineno}, column {error.colno}"
        ) from None


def _load_yaml(text: str, where: str, what: str) -> Any:
    try:
        return yaml.load(text, Loader=_JsonishLoader)
    except yaml.MarkedYAMLError as error:
        # str(error) quotes the offending line: it may hold a secret.
        mark = error.problem_mark
        position = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "syntax error"
        raise CliError(f"the {what} in {where} is not valid YAML: {problem}{position}") from None
    except yaml.YAMLError:
        raise CliError(f"the {what} in {where} is not valid YAML") from None


def _type_name(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)
