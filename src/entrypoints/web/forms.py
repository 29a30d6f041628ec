"""HTML forms from a subset of JSON Schema, and their submitted values back to JSON.

The subset (docs/ui.md): an object schema whose properties are strings (a ``<select>``
when they have an ``enum`` of strings), integers, numbers, booleans or nested objects
of the same; ``title``, ``description``, ``default`` and ``required`` are shown. Any
other property (arrays, ``oneOf``, ``$ref``, several types...) becomes a JSON field whose
text must parse as JSON. Reading a submission only turns text into JSON values; the
value is then validated against the whole schema by the service that receives it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from domain.errors import Problem
from domain.json_types import JsonObject, JsonValue

FieldKind = Literal["string", "enum", "integer", "number", "boolean", "object", "json"]

_SIMPLE_TYPES = {"string", "integer", "number", "boolean"}
_DESCRIPTIVE_KEYS = {"title", "description", "default", "examples", "$comment"}
_STRING_KEYS = {"minLength", "maxLength", "pattern", "format"}
_NUMBER_KEYS = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
_OBJECT_KEYS = {"properties", "required", "additionalProperties"}


@dataclass(frozen=True)
class FormField:
    """One input of a form rendered from a schema.

    Attributes:
        name: The input's name: the property path joined by dots under the form's prefix.
        key: The property name.
        kind: How it is rendered and read back.
        label: The title, else the property name.
        description: The schema's description.
        required: Whether the object requires it.
        value: The current value as the input shows it (JSON text for a JSON field).
        options: The choices of an ``enum`` field.
        children: The fields of a nested object.
        error: What is wrong with the submitted value, when something is.
    """

    name: str
    key: str
    kind: FieldKind
    label: str
    description: str = ""
    required: bool = False
    value: str = ""
    options: tuple[str, ...] = ()
    children: tuple[FormField, ...] = field(default_factory=tuple)
    error: str = ""

    @property
    def checked(self) -> bool:
        """Whether a boolean field is on."""
        return self.value == "true"


def form_fields(
    schema: Mapping[str, Any],
    values: Any = None,
    *,
    prefix: str,
    errors: Mapping[str, str] | None = None,
    as_typed: bool = False,
) -> tuple[FormField, ...]:
    """The fields that edit an object of ``schema``, filled with ``values``.

    Args:
        schema: An object schema (anything else gives one JSON field for the whole value).
        values: The current object (defaults fill what it leaves out).
        prefix: The name every input starts with (``config``, ``arguments``).
        errors: Messages by input name, shown next to their fields.
        as_typed: ``values`` hold the submitted text of each input (shown again as it
            was typed, after a refused submit) rather than JSON values.

    Returns:
        The fields in the order of the schema's properties.
    """
    errors = errors or {}
    if not _is_form_object(schema):
        whole = FormField(
            name=prefix,
            key=prefix,
            kind="json",
            label="value (JSON)",
            value=values if as_typed and isinstance(values, str) else _json_text(values or {}),
            error=errors.get(prefix, ""),
        )
        return (whole,)
    current = values if isinstance(values, Mapping) else {}
    return _object_fields(schema, current, prefix, errors, as_typed)


def _object_fields(
    schema: Mapping[str, Any],
    values: Mapping[str, Any],
    prefix: str,
    errors: Mapping[str, str],
    as_typed: bool,
) -> tuple[FormField, ...]:
    required = set(schema.get("required") or ())
    fields = []
    for key, subschema in (schema.get("properties") or {}).items():
        name = f"{prefix}.{key}"
        sub = subschema if isinstance(subschema, Mapping) else {}
        present = key in values
        value = values[key] if present else sub.get("default")
        kind = field_kind(sub)
        children: tuple[FormField, ...] = ()
        if kind == "object":
            nested = value if isinstance(value, Mapping) else {}
            children = _object_fields(sub, nested, name, errors, as_typed)
        fields.append(
            FormField(
                name=name,
                key=key,
                kind=kind,
                label=str(sub.get("title") or key),
                description=str(sub.get("description") or ""),
                required=key in required,
                value=value
                if as_typed and present and isinstance(value, str)
                else _shown(kind, value, present or "default" in sub),
                options=tuple(sub["enum"]) if kind == "enum" else (),
                children=children,
                error=errors.get(name, ""),
            )
        )
    return tuple(fields)


def field_kind(schema: Mapping[str, Any]) -> FieldKind:
    """How a property schema is rendered: a typed input of the subset, or a JSON field."""
    kind = schema.get("type")
    if not isinstance(kind, str):
        return "json"
    allowed = set(_DESCRIPTIVE_KEYS) | {"type"}
    if kind == "string" and "enum" in schema:
        enum = schema["enum"]
        if isinstance(enum, list) and enum and all(isinstance(item, str) for item in enum):
            return "enum" if set(schema) <= allowed | {"enum"} else "json"
        return "json"
    if kind == "string":
        return "string" if set(schema) <= allowed | _STRING_KEYS else "json"
    if kind in {"integer", "number"}:
        return kind if set(schema) <= allowed | _NUMBER_KEYS else "json"  # type: ignore[return-value]
    if kind == "boolean":
        return "boolean" if set(schema) <= allowed else "json"
    if kind == "object" and _is_form_object(schema):
        return "object"
    return "json"


def _is_form_object(schema: Mapping[str, Any]) -> bool:
    properties = schema.get("properties")
    return (
        schema.get("type") == "object"
        and isinstance(properties, Mapping)
        and set(schema) <= _DESCRIPTIVE_KEYS | _OBJECT_KEYS | {"type"}
        and schema.get("additionalProperties", False) in (False, True)
        and isinstance(schema.get("required", []), list)
    )


def _shown(kind: FieldKind, value: Any, present: bool) -> str:
    if not present or (value is None and kind != "json"):
        return ""
    if kind == "boolean":
        return "true" if value is True else "false"
    if kind in {"string", "enum"}:
        return value if isinstance(value, str) else _json_text(value)
    if kind in {"integer", "number"}:
        return _json_text(value)
    if kind == "object":
        return ""
    return _json_text(value)


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


class FormErrors(Exception):
    """Submitted inputs that do not read as their fields' kinds, by input name."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def read_form(
    schema: Mapping[str, Any], submitted: Mapping[str, str], *, prefix: str
) -> JsonObject:
    """Turn submitted inputs back into the object the form edits.

    An empty input leaves its property out (a required one is then reported missing
    by the validation); an unchecked boolean reads as ``false``. Only the inputs'
    syntax is checked here; the object is validated against the schema by the service
    it goes to.

    Args:
        schema: The schema the form was rendered from.
        submitted: The submitted inputs by name (each checkbox sends ``true``).
        prefix: The prefix the form was rendered with.

    Returns:
        The object.

    Raises:
        FormErrors: When an input does not read as its kind (a number, JSON).
    """
    errors: dict[str, str] = {}
    if not _is_form_object(schema):
        value = _read_json(submitted.get(prefix, "").strip() or "{}", prefix, errors)
        if not errors and not isinstance(value, dict):
            errors[prefix] = "must be a JSON object"
        if errors:
            raise FormErrors(errors)
        assert isinstance(value, dict)
        return value
    result = _read_object(schema, submitted, prefix, errors)
    if errors:
        raise FormErrors(errors)
    return result


