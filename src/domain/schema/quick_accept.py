"""A compiled ``jsonschema-rs`` check that answers "valid as it is" for the common case.

:class:`domain.schema.instances.InstanceValidator` asks this check first, on the value
with its defaults filled; only when it says valid is ``jsonschema``'s own run skipped,
so everything else (refusals, their messages, coercions) takes the one path it always
took. It may therefore only say valid where ``jsonschema`` (the platform's format
checker, closed objects, translated patterns) finds no error, and it is built only for
schemas where the two are known to agree: drafts 7 and 2020-12 (the drafts the JSON
Schema Test Suite proves them on), and none of the keywords whose meaning the platform
defines itself or that the two compute differently:

- ``format``: the platform's own checks (``domain/schema/formats.py``);
- ``pattern``, ``patternProperties``: ECMA-262 patterns run translated to Python's
  ``re`` (``domain/schema/ecma_regex.py``), not by Rust's engine;
- ``multipleOf``: ``jsonschema`` divides floats (``0.3`` is no multiple of ``0.1``),
  ``jsonschema-rs`` says it is;
- ``contentEncoding``, ``contentMediaType``, ``contentSchema``: annotations whose
  handling differs between drafts and libraries.

``tests/unit/schema/test_quick_accept.py`` and ``scripts/quick_accept_agreement.py``
prove the agreement on the JSON Schema Test Suite and the corpus's schemas.
"""

from __future__ import annotations

from collections.abc import Callable

import jsonschema_rs
from jsonschema import validators
from jsonschema.protocols import Validator

from domain.json_types import JsonObject, JsonValue
from domain.schema.walk import iter_schemas

QuickCheck = Callable[[JsonValue], bool]
"""True when a value is valid as it is; False when the full check must decide."""

INELIGIBLE_KEYWORDS = frozenset(
    {
        "format",
        "pattern",
        "patternProperties",
        "multipleOf",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
    }
)
"""A schema using any of these anywhere gets no quick check."""

_RS_DRAFTS: dict[type[Validator], type[jsonschema_rs.Validator]] = {
    validators.Draft202012Validator: jsonschema_rs.Draft202012Validator,
    validators.Draft7Validator: jsonschema_rs.Draft7Validator,
}


def quick_check(runnable: JsonObject, draft: type[Validator]) -> QuickCheck | None:
    """Compile the quick check of ``runnable``, or None when it is not eligible.

    Args:
        runnable: The schema exactly as ``jsonschema`` runs it (objects closed,
            patterns translated).
        draft: Its ``jsonschema`` validator class.

    Returns:
        The check, or None for a schema outside the agreement (module docstring).
    """
    rs_draft = _RS_DRAFTS.get(draft)
    if rs_draft is None or any(
        node.keys() & INELIGIBLE_KEYWORDS for node, _ in iter_schemas(runnable)
    ):
        return None
    try:
        compiled = rs_draft(runnable, validate_formats=False)
    except Exception:  # a schema jsonschema-rs cannot compile keeps the full check only
        return None

    def check(value: JsonValue) -> bool:
        try:
            return bool(compiled.is_valid(value))
        except Exception:  # a value it cannot convert: the full check decides
            return False

    return check
