"""The platform's rule for references: local JSON Pointers only, nothing fetched.

Every ``$ref``, ``$dynamicRef`` and ``$recursiveRef`` must be a JSON Pointer fragment
(``#`` or ``#/...``, percent-encoded or not) that names a schema, an object or a
boolean, inside the document. Refused: remote and relative URIs (nothing is ever
fetched), anchors (``#name``: the platform's own walks follow pointers only), and any
reference inside a subschema that declares its own ``$id``, where ``#/...`` would name
that subschema instead of the document.
"""

from __future__ import annotations

from domain.errors import Problem
from domain.json_types import JsonObject, JsonPath, JsonValue, render_path
from domain.schema.walk import REFERENCE_KEYWORDS, iter_schemas, resolve_pointer

REMOTE = "must be a local reference (#/...) to a schema inside this document"
ANCHOR = "must be a JSON Pointer (#/$defs/...), not an anchor name"
INSIDE_ID = "must not be inside a subschema with its own $id, where #/... names that subschema"
UNRESOLVED = "must name a schema inside this document; nothing is there"


def reference_problems(schema: JsonObject, root: str) -> list[Problem]:
    """Check every reference of ``schema`` against the rule above.

    Args:
        schema: The schema document (its nesting already bounded).
        root: How to name the document's root in paths.

    Returns:
        One problem per reference that breaks the rule.
    """
    resources: list[JsonPath] = []
    problems = []
    for node, path in iter_schemas(schema):
        if path and _declares_id(node.get("$id")):
            resources.append(path)
        for keyword in REFERENCE_KEYWORDS:
            if keyword not in node:
                continue
            inside = any(path[: len(r)] == r for r in resources)
            reason = _reason(schema, node[keyword], inside=inside)
            if reason:
                problems.append(Problem(render_path((*path, keyword), root), reason))
    return problems


def _declares_id(value: JsonValue) -> bool:
    return isinstance(value, str) and not value.startswith("#")


def _reason(schema: JsonObject, ref: JsonValue, *, inside: bool) -> str | None:
    if not isinstance(ref, str) or not ref.startswith("#"):
        return REMOTE
    if ref != "#" and not ref.startswith("#/"):
        return ANCHOR
    if inside:
        return INSIDE_ID
    if resolve_pointer(schema, ref) is None:
        return UNRESOLVED
    return None
