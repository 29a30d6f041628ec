"""Which JSON Schema draft a schema is read under."""

from __future__ import annotations

from jsonschema import validators
from jsonschema.protocols import Validator

from domain.errors import Problem
from domain.json_types import JsonObject, render_path

DEFAULT_DRAFT = validators.Draft202012Validator
_DRAFTS: tuple[type[Validator], ...] = (
    validators.Draft202012Validator,
    validators.Draft201909Validator,
    validators.Draft7Validator,
    validators.Draft6Validator,
    validators.Draft4Validator,
)
SUPPORTED_DRAFTS: dict[str, type[Validator]] = {
    str(cls.META_SCHEMA.get("$id", cls.META_SCHEMA.get("id"))).rstrip("#"): cls for cls in _DRAFTS
}


def draft_for(schema: JsonObject, root: str) -> type[Validator] | Problem:
    """Choose the validator class for ``schema``: its ``$schema`` if given, else 2020-12.

    Args:
        schema: The schema document.
        root: How to name the document in a problem's path.

    Returns:
        The validator class, or the problem when ``$schema`` names no supported draft.
    """
    declared = schema.get("$schema")
    if declared is None:
        return DEFAULT_DRAFT
    if isinstance(declared, str) and declared.rstrip("#") in SUPPORTED_DRAFTS:
        return SUPPORTED_DRAFTS[declared.rstrip("#")]
    supported = ", ".join(sorted(SUPPORTED_DRAFTS))
    return Problem(
        render_path(("$schema",), root),
        f"names no supported JSON Schema draft; use one of {supported} or leave it out",
    )
