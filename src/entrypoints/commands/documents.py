"""Reading JSON and YAML input (tool documents, config, secrets files) into plain JSON values.

YAML is read with a safe loader that leaves dates and times as strings, and every value
is checked to be JSON (string keys, finite numbers), so a YAML document means exactly
what the same JSON document would. Error messages give the position of a syntax error,
never a snippet of the input: the input may be a secrets file.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import yaml

from entrypoints.commands.output import CliError

STDIN = "-"
"""The file name that means standard input."""

_MAX_VALUES = 1_000_000
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _JsonishLoader(yaml.SafeLoader):
    """A safe YAML loader that does not turn dates and times into Python objects."""


_JsonishLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: str, what: str) -> str:
    """Return the text of a file, or of standard input when ``path`` is ``-``.

    Args:
        path: A file name, or ``-``.
        what: What the file holds, for error messages (``tool document``).

    Raises:
        CliError: When the file cannot be read as UTF-8 text.
    """
    if path == STDIN:
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CliError(f"cannot read the {what} {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CliError(f"cannot read the {what} {path}: it is not UTF-8 text") from None


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
    where = "standard input" if source == STDIN else source
    suffix = Path(source).suffix.lower() if source != STDIN else ""
    as_json = suffix == ".json" or (
        suffix not in (".yaml", ".yml") and text.lstrip()[:1] in ("{", "[")
    )
    try:
        value = _load_json(text, where, what) if as_json else _load_yaml(text, where, what)
        _check_json(value, what, [0])
    except RecursionError:
        raise CliError(f"the {what} in {where} is nested too deeply") from None
    return value


def parse_object(text: str, source: str, what: str) -> dict[str, Any]:
    """Parse JSON or YAML text that must hold an object (see :func:`parse_data`).

    Raises:
        CliError: On a syntax error, or when the value is not an object.
    """
    value = parse_data(text, source, what)
    if not isinstance(value, dict):
        where = "standard input" if source == STDIN else source
        raise CliError(f"the {what} in {where} must be an object, not {_type_name(value)}")
    return value


def _load_json(text: str, where: str, what: str) -> Any:
    def refuse_constant(name: str) -> Any:
        raise CliError(f"the {what} in {where} holds {name}, which JSON does not allow")

    try:
        return json.loads(text, parse_constant=refuse_constant)
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


def _check_json(value: Any, what: str, seen: list[int], path: str = "") -> None:
    seen[0] += 1
    if seen[0] > _MAX_VALUES:
        raise CliError(f"the {what} holds more than {_MAX_VALUES} values")
    where = path or "the top level"
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CliError(
                    f"the {what} has a key that is not a string ({_type_name(key)}) at {where}; "
                    "quote it"
                )
            _check_json(item, what, seen, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, what, seen, f"{path}[{index}]")
    elif isinstance(value, float) and not math.isfinite(value):
        raise CliError(f"the {what} holds a number JSON cannot represent at {where}")
    elif value is not None and not isinstance(value, str | int | float | bool):
        raise CliError(
            f"the {what} holds a {_type_name(value)} at {where}, which JSON cannot hold; quote it"
        )


def _type_name(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)
