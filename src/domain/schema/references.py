"""The platform's rule for references: local JSON Pointers only, nothing fetched.

Every ``$ref``, ``$dynamicRef`` and ``$recursiveRef`` must be a JSON Pointer fragment
(``#`` or ``#/...``, percent-encoded or not) that names a schema, an object or a
boolean, inside the document. Refused: remote and relative URIs (nothing is ever
fetched), anchors (``#name``: the platform's own walks follow pointers only), and any
reference inside a subschema that declares its own ``$id``, where ``#/...`` would name
that subschema instead of the document; and a reference that leads back to where it
started without descending into a part of the value (through ``$ref``, ``allOf``,
``anyOf``, ``oneOf``, ``not``, ``if``/``then``/``else`` or ``dependentSchemas`` only),
which validation would follow forever.
"""

from __future__ import annotations

from domain.errors import Problem
from domain.json_types import JsonObject, JsonPath, JsonValue, render_path
from domain.schema.walk import REFERENCE_KEYWORDS, iter_schemas, resolve_pointer

REMOTE = "must be a local reference (#/...) to a schema inside this document"
ANCHOR = "must be a JSON Pointer (#/$defs/...), not an anchor name"
INSIDE_ID = "must not be inside a subschema with its own $id, where #/... names that subschema"
UNRESOLVED = "must name a schema inside this document; nothing is there"
LOOP = "must not lead back to itself without descending into the value (an endless loop)"

_IN_PLACE_SINGLE = ("not", "if", "then", "else")
_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE_MAPS = ("dependentSchemas", "dependencies")


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
    if problems:
        return problems
    return [Problem(render_path(path, root), LOOP) for path in _loops(schema)]


def _loops(schema: JsonObject) -> list[JsonPath]:
    """The reference keywords that close a loop of in-place subschemas (iterative DFS)."""
    paths = {id(node): path for node, path in iter_schemas(schema)}
    state: dict[int, str] = {}
    found: list[JsonPath] = []
    for start, _ in iter_schemas(schema):
        if id(start) in state:
            continue
        stack = [(start, iter(_in_place(schema, start)))]
        state[id(start)] = "open"
        while stack:
            node, edges = stack[-1]
            edge = next(edges, None)
            if edge is None:
                state[id(node)] = "done"
                stack.pop()
                continue
            keyword, target = edge
            if state.get(id(target)) == "open" and keyword in REFERENCE_KEYWORDS:
                found.append((*paths[id(node)], keyword))
            elif id(target) not in state:
                state[id(target)] = "open"
                stack.append((target, iter(_in_place(schema, target))))
    return sorted(set(found), key=str)


def _in_place(schema: JsonObject, node: JsonObject) -> list[tuple[str, JsonObject]]:
    """The subschemas that apply to the very value ``node`` applies to."""
    edges: list[tuple[str, JsonValue]] = [(k, node.get(k)) for k in _IN_PLACE_SINGLE]
    edges += [(k, m) for k in _IN_PLACE_LISTS if isinstance(node.get(k), list) for m in node[k]]
    edges += [
        (k, m) for k in _IN_PLACE_MAPS if isinstance(node.get(k), dict) for m in node[k].values()
    ]
    edges += [(k, resolve_pointer(schema, node.get(k))) for k in REFERENCE_KEYWORDS]
    return [(keyword, target) for keyword, target in edges if isinstance(target, dict)]


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