def _read_object(
    schema: Mapping[str, Any], submitted: Mapping[str, str], prefix: str, errors: dict[str, str]
) -> JsonObject:
    required = set(schema.get("required") or ())
    result: JsonObject = {}
    for key, subschema in (schema.get("properties") or {}).items():
        name = f"{prefix}.{key}"
        sub = subschema if isinstance(subschema, Mapping) else {}
        kind = field_kind(sub)
        if kind == "object":
            nested = _read_object(sub, submitted, name, errors)
            if nested or key in required:
                result[key] = nested
            continue
        if kind == "boolean":
            result[key] = submitted.get(name) == "true"
            continue
        text = submitted.get(name, "")
        if text == "" or (kind not in {"string", "enum"} and not text.strip()):
            continue
        value = _read_value(kind, text, name, errors)
        if name not in errors:
            result[key] = value
    return result


def _read_value(kind: FieldKind, text: str, name: str, errors: dict[str, str]) -> JsonValue:
    if kind in {"string", "enum"}:
        return text
    if kind == "integer":
        try:
            return int(text.strip())
        except ValueError:
            errors[name] = "must be a whole number"
            return None
    if kind == "number":
        try:
            number = float(text.strip())
        except ValueError:
            errors[name] = "must be a number"
            return None
        if not math.isfinite(number):
            errors[name] = "must be a finite number"
            return None
        return int(number) if number.is_integer() and "." not in text else number
    return _read_json(text, name, errors)


def _read_json(text: str, name: str, errors: dict[str, str]) -> JsonValue:
    try:
        value: JsonValue = json.loads(text)
    except (ValueError, RecursionError) as error:
        errors[name] = f"is not valid JSON ({error})"
        return None
    return value


def place_problems(
    fields: tuple[FormField, ...], problems: Iterable[Problem], *, prefix: str
) -> dict[str, str]:
    """Messages by input name: each problem goes to the deepest input that holds its value.

    A problem inside a JSON field goes to that field; one about the object itself (a
    missing required property, an unexpected one) goes to ``prefix``, shown above the form.
    """
    names = list(_names(fields))
    placed: dict[str, list[str]] = {}
    for problem in problems:
        location = problem.location or ()
        wanted = ".".join([prefix, *map(str, location)])
        holder = max(
            (name for name in names if wanted == name or wanted.startswith(name + ".")),
            key=len,
            default=prefix,
        )
        placed.setdefault(holder, []).append(problem.message)
    return {name: "; ".join(messages) for name, messages in placed.items()}


def _names(fields: tuple[FormField, ...]) -> Iterable[str]:
    for one in fields:
        yield one.name
        yield from _names(one.children)
